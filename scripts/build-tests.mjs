// Bundles every Node-side test (test/**/*.test.ts outside test/renderer) into CommonJS under .build/test/, so the
// same compiled files run under Linux node and under the Windows node.exe in Wine (which has no TypeScript loader
// and no native esbuild of its own).
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (full === join(root, 'test', 'renderer')) continue;
      findTests(full, out);
    } else if (/\.(test|e2e|bench)\.ts$/.test(name)) out.push(full);
  }
  return out;
}

function removeStale(dir, keep) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) removeStale(full, keep);
    else if (!keep.has(full)) rmSync(full, { force: true });
  }
}

export async function buildTests() {
  const entryPoints = [...findTests(join(root, 'test')), ...findTests(join(root, 'bench'))].filter(Boolean);
  const result = await build({
    entryPoints: entryPoints.map((file) => ({ in: file, out: relative(root, file).split(sep).join('/').replace(/\.ts$/, '') })),
    outdir: join(root, '.build'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['koffi', 'electron', 'playwright-core', 'axe-core', 'eslint', 'typescript'],
    logLevel: 'warning',
    metafile: true,
  });
  // Remove bundles whose test is gone, rather than wiping the folder first: a run in progress elsewhere keeps its files.
  const fresh = new Set(Object.keys(result.metafile.outputs).map((out) => join(root, out)));
  for (const dir of ['test', 'bench']) removeStale(join(root, '.build', dir), fresh);
  return entryPoints.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = await buildTests();
  console.log(`built ${n} test bundles into .build/`);
}
