/**
 * Renderer figures (printed, never asserted): bundle size (gzip) and, under the 10,000-notification storm, the time
 * from each notification's arrival in the engine to the first DOM update that reflects it (median, p99), with the
 * number of DOM renders against the number of animation frames.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, openApp } from '../test/e2e/browser';
import { startHarness } from '../test/e2e/harness-client';
import { repoRoot } from '../test/support/paths';

declare function requestAnimationFrame(callback: (time: number) => void): number;
declare const window: unknown;
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  body: unknown;
};
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: Record<string, unknown>): void;
}

interface Probe {
  seen: Array<{ seq: number; receivedAt: number; arrivedAt: number }>;
  dom: Array<{ at: number; count: number }>;
  frames: number;
  stop: boolean;
}

function bundleSize(): { raw: number; gzip: number; files: number } {
  const dir = join(repoRoot, 'out', 'renderer', 'assets');
  let raw = 0;
  let gzip = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const data = readFileSync(join(dir, name));
    raw += statSync(join(dir, name)).size;
    gzip += gzipSync(data, { level: 9 }).length;
    files++;
  }
  return { raw, gzip, files };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main() {
  const size = bundleSize();
  console.log(`bundle: ${(size.gzip / 1024).toFixed(1)} KB gzip (${(size.raw / 1024).toFixed(1)} KB raw, ${size.files} files; target ≤ 70 KB gzip)`);

  // The storm is the stress case; a normal pace shows the pipeline's latency when the machine is not saturated.
  await measure('storm', 'storm', 0);
  await measure('normal pace (15 ms apart)', 'updated', 15);
}

/** Runs one update in the harness and relates each notification's engine time to the DOM update that shows it. */
async function measure(label: string, scenario: string, stepMs: number): Promise<void> {
  const harness = await startHarness({ scenario, stepMs });
  const browser = await launchBrowser();
  try {
    const app = await openApp(browser, harness.url);
    const { page } = app;
    await page.evaluate(() => {
      const w = window as {
        __probe: Probe;
        defender: {
          onEvent(l: (e: { type: string; records?: Array<{ seq: number; receivedAt: number }> }) => void): () => void;
        };
      };
      const probe: Probe = { seen: [], dom: [], frames: 0, stop: false };
      w.__probe = probe;
      // Same bridge and events the store gets: the engine's receive time of every notification.
      w.defender.onEvent((e) => {
        const arrivedAt = Date.now();
        if (e.type === 'notifications' && e.records)
          for (const r of e.records)
            probe.seen.push({
              seq: r.seq,
              receivedAt: r.receivedAt,
              arrivedAt,
            });
      });
      const counter = () => Number(/\((\d+)/.exec(document.querySelector('[data-testid="notification-count"]')?.textContent ?? '')?.[1] ?? 0);
      new MutationObserver(() => {
        const count = counter();
        const last = probe.dom.at(-1);
        if (!last || last.count !== count) probe.dom.push({ at: Date.now(), count });
      }).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
      });
      const tick = () => {
        probe.frames++;
        if (!probe.stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.getByRole('button', { name: 'Update signatures' }).click();
    await page.getByRole('heading', { name: 'Security intelligence updated' }).waitFor({ timeout: 120_000 });
    const final = await harness.state();
    await page
      .getByTestId('notification-count')
      .filter({ hasText: `(${final.update.notificationCount} ` })
      .waitFor();
    const probe = await page.evaluate(() => {
      const w = window as { __probe: Probe };
      w.__probe.stop = true;
      return w.__probe;
    });
    // For each notification: the first DOM update whose count includes it.
    const latencies: number[] = [];
    const transport: number[] = [];
    let d = 0;
    for (const { seq, receivedAt, arrivedAt } of probe.seen.sort((a, b) => a.seq - b.seq)) {
      transport.push(arrivedAt - receivedAt);
      while (d < probe.dom.length && probe.dom[d]!.count < seq) d++;
      if (d < probe.dom.length) latencies.push(probe.dom[d]!.at - receivedAt);
    }
    latencies.sort((a, b) => a - b);
    transport.sort((a, b) => a - b);
    console.log(
      `${label}: ${probe.seen.length.toLocaleString('en')} notifications, ${probe.dom.length} DOM renders of the count over ${probe.frames} frames (target: ≤ 1 per frame)`,
    );
    console.log(
      `  notification → DOM: median ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms (target p99 ≤ 50 ms)`,
    );
    console.log(`    of which engine → page (main process and bridge): median ${percentile(transport, 50)} ms, p99 ${percentile(transport, 99)} ms`);
    await app.close();
  } finally {
    await browser.close();
    await harness.stop();
  }
}

void main();
