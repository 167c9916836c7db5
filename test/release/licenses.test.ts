/** docs/licenses.md is what scripts/licenses.mjs makes from the lockfile and the bundles' imports today. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths';

test('docs/licenses.md lists the licences of what ships today', () => {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'licenses.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stderr}${result.stdout}(run: npm run licenses, and commit docs/licenses.md)`);
});
