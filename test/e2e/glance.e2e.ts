/**
 * Protection at a glance, end to end: a failure still shows after the app restarts (its history is all that is left of
 * it), and the exact time behind "3 days ago" shows on keyboard focus.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshot } from './browser';
import { useBrowser, withApp } from './session';

interface FocusedElement {
  getAttribute(name: string): string | null;
}
declare const document: { activeElement: FocusedElement | null };

const browser = useBrowser();

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
    await withApp(browser(), { scenario: 'network-failure' }, async ({ page }, harness) => {
      await page.getByRole('button', { name: 'Update security intelligence', exact: true }).click();
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
    });
  });

  test('the exact date and time of "3 days ago" show on keyboard focus, and Escape hides them', async () => {
    await withApp(browser(), { scenario: 'up-to-date' }, async ({ page }) => {
      const exact = page.getByTestId('signature-age').getByRole('tooltip', { includeHidden: true });
      await page.getByTestId('signature-age-text').waitFor();
      assert.equal(await exact.isVisible(), false, 'hidden until wanted');
      await tabTo(page, 'signature-age-text');
      await exact.waitFor({ state: 'visible' });
      assert.match(await exact.innerText(), /\d{4}/, 'a date with its year');
      await page.keyboard.press('Escape');
      await exact.waitFor({ state: 'hidden' });
    });
  });
});
