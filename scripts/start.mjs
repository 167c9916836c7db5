// `npm start [-- --demo | --update | --hidden]`: builds the app and runs it in Electron (which downloads its binary
// on first run). With --demo (or DEFENDER_UPDATER_DEMO=1) it first builds the stand-in library for this platform
// when a C compiler is there; otherwise the app itself says how to build it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildApp } from './build.mjs';
import { startNodeProblem } from './node-version.mjs';

const nodeProblem = startNodeProblem(process.versions.node);
if (nodeProblem) {
  console.error(nodeProblem);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.includes('--demo') || process.env.DEFENDER_UPDATER_DEMO === '1') {
  try {
    const { buildStandin } = await import('./build-standin.mjs');
    // The Linux build makes the .so; the mingw build makes MpClient.dll, which is what Windows loads.
    buildStandin(process.platform === 'win32' ? { windows: true } : { linux: true });
  } catch (error) {
    console.warn(`Demo library not built (${error instanceof Error ? error.message : String(error)}); the window will say so.`);
  }
}
await buildApp();
const electron = createRequire(import.meta.url)('electron');
const child = spawn(electron, ['.', ...args], { stdio: 'inherit', windowsHide: false });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
