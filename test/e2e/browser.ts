/** Chromium, pages and checks shared by the E2E tests: axe, CSP, console errors, screenshots, the bridge's shape. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { API_METHODS } from '../../app/shared/ipc-channels';
import { repoRoot } from '../support/paths';

// Functions passed to page.evaluate run in Chromium; this Node-side project has no DOM lib, so declare the little
// they touch (module-scoped: nothing leaks into other tests).
interface PageElement {
  id: string;
  matches(selector: string): boolean;
}
declare const window: object;
declare const document: {
  activeElement: PageElement | null;
  addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};
declare function requestAnimationFrame(callback: (time: number) => void): number;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(repoRoot, 'docs', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface AppPage {
  page: Page;
  context: BrowserContext;
  /** Fails on console errors, uncaught exceptions and CSP violations seen so far. */
  assertClean(): Promise<void>;
  close(): Promise<void>;
}

declare const axe: {
  run(
    context: unknown,
    options: unknown,
  ): Promise<{ violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
};

export interface OpenOptions {
  locale?: string;
  viewport?: { width: number; height: number };
  /** Device pixels per CSS pixel; with a viewport divided by the same factor it is what page zoom gives the page. */
  deviceScaleFactor?: number;
  colorScheme?: 'light' | 'dark';
  /** Windows High Contrast as Chromium emulates it, on from the start as for a user who has it on. */
  forcedColors?: boolean;
}

export async function openApp(browser: Browser, url: string, options: OpenOptions = {}): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 900, height: 700 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
    forcedColors: options.forcedColors ? 'active' : 'none',
    reducedMotion: 'reduce',
  });
  // Init scripts come from DevTools, not the page, so the page's CSP does not apply to them.
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Defender Updater' }).waitFor();
  return {
    page,
    context,
    async assertClean() {
      const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
      assert.deepEqual(csp, [], 'Content-Security-Policy violations');
      assert.deepEqual(errors, [], 'console errors');
    },
    close: () => context.close(),
  };
}

/** Rules that fail at any impact: two landmarks with one name leave a screen-reader user guessing which is which. */
const STRICT_RULES = ['landmark-unique'];

/** axe-core on the current screen: no serious or critical violations, and none of the strict rules broken. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: './__harness/axe.min.js' });
  const violations = await page.evaluate(async (strict) => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical' || strict.includes(v.id))
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} (${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 4)
            .join(', ')})`,
      );
  }, STRICT_RULES);
  assert.deepEqual(violations, [], `axe on "${screen}"`);
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // No hover colour on whatever was clicked last.
  await page.mouse.move(0, 0);
  // Let the bar's transition and fonts settle: wait for two frames, not a fixed time.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? false });
}

/** Every DefenderApi method exists on window.defender: a guard against a bridge that drifted from the contract. */
export async function assertBridgeComplete(page: Page): Promise<void> {
  const present = await page.evaluate(() => {
    const api = (window as unknown as { defender?: Record<string, unknown> }).defender;
    return api ? Object.keys(api).filter((k) => typeof api[k] === 'function') : [];
  });
  assert.deepEqual([...present].sort(), [...Object.keys(API_METHODS), 'onEvent', 'updateFromDroppedFile'].sort());
}
