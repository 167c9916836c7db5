#!/usr/bin/env node
// Browser test harness (test tooling, not part of the app): builds the renderer if out/renderer is missing or older
// than its sources, bundles the harness server and bridge (test/harness) with esbuild, then serves the renderer on
// http://127.0.0.1:<port> with window.defender bridged to the real engine (koffi + the library named by MPCLIENT_PATH).
//
// Usage: npm run harness -- --port 5199 [--demo] [--watchdog-ms 3000] [--user-data DIR] [--rebuild]
// The environment is passed through to the engine and the stand-in (MPCLIENT_PATH, MPCLIENT_STANDIN_*).
// Prints "harness listening on <url>" when ready; SIGINT/SIGTERM close the engine and remove the temp folder.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5199' },
    demo: { type: 'boolean', default: false },
    'watchdog-ms': { type: 'string' },
    'user-data': { type: 'string' },
    rebuild: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`harness: --port must be a port number, not ${values.port}`);
  process.exit(2);
}

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

// Build into a private folder and rename it into place, so a harness started in parallel never serves half a build.
const rendererDir = join(root, 'out', 'renderer');
const index = join(rendererDir, 'index.html');
const sources = ['app/renderer', 'app/shared', 'vite.config.mts'].map((p) => join(root, p));
if (values.rebuild || !existsSync(index) || Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs) {
  const { build: viteBuild } = await import('vite');
  const tmp = join(root, 'out', `.renderer-${process.pid}`);
  await viteBuild({ configFile: join(root, 'vite.config.mts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true } });
  rmSync(rendererDir, { recursive: true, force: true });
  renameSync(tmp, rendererDir);
}

const outDir = join(root, '.build', 'harness');
const bundles = await Promise.all([
  build({
    entryPoints: [join(root, 'test/harness/server.ts')],
    outfile: join(outDir, 'server.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['koffi', 'electron'],
    sourcemap: 'inline',
    logLevel: 'warning',
    write: false,
  }),
  build({
    entryPoints: [join(root, 'test/harness/bridge.ts')],
    outfile: join(outDir, 'bridge.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
    write: false,
  }),
]);
for (const file of bundles.flatMap((b) => b.outputFiles)) {
  mkdirSync(dirname(file.path), { recursive: true });
  const tmp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(tmp, file.contents);
  renameSync(tmp, file.path);
}

const { startHarness } = (await import(pathToFileURL(join(outDir, 'server.cjs')).href)).default;
const harness = await startHarness({
  port,
  rendererDir,
  bridgeFile: join(outDir, 'bridge.js'),
  axeFile: join(root, 'node_modules', 'axe-core', 'axe.min.js'),
  demo: values.demo,
  watchdogMs: values['watchdog-ms'] ? Number(values['watchdog-ms']) : undefined,
  userDataDir: values['user-data'],
  env: process.env,
  appRoot: root,
});
console.log(`harness listening on ${harness.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await harness.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
