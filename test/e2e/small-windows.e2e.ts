/**
 * Small windows and zoom, in English and Russian, on every screen: nothing scrolls sideways, no text is clipped or
 * spills out of its box, nothing overlaps; a wide window gives the history table its width.
 *
 * 200 % zoom on the 640 × 480 minimum window is emulated as Chromium's page zoom presents itself to a page (Electron's
 * zoomFactor is Chromium's page zoom): a 320 × 240 CSS-pixel viewport at 2 device pixels per CSS pixel, in a context
 * opened with deviceScaleFactor 2. deviceScaleFactor alone would only sharpen a 640 px layout, and CSS `zoom` on the
 * root would leave media queries and viewport units at 640 px; neither reflows the window the way zoom does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openApp, screenshot, type AppPage } from './browser';
import { startHarness, type HarnessSetup } from './harness-client';
import { layoutProblems } from './page-checks';
import { useBrowser } from './session';

interface Bridge {
  setSettings(patch: { language: 'en' | 'ru' }): Promise<unknown>;
  startUpdate(request?: object): Promise<unknown>;
}
declare const window: { defender: Bridge };
declare const document: {
  documentElement: { lang: string };
  querySelector(selector: string): { getBoundingClientRect(): { width: number } } | null;
};
declare const innerWidth: number;

type Lang = 'en' | 'ru';
const LANGS: Lang[] = ['en', 'ru'];

interface Size {
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  scale: number;
  label: string;
}
// One page per size, opened at that size and never resized: Chromium updates innerWidth and matchMedia at once after a
// resize but re-applies the stylesheet's @media rules only a frame or two later, which a check could race.
const SIZES: Size[] = [
  { width: 360, height: 640, scale: 1, label: '360×640' },
  { width: 640, height: 480, scale: 1, label: '640×480' },
  { width: 320, height: 240, scale: 2, label: '640×480 at 200 %' },
  { width: 800, height: 600, scale: 1, label: '800×600' },
  { width: 1920, height: 1080, scale: 1, label: '1920×1080' },
];

const browser = useBrowser();

interface Window {
  size: Size;
  app: AppPage;
}

interface Windows {
  all: Window[];
  problems: string[];
}

async function withWindows(setup: HarnessSetup, body: (w: Windows) => Promise<void>) {
  const harness = await startHarness(setup);
  const w: Windows = { all: [], problems: [] };
  try {
    for (const size of SIZES) {
      const app = await openApp(browser(), harness.url, { viewport: { width: size.width, height: size.height }, deviceScaleFactor: size.scale });
      w.all.push({ size, app });
    }
    await body(w);
    assert.deepEqual(w.problems, [], 'layout problems');
    for (const { app } of w.all) await app.assertClean();
  } finally {
    for (const { app } of w.all) await app.close();
    await harness.stop();
  }
}

/** Every window shows the same app; the language is a setting in main, so one call switches them all. */
async function setLanguage(w: Windows, lang: Lang) {
  await w.all[0]!.app.page.evaluate((language) => window.defender.setSettings({ language }), lang);
  for (const { app } of w.all) await app.page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** The screen on show, in every window, in both languages; `extra` runs in each window too. */
async function checkScreen(w: Windows, screen: string, extra?: (page: Page, size: Size, lang: Lang) => Promise<void>) {
  for (const lang of LANGS) {
    await setLanguage(w, lang);
    for (const { size, app } of w.all) {
      for (const problem of await layoutProblems(app.page)) w.problems.push(`${screen}, ${lang}, ${size.label}: ${problem}`);
      await extra?.(app.page, size, lang);
    }
  }
}

/** Opens the n-th tab (Update, History, Settings) in every window, whatever the language. */
async function openTab(w: Windows, n: number) {
  for (const { app } of w.all) await app.page.locator('.tabs__tab').nth(n).click();
}

async function waitAll(w: Windows, selector: string) {
  for (const { app } of w.all) await app.page.locator(selector).first().waitFor({ timeout: 60_000 });
}

/** Starts an update as a click would, through the bridge (the button's name changes with the language). */
const startUpdate = (w: Windows) => w.all[0]!.app.page.evaluate(() => window.defender.startUpdate());

describe('small windows and zoom', { timeout: 300_000 }, () => {
  test('every screen at 360×640, 640×480 (100 % and 200 %), 800×600 and 1920×1080, in English and Russian', async () => {
    await withWindows({ scenario: 'network-failure,reboot,stalled', stepMs: 20, admin: true, lang: 'ru' }, async (w) => {
      await waitAll(w, '#status-title');
      await checkScreen(w, 'home');

      await startUpdate(w);
      await waitAll(w, '[data-testid=error-card]');
      await checkScreen(w, 'network failure', async (page, size, lang) => {
        if (lang === 'ru' && size.width === 360) await screenshot(page, 'russian-360', { fullPage: true });
      });

      await openTab(w, 1);
      await waitAll(w, 'table');
      await checkScreen(w, 'history', async (page, size) => {
        if (size.width !== 1920) return;
        const [table, card, view] = await page.evaluate(() => [
          document.querySelector('table')!.getBoundingClientRect().width,
          document.querySelector('.history')!.getBoundingClientRect().width,
          innerWidth,
        ]);
        if (table < 1200) w.problems.push(`history at ${view} px: the table is only ${Math.round(table)} px wide, its card ${Math.round(card)} px`);
      });
      await openTab(w, 2);
      await waitAll(w, '.about');
      await checkScreen(w, 'settings and about');
      await openTab(w, 0);

      await startUpdate(w);
      await waitAll(w, '[data-testid=reboot-card]');
      await checkScreen(w, 'restart prompt');

      await startUpdate(w);
      await waitAll(w, '.stepper');
      await checkScreen(w, 'updating');
    });
  });

  test('demo mode, with its explanation under the top bar', async () => {
    await withWindows({ demo: true }, async (w) => {
      await waitAll(w, '#demo-note');
      await checkScreen(w, 'demo home');
    });
  });

  test('Defender not available', async () => {
    await withWindows({ noLibrary: true }, async (w) => {
      await waitAll(w, '#status-title');
      await checkScreen(w, 'unavailable');
    });
  });
});
