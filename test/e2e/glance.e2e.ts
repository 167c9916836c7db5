/**
 * Protection at a glance, end to end: a failure still shows after the app restarts (its history is all that is left of
 * it), and the exact time behind "3 days ago" shows on keyboard focus.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launchBrowser, openApp, screenshot, type AppPage } from './browser';
import { startHarness } from './harness-client';

interface FocusedElement {
  getAttribute(name: string): string | null;
}
declare const document: { activeElement: FocusedElement | null };

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

/** Presses Tab until the element with this test id has focus; fails after `limit` presses. */
async function tabTo(page: Page, testId: string, limit = 15) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
  }
  assert.fail(`${testId} not reached with ${limit} presses of Tab`);
}

describe('protection at a glance', { timeout: 300_000 }, () => {
  test('a failed last update survives a restart of the app', async () => {
    const harness = await startHarness({ scenario: 'network-failure' });
    let app: AppPage | null = null;
    try {
      app = await openApp(browser, harness.url);
      const { page } = app;
      await page.getByRole('button', { name: 'Update signatures', exact: true }).click();
      await heading(page, 'Update failed').waitFor({ timeout: 60_000 });

      await harness.restart();
      await page.reload();
      await heading(page, 'Needs attention').waitFor();
      await page.getByText('The last update failed.').waitFor();
      await page
        .getByTestId('status-checked')
        .filter({ hasText: /^Last checked just now/ })
        .waitFor();
      // Nothing of this session is left: no result card, only what history says.
      assert.equal(await page.getByTestId('error-card').count(), 0);
      await screenshot(page, 'failed-after-restart');
      await assertAccessible(page, 'failed after a restart');
      await app.assertClean();
    } finally {
      await app?.close();
      await harness.stop();
    }
  });

  test('the exact date and time of "3 days ago" show on keyboard focus, and Escape hides them', async () => {
    const harness = await startHarness({ scenario: 'up-to-date' });
    let app: AppPage | null = null;
    try {
      app = await openApp(browser, harness.url);
      const { page } = app;
      const exact = page.getByTestId('signature-age').getByRole('tooltip', { includeHidden: true });
      await page.getByTestId('signature-age-text').waitFor();
      assert.equal(await exact.isVisible(), false, 'hidden until wanted');
      await tabTo(page, 'signature-age-text');
      await exact.waitFor({ state: 'visible' });
      assert.match(await exact.innerText(), /\d{4}/, 'a date with its year');
      await page.keyboard.press('Escape');
      await exact.waitFor({ state: 'hidden' });
      await app.assertClean();
    } finally {
      await app?.close();
      await harness.stop();
    }
  });
});
