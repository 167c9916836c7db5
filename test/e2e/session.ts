/** What every E2E file needs: one Chromium for the file, and a fresh harness and page per test, always cleaned up. */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openApp, type AppPage, type OpenOptions } from './browser';
import { startHarness, type Harness, type HarnessSetup } from './harness-client';

/** Launches Chromium before the file's tests and closes it after them; call at the top level of a test file. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('e2e: Chromium is not running (useBrowser must be called at the top level)');
    return browser;
  };
}

/** Runs `body` against a fresh harness and page; always stops both and checks the page stayed clean. */
export async function withApp(
  browser: Browser,
  setup: HarnessSetup,
  body: (app: AppPage, harness: Harness) => Promise<void>,
  options: OpenOptions = {},
): Promise<void> {
  const harness = await startHarness(setup);
  let app: AppPage | null = null;
  try {
    app = await openApp(browser, harness.url, options);
    await body(app, harness);
    await app.assertClean();
  } finally {
    await app?.close();
    await harness.stop();
  }
}
