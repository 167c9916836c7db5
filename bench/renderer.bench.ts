/**
 * Renderer figures (printed, never asserted), in headless Chromium against the browser harness:
 * - raw bytes of the built JS and CSS (an app that loads from disk pays for bytes, not for gzip);
 * - first contentful paint of the harness page;
 * - notification → DOM: from the engine's receipt of each notification to the first DOM render of the event log's
 *   count that includes it, measured on the store's own event connection (the probe hooks the bridge's onEvent);
 *   under the 10,006-notification storm and at a normal pace (one every 15 ms);
 * - the renderer alone: progress events pushed in-page at full rate into the store's listener, push → DOM;
 * - a 500-entry History view: opening it until what it shows first (the newest rows and a button for the rest) is in
 *   the DOM and laid out; then pressing that button until all 500 rows are.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HistoryEntry } from '../app/shared/app-state';
import { message, verbatim } from '../app/shared/messages';
import { UPDATE_RESULTS } from '../app/shared/update';
import { historyEntry } from '../test/main/fakes';
import { launchBrowser, openApp } from '../test/e2e/browser';
import { startHarness, type Harness } from '../test/e2e/harness-client';
import { repoRoot } from '../test/support/paths';
import { median, percentile, round, runBench, type Figures } from './figures';
import {
  installProbe,
  pushProgress,
  runShown,
  startRecording,
  stopRecording,
  storeSubscribed,
  timeHistoryOpen,
  timeShowOlder,
  type HistoryTiming,
  type Mark,
} from './page-probe';

const PAINT_LOADS = 7;
const STORM_RUNS = 5;
const PACE_RUNS = 8;
const PUSHED = 10_000;
const PUSH_RUNS = 3;
const HISTORY_ROWS = 500;
const HISTORY_OPENS = 9;

function rawBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) total += rawBytes(path);
    else if (/\.(js|css)$/.test(name)) total += statSync(path).size;
  }
  return total;
}

/** For each notification (its time at index seq - 1), the first mark whose count includes it, minus that time. */
function delays(times: readonly number[], marks: readonly Mark[]): number[] {
  const out: number[] = [];
  let m = 0;
  for (let i = 0; i < times.length; i++) {
    while (m < marks.length && marks[m]!.count < i + 1) m++;
    if (m === marks.length) break;
    out.push(marks[m]!.at - times[i]!);
  }
  return out;
}

const ms = (value: number) => round(value, 1);

async function firstPaint(browser: Browser, harness: Harness): Promise<number> {
  const paints: number[] = [];
  for (let i = 0; i < PAINT_LOADS; i++) {
    const app = await openApp(browser, harness.url);
    const fcp = await app.page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
    paints.push(Number(await fcp.jsonValue()));
    await app.close();
  }
  console.log(`  first contentful paint over ${PAINT_LOADS} loads (ms): ${paints.map(ms).join(', ')}`);
  return median(paints);
}

/** A page of the harness with the probe in it from the first script on. */
async function probedPage(browser: Browser, harness: Harness): Promise<{ page: Page; close: () => Promise<void> }> {
  const app = await openApp(browser, harness.url);
  await app.context.addInitScript(installProbe);
  await app.page.reload();
  await app.page.getByRole('heading', { level: 1, name: 'Defender Updater' }).waitFor();
  await app.page.waitForFunction(storeSubscribed);
  return { page: app.page, close: () => app.close() };
}

/** Runs one update from the window and relates each notification's receipt in the engine to its DOM render. */
async function oneRun(page: Page, harness: Harness): Promise<{ toDom: number[]; toPage: number[]; renders: number; frames: number }> {
  await page.evaluate(startRecording);
  await page.getByRole('button', { name: 'Update security intelligence', exact: true }).click();
  await page.waitForFunction(runShown, undefined, { timeout: 120_000 });
  const recording = await page.evaluate(stopRecording);
  const receipts = await harness.receipts();
  if (receipts.length !== recording.arrivals.at(-1)?.count)
    throw new Error(`the harness has ${receipts.length} receipts for ${recording.arrivals.at(-1)?.count} notifications`);
  return {
    toDom: delays(receipts, recording.dom),
    toPage: delays(receipts, recording.arrivals),
    renders: recording.dom.length,
    frames: recording.frames,
  };
}

async function updateLatency(browser: Browser, label: string, scenario: string, stepMs: number, runs: number) {
  const harness = await startHarness({ scenario, stepMs });
  const { page, close } = await probedPage(browser, harness);
  try {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await oneRun(page, harness));
    const all = results.flatMap((r) => r.toDom);
    const transport = results.flatMap((r) => r.toPage);
    const p99s = results.map((r) => ms(percentile(r.toDom, 99))).join(', ');
    const renders = results.map((r) => `${r.renders}/${r.frames}`).join(', ');
    console.log(`  ${label}: ${runs} runs, ${all.length.toLocaleString('en')} notifications`);
    console.log(`    → DOM: median ${ms(median(all))} ms, p99 per run ${p99s} ms, pooled p99 ${ms(percentile(all, 99))} ms`);
    console.log(`    of which engine → page (main, SSE bridge): p99 ${ms(percentile(transport, 99))} ms; DOM renders/frames per run ${renders}`);
    return { perRunP99: median(results.map((r) => percentile(r.toDom, 99))), pooledP99: percentile(all, 99) };
  } finally {
    await close();
    await harness.stop();
  }
}

async function rendererOnly(browser: Browser): Promise<number> {
  const harness = await startHarness({ scenario: 'updated' });
  const { page, close } = await probedPage(browser, harness);
  try {
    const p99s: number[] = [];
    for (let i = 0; i < PUSH_RUNS; i++) {
      // Back to an empty log between runs, so each run's counts start from 1.
      if (i > 0) await page.reload();
      await page.waitForFunction(storeSubscribed);
      await page.evaluate(startRecording);
      const pushed = await page.evaluate(pushProgress, PUSHED);
      const { dom, frames } = await page.evaluate(stopRecording);
      const toDom = delays(pushed, dom);
      const spanMs = pushed.at(-1)! - pushed[0]!;
      p99s.push(percentile(toDom, 99));
      console.log(
        `  renderer alone: ${PUSHED.toLocaleString('en')} events in ${ms(spanMs)} ms; push → DOM median ${ms(median(toDom))} ms, p99 ${ms(percentile(toDom, 99))} ms, max ${ms(Math.max(...toDom))} ms; ${dom.length} renders over ${frames} frames`,
      );
    }
    return median(p99s);
  } finally {
    await close();
    await harness.stop();
  }
}

function historyEntries(n: number): HistoryEntry[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const result = UPDATE_RESULTS[i % UPDATE_RESULTS.length]!;
    return historyEntry(i + 1, {
      time: new Date(start + i * 6 * 3_600_000).toISOString(),
      result,
      hresult: result === 'failed' ? '0x80072EE7' : '0x00000000',
      message: result === 'failed' ? verbatim('The server name or address could not be resolved.') : message(`outcome.message.${result}`),
    });
  });
}

async function historyRender(browser: Browser): Promise<{ open: number; showOlder: number }> {
  const harness = await startHarness({ scenario: 'updated' });
  try {
    const { userData } = await harness.info();
    writeFileSync(join(userData, 'history.json'), JSON.stringify({ version: 1, entries: historyEntries(HISTORY_ROWS) }));
    await harness.restart(); // reads the history file afresh
    const app = await openApp(browser, harness.url);
    const { page } = app;
    const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
    const rows = page.locator('.history tbody tr');
    await nav('History').click();
    await rows.first().waitFor();
    const opens: HistoryTiming[] = [];
    const olders: HistoryTiming[] = [];
    for (let i = 0; i < HISTORY_OPENS; i++) {
      await nav('Update').click();
      await rows.first().waitFor({ state: 'detached' });
      const refreshed = page.waitForResponse((r) => r.url().includes('/api/history'));
      opens.push(await page.evaluate(timeHistoryOpen, HISTORY_ROWS));
      await refreshed;
      olders.push(await page.evaluate(timeShowOlder, HISTORY_ROWS));
    }
    const list = (timings: HistoryTiming[]) => timings.map((t) => ms(t.ms)).join(', ');
    const shown = [...new Set(opens.map((t) => t.rows))].join(', ');
    console.log(`  History view with ${HISTORY_ROWS} entries (${shown} rows shown first), opened ${HISTORY_OPENS} times (ms): ${list(opens)}`);
    console.log(`    then the button for the older ones until all ${HISTORY_ROWS} rows are laid out (ms): ${list(olders)}`);
    await app.close();
    return { open: median(opens.map((t) => t.ms)), showOlder: median(olders.map((t) => t.ms)) };
  } finally {
    await harness.stop();
  }
}

async function main(): Promise<Figures> {
  const bytes = rawBytes(join(repoRoot, 'out', 'renderer'));
  console.log(`  out/renderer JS + CSS: ${bytes.toLocaleString('en')} bytes`);
  const browser = await launchBrowser();
  try {
    const paintHarness = await startHarness({ scenario: 'updated' });
    const paint = await firstPaint(browser, paintHarness).finally(() => paintHarness.stop());
    const storm = await updateLatency(browser, 'storm', 'storm', 0, STORM_RUNS);
    const pace = await updateLatency(browser, 'normal pace (15 ms apart)', 'updated', 15, PACE_RUNS);
    const alone = await rendererOnly(browser);
    const history = await historyRender(browser);
    return {
      'renderer.rawBytes': bytes,
      'renderer.firstPaintMs': ms(paint),
      'latency.stormP99Ms': ms(storm.perRunP99),
      'latency.paceP99Ms': ms(pace.pooledP99),
      'latency.rendererOnlyP99Ms': ms(alone),
      'history.render500Ms': ms(history.open),
      'history.showOlderMs': ms(history.showOlder),
      'browser.version': browser.version(),
    };
  } finally {
    await browser.close();
  }
}

runBench(main);
