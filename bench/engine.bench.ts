/**
 * Engine figures (printed, never asserted): notifications per second through the engine next to the raw rate of koffi
 * cross-thread callbacks from the same stand-in in the same run, and heap growth over 1,000 updates.
 * Run with `npm run bench` (node --expose-gc).
 */
import {
  registerCallback,
  unregisterCallback,
  allocCallbackInfo,
  freeNative,
  MpClientLibrary,
  decodeCallbackData,
} from '../app/main/mpclient/binding';
import { MPUPDATE_OPTION } from '../app/main/mpclient/constants';
import { openStandinEngine, runUpdate } from '../test/support/engine';
import { standinLibraryPath } from '../test/support/paths';
import { useStandin } from '../test/support/standin';

const ROUNDS = 7;
const COMPLETE = 0x800d;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** The floor: a callback that only decodes the 32-byte MPCALLBACK_DATA and counts. */
async function rawRate(lib: MpClientLibrary): Promise<number> {
  const { value: manager } = await lib.managerOpen();
  if (!manager) throw new Error('MpManagerOpen failed');
  let count = 0;
  let first = 0;
  let resolveDone!: (ms: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const cb = registerCallback((_ctx, ptr) => {
    if (!ptr) return 0;
    const data = decodeCallbackData(ptr);
    if (count++ === 0) first = performance.now();
    if (data.Notify >>> 0 === COMPLETE) resolveDone(performance.now() - first);
    return 0;
  });
  const info = allocCallbackInfo(cb, 1n);
  const keepAlive = setInterval(() => undefined, 1000);
  const { value: handle } = await lib.updateStart(manager, MPUPDATE_OPTION.ASYNC | MPUPDATE_OPTION.PROGRESS, info);
  const ms = await done;
  clearInterval(keepAlive);
  if (handle) await lib.handleClose(handle);
  unregisterCallback(cb);
  freeNative(info);
  await lib.handleClose(manager);
  return ((count - 1) / ms) * 1000;
}

async function main() {
  const standin = useStandin({ scenario: 'storm', stepMs: 0 });
  const lib = MpClientLibrary.load(standinLibraryPath());
  const engine = await openStandinEngine({});
  const raw: number[] = [];
  const through: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    raw.push(await rawRate(lib));
    const { records } = await runUpdate(engine);
    const span = records.at(-1)!.receivedAt - records[0]!.receivedAt;
    // receivedAt is in ms from Date.now(); over ~10,000 notifications its resolution is ample.
    through.push(((records.length - 1) / span) * 1000);
  }
  const rawMedian = median(raw);
  const engineMedian = median(through);
  // Rounds alternate raw and engine, so each ratio compares runs made under the same machine load.
  const ratio = median(raw.map((r, i) => (through[i] ?? 0) / r));
  console.log(`storm, ${ROUNDS} alternating rounds of 10,006 notifications (median):`);
  console.log(`  raw koffi cross-thread callbacks  ${Math.round(rawMedian).toLocaleString('en')} /s`);
  console.log(`  through the engine                ${Math.round(engineMedian).toLocaleString('en')} /s`);
  console.log(`  engine keeps                      ${(ratio * 100).toFixed(1)} % of the raw rate (median of per-round ratios; target ≥ 90 %)`);

  standin.apply({ scenario: 'up-to-date', stepMs: 0 });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) console.log('  (run with --expose-gc for heap figures)');
  for (let i = 0; i < 200; i++) await runUpdate(engine); // warm-up: JIT, koffi pools
  const growth: string[] = [];
  for (let round = 0; round < 3; round++) {
    gc?.();
    gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) await runUpdate(engine);
    gc?.();
    gc?.();
    growth.push(`${((process.memoryUsage().heapUsed - before) / 1024).toFixed(0)} KiB`);
  }
  // A leak grows every round; noise does not.
  console.log(`heap growth over 1,000 updates, three rounds in a row: ${growth.join(', ')}`);
  await engine.dispose();
  standin.cleanup();
}

void main();
