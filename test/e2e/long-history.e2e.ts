/**
 * A long history end to end: the History view opens on the newest entries with a button for the older ones, and the
 * keyboard reaches every entry. The history file is written before the harness (re)starts, as after months of use.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { HistoryEntry } from '../../app/shared/app-state';
import { verbatim } from '../../app/shared/messages';
import { historyEntry } from '../main/fakes';
import { assertAccessible, openApp, screenshot } from './browser';
import { startHarness } from './harness-client';
import { useBrowser } from './session';

// Functions passed to page.evaluate run in Chromium; this Node-side project has no DOM lib.
declare const document: {
  activeElement: { tagName: string; textContent: string | null } | null;
  querySelector(selector: string): { scrollTop: number; scrollHeight: number } | null;
};

const browser = useBrowser();
const ENTRIES = 120;

/** Oldest first, as the file keeps them: run n an hour after run n - 1, every fifth one a failure. */
function history(): HistoryEntry[] {
  return Array.from({ length: ENTRIES }, (_, i) =>
    historyEntry(i + 1, {
      time: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
      ...(i % 5 === 4 ? { result: 'failed', hresult: '0x80072EE7', message: verbatim('The server name or address could not be resolved.') } : {}),
    }),
  );
}

describe('a long history', { timeout: 120_000 }, () => {
  test('opens on the newest 50; "Show 70 older updates" reveals the rest by keyboard, focus on the first revealed', async () => {
    const harness = await startHarness({ scenario: 'updated' });
    try {
      const { userData } = await harness.info();
      writeFileSync(join(userData, 'history.json'), JSON.stringify({ version: 1, entries: history() }));
      await harness.restart();
      const app = await openApp(browser(), harness.url);
      const { page } = app;
      try {
        await page.getByRole('navigation').getByRole('button', { name: 'History', exact: true }).click();
        const rows = page.locator('.history tbody tr');
        const more = page.getByRole('button', { name: 'Show 70 older updates', exact: true });
        await more.waitFor();
        assert.equal(await rows.count(), 50);
        assert.equal(await page.getByRole('table').getAttribute('aria-rowcount'), String(ENTRIES + 1));
        // The button closes the table's scroll box: scrolled to it, as a user reaching the end sees it.
        await page.evaluate(() => {
          const box = document.querySelector('.history .table-wrap')!;
          box.scrollTop = box.scrollHeight;
        });
        await screenshot(page, 'history-long');
        await assertAccessible(page, 'history with older updates held back');

        await more.focus();
        await page.keyboard.press('Enter');
        await more.waitFor({ state: 'detached' });
        assert.equal(await rows.count(), ENTRIES);
        // Focus went to the first revealed row: run 70 (the 51st newest), where reading goes on.
        const focused = await page.evaluate(() => ({ tag: document.activeElement?.tagName, text: document.activeElement?.textContent ?? '' }));
        assert.equal(focused.tag, 'TR');
        assert.equal(focused.text, (await rows.nth(50).textContent()) ?? '');
        assert.match((await rows.nth(50).locator('time').getAttribute('datetime')) ?? '', /^2026-01-03T21:00/);
        await assertAccessible(page, 'history, all shown');
        await app.assertClean();
      } finally {
        await app.close();
      }
    } finally {
      await harness.stop();
    }
  });
});
