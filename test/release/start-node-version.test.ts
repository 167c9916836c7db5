/** `npm start` on a Node too old for Electron's download tooling stops with a sentence that says what to do. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { atLeast, START_NODE_MINIMUM, startNodeProblem } from '../../scripts/node-version.mjs';
import { repoRoot } from '../support/paths';

test('Node 20 and 22.11 are refused for npm start with the version needed and why; 22.12 and later start', () => {
  for (const old of ['20.19.2', 'v22.11.0', '18.20.4']) {
    const problem = startNodeProblem(old);
    assert.ok(problem, old);
    assert.match(problem, /needs Node\.js 22\.12\.0 or newer/);
    assert.match(problem, new RegExp(`this is Node\\.js ${old.replace(/\./g, '\\.')}`));
    assert.match(problem, /https:\/\/nodejs\.org/);
  }
  for (const fine of ['22.12.0', '22.20.1', '24.0.0', 'v25.1.0']) assert.equal(startNodeProblem(fine), null, fine);
  assert.equal(atLeast('22.9.0', '22.12.0'), false, 'compared as numbers, not as text');
});

test(
  'npm start on this Node says the same and exits 1 when this Node is too old',
  { skip: atLeast(process.versions.node, START_NODE_MINIMUM) },
  () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim(), startNodeProblem(process.versions.node));
  },
);
