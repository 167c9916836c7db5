// `npm run licenses`: writes docs/licenses.md, the licence of every third-party package whose code ships in the
// Windows packages. `node scripts/licenses.mjs --check` exits 1 (and says so) when the committed file is not current;
// test/release/licenses.test.ts runs that.
//
// Two kinds of shipped code, both read from package-lock.json (versions and licences as npm records them), so the
// result does not depend on what happens to be installed on this machine:
// - installed into app.asar's node_modules: the production dependencies, transitively, following `dependencies` and
//   `optionalDependencies`; a platform package (os/cpu in the lockfile) only if it is one of the Windows targets
//   electron-builder.yml packages (koffi's @koromix/koffi-win32-x64 and -arm64);
// - bundled into out/ by esbuild and Vite: every package an entry point (main, preload, renderer) reaches, found with
//   esbuild's metafile over the same entry points. The CLI (out/cli) is not packaged, so it is not counted.
// Electron's own licences (Electron, Chromium and its components, Node.js) come with Electron's binaries.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT = join(root, 'docs', 'licenses.md');
const TARGETS = [
  { os: 'win32', cpu: 'x64' },
  { os: 'win32', cpu: 'arm64' },
];

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const packages = lock.packages;

/** The lockfile key a package name resolves to from `fromKey`, following Node's lookup up the node_modules tree. */
function resolveKey(fromKey, name) {
  let base = fromKey;
  for (;;) {
    const key = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) return key;
    if (!base) return null;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

function nameOf(key) {
  return key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

function shipsOnATarget(entry) {
  if (!entry.os && !entry.cpu) return true;
  return TARGETS.some(({ os, cpu }) => (!entry.os || entry.os.includes(os)) && (!entry.cpu || entry.cpu.includes(cpu)));
}

function installedKeys() {
  const found = new Set();
  const visit = (fromKey, deps) => {
    for (const name of Object.keys(deps ?? {})) {
      const key = resolveKey(fromKey, name);
      if (!key || found.has(key)) continue; // an optional package of another platform may be absent from the lockfile
      const entry = packages[key];
      if (entry.dev || !shipsOnATarget(entry)) continue;
      found.add(key);
      visit(key, { ...entry.dependencies, ...entry.optionalDependencies });
    }
  };
  const rootEntry = packages[''];
  visit('', { ...rootEntry.dependencies, ...rootEntry.optionalDependencies });
  return [...found];
}

async function bundledKeys() {
  const common = { bundle: true, write: false, metafile: true, outdir: join(root, '.build', 'licenses'), logLevel: 'error', absWorkingDir: root };
  const html = readFileSync(join(root, 'app', 'renderer', 'index.html'), 'utf8');
  const rendererEntry = /<script[^>]+src="\.\/([^"]+)"/.exec(html)?.[1];
  if (!rendererEntry) throw new Error('app/renderer/index.html: no <script src> entry');
  const results = await Promise.all([
    build({ ...common, entryPoints: ['app/main/index.ts'], platform: 'node', format: 'cjs', external: ['electron', 'koffi'] }),
    build({ ...common, entryPoints: ['app/preload/index.ts'], platform: 'browser', format: 'cjs', external: ['electron'] }),
    build({
      ...common,
      entryPoints: [join('app', 'renderer', rendererEntry)],
      platform: 'browser',
      format: 'esm',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.png': 'empty', '.svg': 'empty', '.woff': 'empty', '.woff2': 'empty' },
    }),
  ]);
  const keys = new Set();
  for (const { metafile } of results) {
    for (const input of Object.keys(metafile.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) keys.add(match[1]);
    }
  }
  for (const key of keys) if (!packages[key]) throw new Error(`${key} is bundled but not in package-lock.json`);
  return [...keys];
}

function table(keys) {
  const rows = keys
    .map((key) => ({
      name: nameOf(key),
      version: packages[key].version,
      license: packages[key].license ?? 'UNKNOWN (no licence in package-lock.json)',
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  return [
    '| Package | Version | Licence |',
    '|---|---|---|',
    ...rows.map((r) => `| [${r.name}](https://www.npmjs.com/package/${r.name}/v/${r.version}) | ${r.version} | ${r.license} |`),
  ].join('\n');
}

export async function renderLicenses() {
  const installed = installedKeys();
  const bundled = (await bundledKeys()).filter((key) => !installed.includes(key));
  const own = packages[''];
  return `# Licences of shipped dependencies

Generated by \`npm run licenses\` (\`scripts/licenses.mjs\`) from \`package-lock.json\`; a test fails when this file is
not current. Defender Updater itself is under the ${own.license} licence.

## Installed into the package (\`node_modules\` in \`app.asar\`)

The production dependencies, transitively, with the native packages of the Windows targets (x64, arm64).

${table(installed)}

## Bundled into the app's JavaScript (\`out/main\`, \`out/preload\`, \`out/renderer\`)

Packages whose code esbuild and Vite copy into the bundles (development dependencies for npm, shipped all the same).

${table(bundled)}

## Electron

Electron's runtime (Electron, Chromium and its third-party components, Node.js) ships with Electron's own licence
files, which electron-builder keeps beside the executable: \`LICENSE.electron.txt\` and \`LICENSES.chromium.html\`.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await renderLicenses();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {
      /* missing: not current */
    }
    if (current !== text) {
      console.error('docs/licenses.md is not current: run npm run licenses');
      process.exit(1);
    }
    console.log('docs/licenses.md is current');
  } else {
    writeFileSync(OUTPUT, text);
    console.log('wrote docs/licenses.md');
  }
}
