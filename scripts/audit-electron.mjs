// `npm run audit:electron`: Electronegativity (Doyensec's Electron security scanner) over the built app, the bundles
// that go into the package: out/main, out/preload, out/renderer (run `node scripts/build.mjs` first). Fails on any
// finding of medium severity or more, at any confidence, and on any file it could not parse (an unparsed main bundle
// would silently hide every main-process check). Prints every finding, low ones included.
//
// Two adjustments, each for a reason:
// - The bundles are copied to a temporary folder with their syntax lowered to ES2020 by esbuild (same code, same
//   calls; class private fields become WeakMaps), because Electronegativity's Babel traverse stops at
//   "Unknown node type ClassPrivateProperty" in the bundled libraries and would then skip the whole main bundle.
// - AvailableSecurityFixesGlobalCheck is excluded: it downloads Electron's release list from GitHub on every run,
//   which CI cannot reach. Whether the Electron in use has advisories is answered by scripts/audit-deps.mjs instead.
// - REVIEWED lists findings of the "review this use" kind that a person has reviewed: each is matched by its check
//   and the exact code it flags, so any change to that code fails the audit again until it is reviewed again.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import run from '@doyensec/electronegativity';
import { transformSync } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = ['out/main', 'out/preload', 'out/renderer'];
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
const FAIL_AT = 'MEDIUM';

/** Reviewed uses: [check id, code the finding's sample must contain, why it is safe]. */
const REVIEWED = [
  [
    'OPEN_EXTERNAL_JS_CHECK',
    'openExternal(WINDOWS_SECURITY_URI)',
    'the one fixed URI windowsdefender://threat, behind the guard in app/main/security.ts (checklist item 14)',
  ],
  [
    'PROTOCOL_HANDLER_JS_CHECK',
    'setAsDefaultProtocolClient(PROTOCOL_SCHEME)',
    "the app's own defender-updater: scheme; a URL acts only with the token of a toast this run showed (app/main/activation.ts)",
  ],
];

function reviewedReason(issue) {
  const sample = String(issue.sample ?? '');
  return REVIEWED.find(([id, code]) => issue.id === id && sample.includes(code))?.[2] ?? null;
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function severityName(issue) {
  return issue.severity?.name ?? String(issue.severity);
}

export async function auditElectron() {
  const scanDir = mkdtempSync(join(tmpdir(), 'du-electronegativity-'));
  try {
    for (const dir of SCANNED) {
      const from = join(root, dir);
      try {
        statSync(join(from));
      } catch {
        throw new Error(`${dir} is missing: run node scripts/build.mjs first`);
      }
      cpSync(from, join(scanDir, dir), { recursive: true, filter: (file) => !file.endsWith('.map') });
    }
    for (const file of walk(scanDir)) {
      if (!file.endsWith('.js')) continue;
      const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'js', target: 'es2020', format: 'cjs' });
      writeFileSync(file, code);
    }
    const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
    const result = await run({
      input: scanDir,
      output: null,
      isSarif: false,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS,
      severitySet: null,
      confidenceSet: null,
      isRelative: true,
      isVerbose: true,
      electronUpgrade: null,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
    const files = walk(scanDir).map((file) => relative(scanDir, file));
    return { electronVersion, files, ...result };
  } finally {
    rmSync(scanDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { electronVersion, files, issues, errors, atomicChecks, globalChecks } = await auditElectron();
  console.log(
    `electronegativity: ${atomicChecks} atomic + ${globalChecks} global checks, Electron ${electronVersion}, ${files.length} files (${SCANNED.join(', ')})`,
  );
  const failAt = SEVERITY_ORDER.indexOf(FAIL_AT);
  let failing = 0;
  for (const issue of issues) {
    const severity = severityName(issue);
    const reviewed = reviewedReason(issue);
    const bad = SEVERITY_ORDER.indexOf(severity) >= failAt && reviewed === null;
    if (bad) failing += 1;
    const where = `${issue.file}:${issue.location?.line ?? 0}:${issue.location?.column ?? 0}`;
    console.log(
      `${bad ? 'FAIL' : reviewed ? 'reviewed' : 'note'} ${issue.id} ${severity}/${issue.confidence?.name ?? ''} ${where}${issue.manualReview ? ' (review)' : ''}\n     ${issue.description}${issue.sample ? `\n     sample: ${String(issue.sample).slice(0, 160)}` : ''}${reviewed ? `\n     reviewed: ${reviewed}` : ''}`,
    );
  }
  for (const error of errors) console.log(`${error.tolerable ? 'note' : 'FAIL'} could not parse ${error.file}: ${error.message}`);
  const unparsed = errors.filter((error) => !error.tolerable).length;
  console.log(
    `electronegativity: ${failing} finding(s) of ${FAIL_AT} or more, ${unparsed} unparsed file(s), ${issues.length - failing} lower; ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exit(failing > 0 || unparsed > 0 ? 1 : 0);
}
