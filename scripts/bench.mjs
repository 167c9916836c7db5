// `npm run bench [-- --json] [--only engine,memory,renderer]`: the performance figures, printed as a table and never
// asserted (speed is not a test). With --json, also writes them to bench.json (git-ignored), nested by key:
// `.engine.usPerNotification`.
//
// Each bench is its own node process (--expose-gc) writing its figures to a temporary file: bench/engine.bench.ts
// (pinned to CPU 0 with taskset where it can be), bench/memory.bench.ts and bench/renderer.bench.ts (headless Chromium
// against the browser harness). Timings follow the machine's load; the table says what the load was.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildStandin } from './build-standin.mjs';
import { buildTests } from './build-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string' } } });
const BENCHES = ['engine', 'memory', 'renderer'];
const only = args.only?.split(',') ?? BENCHES;
for (const name of only) if (!BENCHES.includes(name)) throw new Error(`--only: unknown bench "${name}"; choose from ${BENCHES.join(', ')}`);
/** The IPC bytes of one storm before the single progress stream (issue 12 §3). */
const TODAY_STORM_BYTES = 3_100_000;

/** [key, unit, target (the figure must be at most this), what it is]. */
const FIGURES = [
  ['engine.usPerNotification', 'µs', null, 'storm through the engine and the controller'],
  ['engine.emptyCallbackUs', 'µs', null, 'the same storm into a koffi callback that does nothing'],
  ['engine.fullDecodeUs', 'µs', null, '… into one that decodes both structs and Path whole'],
  ['engine.ratioToEmpty', '×', 1.1, 'engine ÷ empty, median of same-round ratios'],
  ['memory.rssGrowthMiB', 'MiB', null, 'round 1 → round 10 of 1,000 updates (a storm, Path strings), after gc'],
  ['memory.heapGrowthMiB', 'MiB', null, 'the same, V8 heap'],
  ['storm.bytesOverIpc', 'B', TODAY_STORM_BYTES * 0.1, 'JSON of every controller event in one storm (≥ 90 % below 3.1 MB)'],
  ['renderer.rawBytes', 'B', null, 'JS + CSS in out/renderer, as loaded (not gzip)'],
  ['renderer.firstPaintMs', 'ms', 150, 'first contentful paint of the harness page, median of 7 loads'],
  ['latency.stormP99Ms', 'ms', null, 'notification → DOM in the storm, median of 5 runs’ p99'],
  ['latency.paceP99Ms', 'ms', null, 'notification → DOM, one every 15 ms, p99 of 8 runs'],
  ['latency.rendererOnlyP99Ms', 'ms', 20, 'events pushed in-page at full rate → DOM, median of 3 runs’ p99'],
  ['history.render500Ms', 'ms', 30, 'opening a 500-entry History view until laid out (the newest 50 and a button), median of 9'],
  ['history.showOlderMs', 'ms', null, '… then its "Show 450 older updates" button until all 500 rows are laid out, median of 9'],
];

function canPin() {
  if (process.platform !== 'linux') return 'not Linux';
  const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', ''], { stdio: 'ignore' });
  if (probe.error) return 'taskset not found (util-linux)';
  return probe.status === 0 ? null : `taskset -c 0 failed (exit ${probe.status})`;
}

buildStandin({ linux: true, quiet: true });
const { buildApp } = await import('./build.mjs');
await buildApp({ renderer: true });
await buildTests();

const loadBefore = loadavg();
const pinRefusal = canPin();
const tmp = mkdtempSync(join(tmpdir(), 'du-bench-'));
const figures = {};
const failed = [];
for (const name of only) {
  const pinned = name === 'engine';
  const out = join(tmp, `${name}.json`);
  const node = [process.execPath, '--expose-gc', join(root, '.build', 'bench', `${name}.bench.js`), '--out', out];
  const pin = pinned && !pinRefusal;
  console.log(`\n== ${name}${pinned ? (pin ? ' (pinned: taskset -c 0)' : ` (NOT pinned: ${pinRefusal})`) : ''}`);
  const r = pin
    ? spawnSync('taskset', ['-c', '0', ...node], { cwd: root, stdio: 'inherit' })
    : spawnSync(node[0], node.slice(1), { cwd: root, stdio: 'inherit' });
  if (r.status === 0) Object.assign(figures, JSON.parse(readFileSync(out, 'utf8')));
  else failed.push(name);
}
rmSync(tmp, { recursive: true, force: true });
const loadAfter = loadavg();

const bytes = figures['storm.bytesOverIpc'];
const reduction = typeof bytes === 'number' ? Math.round((1 - bytes / TODAY_STORM_BYTES) * 1000) / 10 : null;
Object.assign(figures, {
  'engine.pinned': pinRefusal === null,
  'storm.todayBytes': TODAY_STORM_BYTES,
  'storm.reductionPercent': reduction,
  'machine.date': new Date().toISOString(),
  'machine.cpus': cpus().length,
  'machine.loadBefore': loadBefore.map((l) => Math.round(l * 100) / 100),
  'machine.loadAfter': loadAfter.map((l) => Math.round(l * 100) / 100),
  'machine.node': process.version,
});

const show = (value) => (value === undefined || value === null ? '—' : typeof value === 'number' ? value.toLocaleString('en') : String(value));
const rows = FIGURES.map(([key, unit, target, what]) => {
  const value = figures[key];
  const verdict = target === null || typeof value !== 'number' ? '' : value <= target ? 'met' : 'NOT met';
  return [key, `${show(value)} ${value === undefined ? '' : unit}`, target === null ? '' : `≤ ${show(target)} ${unit}`, verdict, what];
});
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i].length), 6));
console.log(`\n${'figure'.padEnd(widths[0])}  ${'value'.padStart(widths[1])}  ${'target'.padEnd(widths[2])}  ${''.padEnd(widths[3])}  what`);
for (const row of rows)
  console.log(`${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3].padEnd(widths[3])}  ${row[4]}`);
if (reduction !== null) console.log(`\nstorm over IPC: ${show(bytes)} B against 3.1 MB before the single progress stream: ${reduction} % less`);
console.log(
  `engine rounds ${pinRefusal === null ? 'pinned to CPU 0' : `NOT pinned (${pinRefusal}): unpinned koffi callbacks flip between ~10 and ~50 µs`}; ` +
    `load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after, on ${cpus().length} CPUs.`,
);
console.log('Every timing depends on that load: figures are medians; compare runs made under similar load.');
if (failed.length) console.log(`\nFAILED: ${failed.join(', ')} (see above); their figures are missing.`);

if (args.json) {
  const nested = {};
  for (const [key, value] of Object.entries(figures)) {
    const [group, name] = key.split('.');
    (nested[group] ??= {})[name] = value;
  }
  writeFileSync(join(root, 'bench.json'), `${JSON.stringify(nested, null, 2)}\n`);
  console.log('wrote bench.json');
}
process.exit(failed.length ? 1 : 0);
