/**
 * Managed fleets end to end: policies the harness holds as the registry would (DU_HARNESS_POLICIES) reach the window
 * through the app's own controller. Managed settings are locked and labelled, Cancel is unavailable under
 * AllowCancel=0, ignored values are one notice in About, and a policy removed while the app runs gives the user's
 * choice back when the window next gains focus.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshot } from './browser';
import type { HarnessPolicies } from './harness-client';
import { useBrowser, withApp } from './session';

const browser = useBrowser();
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const sz = (data: string) => ({ type: 'REG_SZ', data }) as const;
const dword = (data: number) => ({ type: 'REG_DWORD', data }) as const;

const FLEET: HarnessPolicies = {
  HKLM: { UpdateSource: sz('mmpc'), AutoCheckHours: dword(6), AllowCancel: dword(0), AutoCheckHour: dword(4) },
  HKCU: { Language: sz('de') },
};

describe('managed by policy, end to end', { timeout: 300_000 }, () => {
  test('managed settings are locked and labelled, Cancel is unavailable, ignored values are listed in About', async () => {
    await withApp(browser(), { scenario: 'updated', stepMs: 150, policies: FLEET }, async ({ page }, harness) => {
      await page.getByText('Set by your organization').waitFor();
      assert.equal(await button(page, 'Change').count(), 0, 'no Change beside a source the organisation sets');

      await button(page, 'Update security intelligence').click();
      const cancel = button(page, 'Cancel');
      await cancel.waitFor();
      assert.equal(await cancel.getAttribute('aria-disabled'), 'true');
      await page.getByText('Managed by your organization: an update that has started runs to its end.').waitFor();
      await cancel.click();
      await page.getByRole('heading', { name: 'Security intelligence updated' }).waitFor({ timeout: 60_000 });
      const state = await harness.state();
      assert.equal(state.lastOutcome?.result, 'succeeded', 'the update ran to its end');
      assert.equal(state.lastOutcome?.source, 'mmpc', 'from the source the policy sets');

      await button(page, 'Settings').click();
      const source = page.getByLabel('Update source');
      assert.equal(await source.isDisabled(), true);
      assert.equal(await source.inputValue(), 'mmpc');
      const auto = page.getByLabel('Check for updates automatically');
      assert.equal(await auto.isDisabled(), true);
      assert.equal(await auto.locator('option:checked').textContent(), 'Every 6 hours (set by your organization)');
      assert.equal(await page.getByText('Managed by your organization', { exact: true }).count(), 2);
      const ignored = page.getByRole('region', { name: 'Policy values ignored' });
      assert.deepEqual(await ignored.getByRole('listitem').allTextContents(), [
        'HKLM: "AutoCheckHour" is not a Defender Updater policy.',
        'HKCU: Language is "de"; allowed: system, en, ru.',
      ]);
      await screenshot(page, 'managed', { fullPage: true });
      await assertAccessible(page, 'managed');
    });
  });

  test('a policy removed while the app runs gives the user’s choice back when the window gains focus', async () => {
    await withApp(browser(), { scenario: 'updated', policies: { HKLM: { UpdateSource: sz('wsus') } } }, async ({ page }, harness) => {
      await button(page, 'Settings').click();
      const source = page.getByLabel('Update source');
      assert.equal(await source.isDisabled(), true);
      assert.equal(await harness.setPolicies({}), true);
      await page.getByText('Managed by your organization', { exact: true }).waitFor({ state: 'detached' });
      assert.equal(await source.isDisabled(), false);
      assert.equal(await source.inputValue(), 'default', 'the user’s own choice, never overwritten by the policy');
      assert.equal(await harness.setPolicies({}), false, 'the same policies again change nothing');
    });
  });
});
