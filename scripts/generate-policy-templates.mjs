#!/usr/bin/env node
// Writes the Group Policy / Intune templates from the policy table the app reads (app/shared/policy.ts):
//   assets/policy/DefenderUpdater.admx, assets/policy/en-US/DefenderUpdater.adml, assets/policy/ru-RU/DefenderUpdater.adml
//
//   npm run policy              write them
//   npm run policy -- --check   exit 1 if the committed files differ from a fresh rendering
//
// The table is TypeScript, so esbuild bundles the renderer (scripts/policy-templates.ts, which imports the table) into
// .build/ and this script imports that bundle: the table is read, never copied.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function renderPolicyTemplates() {
  // A file per process, so two runs at once never import each other's half-written bundle.
  const outfile = join(root, '.build', 'policy', `policy-templates.${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'scripts', 'policy-templates.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  try {
    const module = await import(pathToFileURL(outfile).href);
    return module.renderPolicyTemplates();
  } finally {
    rmSync(outfile, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await renderPolicyTemplates();
  if (process.argv.includes('--check')) {
    const stale = files.filter((file) => {
      try {
        return readFileSync(join(root, file.path), 'utf8') !== file.text;
      } catch {
        return true;
      }
    });
    for (const file of stale) console.error(`${file.path} is not current: run npm run policy`);
    if (stale.length) process.exit(1);
    console.log('policy templates are current');
  } else {
    for (const file of files) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.text);
      console.log(`wrote ${file.path}`);
    }
  }
}
