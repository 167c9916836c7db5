/**
 * The automatic check in the window, end to end: with the schedule on, the status area says when the last check was
 * and when the next one is; Change next to the source puts the keyboard on the source field.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshot } from './browser';
import { useBrowser, withApp } from './session';

declare const document: { activeElement: { id: string } | null };

const browser = useBrowser();
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('schedule end to end', { timeout: 300_000 }, () => {
  test('with automatic checks on, the status says when the last check was and when the next one is', async () => {
    await withApp(browser(), { scenario: 'up-to-date', stepMs: 20 }, async ({ page }, harness) => {
      await button(page, 'Change').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'setting-source', 'Change lands on the source field');
      await page.getByLabel('Check for updates automatically').selectOption('24');
      await page.getByText('Saved.').waitFor();
      await button(page, 'Update').click();
      await page.getByTestId('status-next-check').waitFor();
      await button(page, 'Update security intelligence').click();
      // The line reads "Checked just now; the newest version is installed"; its time holds its exact-time tooltip.
      await page.getByTestId('status-checked').filter({ hasText: 'the newest version is installed' }).waitFor({ timeout: 60_000 });
      const state = await harness.state();
      assert.ok(state.schedule.lastCheckAt !== null && state.schedule.nextCheckAt === state.schedule.lastCheckAt + 24 * 3_600_000);
      await page
        .getByTestId('status-next-check')
        .locator(`time[datetime="${new Date(state.schedule.nextCheckAt).toISOString()}"]`)
        .waitFor();
      await screenshot(page, 'schedule');
      await assertAccessible(page, 'schedule');
    });
  });
});
