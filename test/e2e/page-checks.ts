/** Checks that run inside the page: the computed colours that carry meaning in forced colors. */
import type { Page } from 'playwright-core';

// Functions passed to page.evaluate run in Chromium; this Node-side project has no DOM lib, so declare the little
// they touch (module-scoped: nothing leaks into other tests).
interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}
interface PageElement {
  tagName: string;
  selectedIndex?: number;
  options?: ArrayLike<PageElement>;
  style: { cssText: string };
  cloneNode(deep: boolean): PageElement;
  remove(): void;
  append(...nodes: PageElement[]): void;
  replaceChildren(...nodes: PageElement[]): void;
  namespaceURI: string | null;
  className: unknown;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  scrollHeight: number;
  clientHeight: number;
  children: ArrayLike<PageElement>;
  parentElement: PageElement | null;
  getBoundingClientRect(): Rect;
  getClientRects(): ArrayLike<Rect>;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
interface Style {
  display: string;
  visibility: string;
  position: string;
  overflowX: string;
  overflowY: string;
  backgroundColor: string;
  color: string;
  borderTopColor: string;
  borderTopStyle: string;
  borderTopWidth: string;
  textDecorationLine: string;
  content: string;
}
declare const document: {
  documentElement: PageElement;
  body: PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare function getComputedStyle(element: PageElement, pseudo?: string): Style;
declare function matchMedia(query: string): { matches: boolean };

export interface Look {
  background: string;
  color: string;
  border: string;
  borderStyle: string;
  borderWidth: string;
  /** The centre mark of the current step, if any. */
  mark: string;
  /** A check mark drawn in the box. */
  check: boolean;
  underline: boolean;
}

export interface ForcedColorFacts {
  forced: boolean;
  dark: boolean;
  canvas: string;
  fill: Look | null;
  track: Look | null;
  done: Look | null;
  current: Look | null;
  todo: Look | null;
  selectedTab: Look | null;
  otherTab: Look | null;
}

/** The computed look of what carries meaning through colour: the progress bar, the stepper's dots, the tabs. */
export function forcedColorFacts(page: Page): Promise<ForcedColorFacts> {
  return page.evaluate(() => {
    const look = (selector: string): Look | null => {
      const el = document.querySelector(selector);
      if (!el) return null;
      const s = getComputedStyle(el);
      const after = getComputedStyle(el, '::after');
      return {
        background: s.backgroundColor,
        color: s.color,
        border: s.borderTopColor,
        borderStyle: s.borderTopStyle,
        borderWidth: s.borderTopWidth,
        mark: after.content === 'none' ? '' : after.backgroundColor,
        check: el.querySelector('svg') !== null,
        underline: s.textDecorationLine.includes('underline'),
      };
    };
    return {
      forced: matchMedia('(forced-colors: active)').matches,
      dark: matchMedia('(prefers-color-scheme: dark)').matches,
      canvas: getComputedStyle(document.documentElement).backgroundColor,
      fill: look('.bar__fill'),
      track: look('.bar'),
      done: look('.stepper__step--done .stepper__dot'),
      current: look('.stepper__step--current .stepper__dot'),
      todo: look('.stepper__step--todo .stepper__dot'),
      selectedTab: look(".tabs__tab[aria-current='page']"),
      otherTab: look(".tabs__tab:not([aria-current='page'])"),
    };
  });
}
