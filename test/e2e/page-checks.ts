/**
 * Checks that run inside the page: layout faults a person sees in a small or zoomed window (sideways scrolling,
 * clipped or spilling text, boxes on top of each other), and the computed colours that carry meaning in forced colors.
 */
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
declare const innerWidth: number;

/**
 * Everything wrong with the layout of what is on screen now, in words; empty when nothing is. A box that scrolls
 * within itself (the history table, the event log) is allowed to be wider than its frame; nothing else is.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: PageElement) => {
      const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return `<${el.tagName.toLowerCase()}${classes}> "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    };
    const scrolls = (style: Style) => /auto|scroll/.test(style.overflowX);
    const clips = (overflow: string) => /hidden|clip/.test(overflow);
    // What is drawn: not hidden, not a part of an SVG drawing, not the screen-reader-only text (clipped on purpose).
    const shown = (el: PageElement, style: Style) =>
      style.display !== 'none' &&
      style.visibility !== 'hidden' &&
      el.getClientRects().length > 0 &&
      !(el.namespaceURI === 'http://www.w3.org/2000/svg' && el.tagName.toLowerCase() !== 'svg') &&
      el.closest('.sr-only') === null;
    const insideScroller = (el: PageElement) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(getComputedStyle(p))) return true;
      return false;
    };

    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth} px)`);

    const elements = Array.from(document.body.querySelectorAll('*'));
    for (const el of elements) {
      const style = getComputedStyle(el);
      // Inline boxes and table parts other than cells have no width of their own to compare with.
      if (!shown(el, style) || style.display === 'inline' || (style.display.startsWith('table-') && style.display !== 'table-cell')) continue;
      if (!scrolls(style) && el.scrollWidth > el.clientWidth + 1)
        problems.push(`${clips(style.overflowX) ? 'clipped' : 'spills out of its box'}: ${describe(el)} (${el.scrollWidth} > ${el.clientWidth} px)`);
      if (clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1)
        problems.push(`clipped at the bottom: ${describe(el)} (${el.scrollHeight} > ${el.clientHeight} px)`);
      const box = el.getBoundingClientRect();
      if ((box.right > innerWidth + 1 || box.left < -1) && !insideScroller(el)) problems.push(`outside the window: ${describe(el)}`);
    }

    // A drop-down shows its choice on one line: it clips the text when it is narrower than it would be holding only
    // that choice. The copy is measured off-screen, with the page's styles but without the width limits.
    for (const select of Array.from(document.querySelectorAll('select'))) {
      const chosen = select.options?.[select.selectedIndex ?? 0];
      if (!chosen || !shown(select, getComputedStyle(select))) continue;
      const copy = select.cloneNode(false);
      copy.append(chosen.cloneNode(true));
      copy.style.cssText = 'position:absolute;left:-10000px;top:0;width:auto;min-width:0;max-width:none';
      document.body.append(copy);
      const natural = copy.getBoundingClientRect();
      copy.remove();
      const actual = select.getBoundingClientRect();
      if (natural.right - natural.left > actual.right - actual.left + 1) problems.push(`clipped: the drop-down ${describe(chosen)}`);
    }

    // Side by side in a row, grid or stack, two boxes never cover each other.
    for (const container of elements) {
      const style = getComputedStyle(container);
      if (!/flex|grid/.test(style.display) || !shown(container, style)) continue;
      const items = Array.from(container.children).filter((child) => {
        const s = getComputedStyle(child);
        return shown(child, s) && s.position !== 'absolute' && s.position !== 'fixed';
      });
      for (let i = 0; i < items.length; i++)
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i]!.getBoundingClientRect();
          const b = items[j]!.getBoundingClientRect();
          const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (x > 1 && y > 1) problems.push(`overlap: ${describe(items[i]!)} and ${describe(items[j]!)}`);
        }
    }
    return [...new Set(problems)];
  });
}

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
