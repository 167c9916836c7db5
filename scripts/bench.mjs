// `npm run bench`: prints the performance figures (never asserted in tests): engine throughput against raw koffi
// callbacks, heap growth over 1,000 updates, and the renderer's bundle size and notification-to-DOM latency.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStandin } from './build-standin.mjs';
import { buildTests } from './build-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
buildStandin({ linux: true, quiet: true });
const { buildApp } = await import('./build.mjs');
await buildApp({ renderer: true });
await buildTests();
let failed = false;
for (const bench of ['engine.bench.js', 'renderer.bench.js']) {
  const file = join(root, '.build', 'bench', bench);
  if (!existsSync(file)) continue;
  console.log(`\n== ${bench.replace('.bench.js', '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', file], { cwd: root, stdio: 'inherit' });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
