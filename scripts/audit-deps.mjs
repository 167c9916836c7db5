// `npm run audit:deps`: npm's advisories for what ships. Two questions, one `npm audit` each:
// - the production dependencies (`npm audit --omit=dev`: koffi and its native packages), and
// - Electron itself: a devDependency for npm, but its runtime is the package's exe, so its advisories count too.
// Prints every advisory found; fails on high or critical.
//
// Exit codes: 0 none high or critical, 1 some, 2 the audit could not run (npm's advisory endpoint unreachable:
// it is a POST to the registry, which a read-only registry mirror or proxy refuses), so a caller can tell
// "not known" from "clean".
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const FAILING = new Set(['high', 'critical']);
/** devDependencies whose code ships inside the package anyway. */
const SHIPPED_DEV = ['electron'];

class AuditUnavailable extends Error {}

function npmAudit(args) {
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['audit', '--json', ...args], {
    cwd: root,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    maxBuffer: 64 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    throw new AuditUnavailable(`npm audit ${args.join(' ')} printed no JSON (exit ${result.status}): ${result.stderr.trim().split('\n').pop()}`);
  }
  // npm prints the registry's error as the JSON body (e.g. {"message": "405 Method Not Allowed - POST ...", ...}).
  if (!report.metadata?.vulnerabilities)
    throw new AuditUnavailable(`npm audit ${args.join(' ')}: ${report.message ?? report.error?.summary ?? 'no report'}`);
  return report;
}

/** One line per advisory: package, severity, title, URL, affected range. */
function advisories(report, only) {
  const out = [];
  for (const [name, vuln] of Object.entries(report.vulnerabilities ?? {})) {
    if (only && !only.includes(name)) continue;
    for (const via of vuln.via) {
      if (typeof via === 'string') continue; // a dependency that is vulnerable through another: listed under that one
      out.push({ name, severity: via.severity, title: via.title, url: via.url, range: via.range });
    }
  }
  return out;
}

export function auditDeps() {
  const production = advisories(npmAudit(['--omit=dev']));
  const shipped = advisories(npmAudit([]), SHIPPED_DEV);
  return { production, shipped };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let result;
  try {
    result = auditDeps();
  } catch (error) {
    if (!(error instanceof AuditUnavailable)) throw error;
    console.error(`audit:deps: could not run: ${error.message}`);
    process.exit(2);
  }
  let failing = 0;
  for (const [label, list] of [
    ['production', result.production],
    [`shipped dev (${SHIPPED_DEV.join(', ')})`, result.shipped],
  ]) {
    console.log(`audit:deps: ${label}: ${list.length} advisor${list.length === 1 ? 'y' : 'ies'}`);
    for (const a of list) {
      const bad = FAILING.has(a.severity);
      if (bad) failing += 1;
      console.log(`  ${bad ? 'FAIL' : 'note'} ${a.name} ${a.severity}: ${a.title} (${a.range}) ${a.url}`);
    }
  }
  console.log(`audit:deps: ${failing} high or critical`);
  process.exit(failing > 0 ? 1 : 0);
}
