/** The README's section for administrators documents the policies and event IDs the code has, not older ones. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EVENT_IDS, EVENT_LEVELS } from '../../app/main/event-log/event-record';
import { POLICY_LIST } from '../../app/shared/policy';
import { repoRoot } from '../support/paths';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const section = /^## Administrators\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
const rows = section.split('\n').filter((line) => line.startsWith('| '));

test('the README lists every policy with its registry value name and type', () => {
  assert.ok(section, 'README.md has no "## Administrators" section');
  for (const policy of POLICY_LIST) {
    const row = rows.find((r) => r.includes(`(\`${policy.name}\`)`));
    assert.ok(row, `no row for ${policy.name}`);
    assert.ok(row.includes(`| ${policy.type} |`), `${policy.name} is ${policy.type}`);
  }
});

test('the README lists every event ID with its level', () => {
  for (const [result, id] of Object.entries(EVENT_IDS) as [keyof typeof EVENT_IDS, number][]) {
    const level = EVENT_LEVELS[result];
    const documented = `| ${id} | ${level[0]!.toUpperCase()}${level.slice(1)} |`;
    assert.ok(
      rows.some((r) => r.startsWith(documented)),
      `no row starting "${documented}" for ${result}`,
    );
  }
});
