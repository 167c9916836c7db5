/**
 * Memory figures (printed, never asserted): RSS and heap over 10 rounds of 1,000 updates through the engine and the
 * controller, each round a 10,006-notification storm and then 999 ordinary updates whose notifications all carry a
 * Path string. Read after two forced collections at the end of each round; the growth is round 10 minus round 1,
 * after a warm-up round that is not counted (JIT, koffi's pools, V8 growing its heap to its working size).
 * Needs node --expose-gc (`npm run bench` passes it).
 */
import { rmSync } from 'node:fs';
import { useStandin } from '../test/support/standin';
import { openAppRig } from './app-rig';
import { round, runBench, type Figures } from './figures';

const ROUNDS = 10;
const UPDATES_PER_ROUND = 1_000;
const MIB = 1024 * 1024;

async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 2; i++) {
    gc();
    // Let finalizers and koffi's deferred frees run between the collections.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage();
}

async function main(): Promise<Figures> {
  const standin = useStandin({ scenario: 'storm,updated', stepMs: 0 });
  const rig = await openAppRig();
  const samples: NodeJS.MemoryUsage[] = [];
  try {
    for (let r = 0; r <= ROUNDS; r++) {
      // A fresh state file puts the stand-in back at the first scenario: the storm.
      rmSync(standin.stateFile, { force: true });
      for (let i = 0; i < UPDATES_PER_ROUND; i++) {
        await rig.runUpdate();
        const { notificationCount } = rig.engine.getSnapshot();
        if (i === 0 && notificationCount < 10_000) throw new Error(`round ${r} began with ${notificationCount} notifications, not the storm`);
      }
      samples.push(await settledMemory());
      const { rss, heapUsed, heapTotal } = samples.at(-1)!;
      // heapTotal shows V8 growing its young generation (256 KiB pages touched once): RSS steps with it, heapUsed not.
      const mib = (bytes: number) => (bytes / MIB).toFixed(1);
      console.log(`  ${r === 0 ? 'warm-up ' : `round ${r}`.padEnd(8)}  rss ${mib(rss)} MiB, heap used ${mib(heapUsed)} of ${mib(heapTotal)} MiB`);
    }
  } finally {
    await rig.dispose();
    standin.cleanup();
  }
  const first = samples[1]!;
  const last = samples[ROUNDS]!;
  return {
    'memory.rssGrowthMiB': round((last.rss - first.rss) / MIB, 2),
    'memory.heapGrowthMiB': round((last.heapUsed - first.heapUsed) / MIB, 2),
    'memory.rounds': ROUNDS,
    'memory.updatesPerRound': UPDATES_PER_ROUND,
  };
}

runBench(main);
