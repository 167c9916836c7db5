/**
 * What the window shows before the app's script has run: the static shell in index.html, the top bar as the app draws
 * it, so the first frame is not blank and nothing jumps when React takes over.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { screenshot } from './browser';
import { startHarness } from './harness-client';
import { useBrowser } from './session';

const browser = useBrowser();

/** The title's box on a fresh page; with `noScript`, the app's module never arrives (a slow disk, a slow machine). */
async function titleBox(chromium: Browser, url: string, noScript: boolean) {
  const context = await chromium.newContext({ viewport: { width: 900, height: 700 }, locale: 'en-US', reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    if (noScript) await page.route('**/assets/*.js', (route) => route.abort());
    await page.goto(url);
    const title = noScript ? page.locator('.topbar__title') : page.getByRole('heading', { level: 1, name: 'Defender Updater' });
    await title.waitFor();
    if (noScript) {
      assert.equal(await title.textContent(), 'Defender Updater');
      // Not a heading: "the app is up" (its h1) still means the app, for tests and for screen readers alike.
      assert.equal(await page.getByRole('heading').count(), 0);
      await screenshot(page, 'shell');
    }
    return await title.boundingBox();
  } finally {
    await context.close();
  }
}

describe('before the script runs', { timeout: 120_000 }, () => {
  test('the top bar is already there, where the app then draws it', async () => {
    const harness = await startHarness({ scenario: 'updated' });
    try {
      const shell = await titleBox(browser(), harness.url, true);
      const app = await titleBox(browser(), harness.url, false);
      assert.ok(shell && app);
      assert.deepEqual(
        [shell.x, shell.y, shell.height].map(Math.round),
        [app.x, app.y, app.height].map(Math.round),
        'the title stays put when React replaces the shell',
      );
    } finally {
      await harness.stop();
    }
  });
});
