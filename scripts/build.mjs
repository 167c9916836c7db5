// Builds the app: main, preload and the CLI with esbuild (CommonJS for Electron's main and its sandboxed preload,
// koffi and electron left external), the renderer with Vite. Usage: node scripts/build.mjs [--no-renderer]
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

export async function buildApp({ renderer = true } = {}) {
  // Only what this build rewrites is cleared: a --no-renderer build keeps the last renderer build.
  for (const dir of ['main', 'preload', 'cli', ...(renderer ? ['renderer'] : [])]) rmSync(join(root, 'out', dir), { recursive: true, force: true });
  await Promise.all([
    build({ ...common, entryPoints: ['app/main/index.ts'], outfile: 'out/main/index.js', external: ['electron', 'koffi'] }),
    // A sandboxed preload may only require('electron') and a few built-ins: everything else is bundled in.
    build({
      ...common,
      entryPoints: ['app/preload/index.ts'],
      outfile: 'out/preload/index.js',
      external: ['electron'],
      platform: 'browser',
      format: 'cjs',
    }),
    build({ ...common, entryPoints: ['app/main/cli.ts'], outfile: 'out/cli/cli.js', external: ['koffi'], banner: { js: '#!/usr/bin/env node' } }),
  ]);
  chmodSync(join(root, 'out/cli/cli.js'), 0o755);
  if (renderer) {
    const { build: viteBuild } = await import('vite');
    await viteBuild({ configFile: join(root, 'vite.config.mts'), logLevel: 'warn' });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildApp({ renderer: !process.argv.includes('--no-renderer') });
  console.log('built out/main, out/preload, out/cli' + (process.argv.includes('--no-renderer') ? '' : ', out/renderer'));
}
