/**
 * Update without internet, end to end: headless Chromium against the browser harness, the real engine, the stand-in
 * MpClient and the stand-in MpCmdRun on one state file. Waits for conditions only.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshot, type AppPage } from './browser';
import type { Harness, HarnessSetup } from './harness-client';
import { useBrowser, withApp as withAppIn } from './session';
import { makeShareFolder, peImage } from '../support/mpcmdrun-standin';

// Functions passed to page.evaluate run in Chromium; this Node-side project has no DOM lib.
declare const window: { __harnessFilePaths?: Record<string, string>; dispatchEvent(event: object): boolean };
declare class DataTransfer {
  items: { add(file: object): void };
}
declare class File {
  constructor(parts: string[], name: string);
}
declare class DragEvent {
  constructor(type: string, init: { dataTransfer: DataTransfer; bubbles: boolean; cancelable: boolean });
}

const browser = useBrowser();
const withApp = (setup: HarnessSetup, body: (app: AppPage, harness: Harness) => Promise<void>) => withAppIn(browser(), setup, body);
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { name, exact: true });

// Files the tests hand the app: a package for this PC (a PE header the checks accept) and a text file.
const files = mkdtempSync(join(tmpdir(), 'du-e2e-offline-'));
after(() => rmSync(files, { recursive: true, force: true }));
const downloads = join(files, 'Downloads');
mkdirSync(downloads);
const packageFile = join(downloads, 'mpam-fe.exe');
writeFileSync(packageFile, peImage(0x8664));
const textFile = join(downloads, 'notes.txt');
writeFileSync(textFile, 'Not a program.\n');

/** Waits for a condition outside the page (the harness's records), failing with `what` after 20 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function openOffline(page: Page) {
  await page.getByText('Update without internet', { exact: true }).click();
  await button(page, 'Update from file…').waitFor();
}

/** Drops a file on the window as Chromium would; the harness bridge knows its path as the preload would. */
async function drop(page: Page, name: string, path: string) {
  await page.evaluate(
    ([fileName, filePath]) => {
      window.__harnessFilePaths = { [fileName]: filePath };
      const data = new DataTransfer();
      data.items.add(new File(['MZ'], fileName));
      for (const type of ['dragenter', 'dragover', 'drop'])
        window.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [name, path] as const,
  );
}

describe('update without internet', { timeout: 300_000 }, () => {
  test('Update from file… installs the package through MpCmdRun: a higher version, and history says so', async () => {
    await withApp({ packageFile, mpCmdRun: { scenario: 'slow', stepMs: 150 } }, async ({ page }, harness) => {
      const before = (await harness.state()).versions!.antivirus.version;
      await openOffline(page);
      await assertAccessible(page, 'offline');
      await button(page, 'Update from file…').click();
      await page
        .getByTestId('offline-job')
        .filter({ hasText: `From ${packageFile}, with MpCmdRun` })
        .waitFor();
      await heading(page, 'Searching for updates…').waitFor();
      await heading(page, 'Security intelligence updated').waitFor({ timeout: 60_000 });
      const after = (await harness.state()).versions!.antivirus.version;
      assert.notEqual(after, before);
      await page
        .getByTestId('result-versions')
        .filter({ hasText: `${before} → ${after}` })
        .waitFor();
      const [args] = harness.mpCmdRunRuns();
      assert.deepEqual(args?.slice(0, 3), ['-SignatureUpdate', '-UNC', '-Path']);
      assert.notEqual(args?.[3], downloads, 'MpCmdRun got a private copy, never the download folder');
      await page
        .getByTestId('source-job')
        .filter({ hasText: `From ${packageFile}, with MpCmdRun` })
        .waitFor();
      await screenshot(page, 'offline', { fullPage: true });

      await button(page, 'History').click();
      await page.getByText('via MpCmdRun').waitFor();
    });
  });

  test('a package dropped on the window is installed; a text file dropped is refused with the reason', async () => {
    await withApp({}, async ({ page }, harness) => {
      await button(page, 'Update security intelligence').waitFor();
      await drop(page, 'notes.txt', textFile);
      const alert = page.getByRole('alert');
      await alert.filter({ hasText: 'The package could not be installed. This file or folder cannot be used.' }).waitFor();
      assert.match((await alert.textContent()) ?? '', /is not a Windows program/);
      assert.deepEqual(harness.mpCmdRunRuns(), [], 'MpCmdRun never ran for the text file');

      await drop(page, 'mpam-fe.exe', packageFile);
      await heading(page, 'Security intelligence updated').waitFor({ timeout: 60_000 });
      assert.equal(harness.mpCmdRunRuns().length, 1);
      assert.equal((await harness.state()).lastOutcome?.via, 'mpcmdrun');
    });
  });

  test('Repair asks first, then removes definitions through MpCmdRun and updates through MpClient', async () => {
    await withApp({ scenario: 'updated' }, async ({ page }, harness) => {
      await openOffline(page);
      await button(page, 'Repair security intelligence').click();
      const dialog = page.getByRole('alertdialog', { name: 'Repair security intelligence?' });
      await dialog.waitFor();
      await screenshot(page, 'repair-confirm', { fullPage: true });
      await assertAccessible(page, 'repair confirmation');
      await dialog.getByRole('button', { name: 'Remove and update' }).click();
      await heading(page, 'Security intelligence updated').waitFor({ timeout: 60_000 });
      assert.deepEqual(harness.mpCmdRunRuns(), [['-RemoveDefinitions', '-DynamicSignatures']]);
      const outcome = (await harness.state()).lastOutcome;
      assert.deepEqual([outcome?.result, outcome?.via, outcome?.offline], ['succeeded', 'mpcmdrun', { kind: 'repair', all: false }]);
    });
  });

  test('a failure with broken definitions offers Repair; the share folder in Settings is checked and used', async () => {
    const share = makeShareFolder(join(files, 'share'));
    await withApp({ mpCmdRun: { scenario: 'bad-package' } }, async ({ page }, harness) => {
      await button(page, 'Settings').click();
      await page.getByLabel('Update source').selectOption('file-share');
      const folder = page.getByLabel('Folder or file share (optional)');
      await folder.fill(join(files, 'nowhere'));
      await button(page, 'Save folder').click();
      await page.getByRole('alert').filter({ hasText: 'This file or folder cannot be used.' }).waitFor();
      assert.equal(await folder.getAttribute('aria-invalid'), 'true');
      await folder.fill(`${share}${sep}x64`);
      await button(page, 'Save folder').click();
      // Kept as its parent: MpCmdRun adds the x64 folder itself.
      await until(async () => (await folder.inputValue()) === share, 'the saved folder in the box');
      assert.equal((await harness.state()).settings.sharePath, share);

      await button(page, 'Update').click();
      await button(page, 'Update security intelligence').click();
      const card = page.getByTestId('error-card');
      await card.waitFor({ timeout: 60_000 });
      assert.equal(await card.getByTestId('error-hex').textContent(), '0x8050A004');
      await card.getByRole('button', { name: 'Repair security intelligence' }).waitFor();
      assert.deepEqual(harness.mpCmdRunRuns(), [['-SignatureUpdate', '-UNC', '-Path', share]]);
    });
  });

  test("the download page opens through main's fixed table", async () => {
    await withApp({}, async ({ page }, harness) => {
      await openOffline(page);
      await button(page, 'Download the package from Microsoft').click();
      await until(async () => (await harness.links()).length > 0, 'the link to be opened');
      assert.deepEqual(await harness.links(), ['https://www.microsoft.com/en-us/wdsi/defenderupdates']);
    });
  });
});
