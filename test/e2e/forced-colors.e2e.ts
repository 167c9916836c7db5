/**
 * Windows High Contrast, as Chromium emulates forced colors (the engine Electron runs on Windows): in its light and
 * dark palettes, what carries meaning through colour must still be seen, and axe finds nothing serious on any screen.
 * The colours compared are the computed ones, which forced colors replace: without the forced-colors rules the bar's
 * fill and its track, every stepper dot, and every tab come out the same.
 *
 * Each palette gets a page opened with forced colors already on, as for a user who has High Contrast on, rather than
 * one page switched over: axe reads a text's colour from -webkit-text-fill-color, which Chromium leaves at the author's
 * colour under forced colors and does not refresh when the emulated palette changes, so on a switched page axe would
 * judge the previous palette's colours.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshot, type AppPage } from './browser';
import type { HarnessSetup } from './harness-client';
import { useBrowser, withApp } from './session';
import { forcedColorFacts, type Look } from './page-checks';

declare const document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };

const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];

const browser = useBrowser();

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

function withForcedColors(setup: HarnessSetup, scheme: Scheme, body: (app: AppPage) => Promise<void>) {
  return withApp(
    browser(),
    setup,
    async (app) => {
      const facts = await forcedColorFacts(app.page);
      assert.equal(facts.forced, true, 'forced colors are active');
      assert.equal(facts.dark, scheme === 'dark', `the ${scheme} palette`);
      await body(app);
    },
    { forcedColors: true, colorScheme: scheme },
  );
}

/** The colour a background shows: a transparent one shows the page behind it. */
const seen = (background: string, canvas: string) => (/^rgba\(.*,\s*0\)$/.test(background) ? canvas : background);

/** What a dot looks like, colours and shape together. */
const looks = (l: Look) => JSON.stringify([l.background, l.border, l.borderStyle, l.borderWidth, l.mark, l.check]);

describe('Windows High Contrast (forced colors)', { timeout: 300_000 }, () => {
  for (const scheme of SCHEMES) {
    test(`${scheme}: the bar’s fill, the current step and the selected tab stand out; axe passes on every screen`, async () => {
      await withForcedColors({ scenario: 'updated,network-failure,reboot', stepMs: 250 }, scheme, async ({ page }) => {
        const tabs = await forcedColorFacts(page);
        assert.ok(tabs.selectedTab && tabs.otherTab, 'both kinds of tab on screen');
        assert.notEqual(
          seen(tabs.selectedTab.background, tabs.canvas),
          seen(tabs.otherTab.background, tabs.canvas),
          "the selected tab's background differs from the others'",
        );
        assert.ok(tabs.selectedTab.underline && !tabs.otherTab.underline, 'the selected tab is also underlined');
        await assertAccessible(page, 'home');

        await button(page, 'Update security intelligence').click();
        await heading(page, 'Downloading…').waitFor({ timeout: 60_000 });
        await page.waitForFunction(() => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) >= 1);
        const f = await forcedColorFacts(page);
        assert.ok(f.fill && f.track && f.done && f.current && f.todo, `a bar and three kinds of step on screen: ${JSON.stringify(f)}`);
        assert.notEqual(seen(f.fill.background, f.canvas), seen(f.track.background, f.canvas), "the bar's fill differs from its track");
        assert.notEqual(seen(f.fill.background, f.canvas), f.canvas, "the bar's fill differs from the page");
        assert.notEqual(looks(f.current), looks(f.todo), 'the current step differs from a pending one');
        assert.notEqual(looks(f.done), looks(f.current), 'a done step differs from the current one');
        // More than colour: a check mark when done, a centre mark while current, a dashed ring while pending.
        assert.equal(f.done.check, true, 'a done step has a check mark');
        assert.ok(f.current.mark !== '' && f.current.mark !== f.current.background, 'the current step has a centre mark that shows');
        assert.equal(f.todo.borderStyle, 'dashed', 'a pending step is a dashed ring');
        await screenshot(page, `forced-colors-${scheme}`);
        await assertAccessible(page, 'updating');

        await heading(page, 'Security intelligence updated').waitFor({ timeout: 60_000 });
        await assertAccessible(page, 'updated');
        await button(page, 'History').click();
        await page.getByRole('table').waitFor();
        await assertAccessible(page, 'history');
        await button(page, 'Settings').click();
        await heading(page, 'About').waitFor();
        await assertAccessible(page, 'settings and about');
        await button(page, 'Update').click();

        await button(page, 'Update security intelligence').click();
        await heading(page, 'Update failed').waitFor({ timeout: 60_000 });
        await assertAccessible(page, 'network failure');
        await button(page, 'Retry').click();
        await heading(page, 'Restart to finish the update').waitFor({ timeout: 60_000 });
        await assertAccessible(page, 'restart prompt');
      });
    });

    test(`${scheme}: Defender not available`, async () => {
      await withForcedColors({ noLibrary: true }, scheme, async ({ page }) => {
        await heading(page, 'Microsoft Defender is not available').waitFor();
        await assertAccessible(page, 'unavailable');
      });
    });
  }
});
