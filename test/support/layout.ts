/** Compares the C compiler's struct layout (from the layout probe) with koffi's view of the binding's declarations. */
import * as koffi from 'koffi';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';

export interface ProbeStruct {
  size: number;
  align: number;
  fields: Record<string, number>;
}
export interface ProbeOutput {
  pointerSize: number;
  structs: Record<string, ProbeStruct>;
}

/** Runs layout-probe (layout-probe.exe on Windows). Output goes through a file: under Wine pipes are unreliable. */
export function runLayoutProbe(): ProbeOutput {
  const exe = join(repoRoot, '.build', 'standin', process.platform === 'win32' ? 'layout-probe.exe' : 'layout-probe');
  const dir = mkdtempSync(join(tmpdir(), 'du-layout-'));
  const outFile = join(dir, 'layout.json');
  const fd = openSync(outFile, 'w');
  try {
    const result = spawnSync(exe, [], { stdio: ['ignore', fd, 'ignore'] });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`${exe} exited with ${result.status}`);
  } finally {
    closeSync(fd);
  }
  try {
    return JSON.parse(readFileSync(outFile, 'utf8')) as ProbeOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every difference, each naming both numbers; empty when the layouts agree. */
export function compareLayouts(probe: ProbeOutput, declared: Record<string, koffi.TypeObject>): string[] {
  const problems: string[] = [];
  if (probe.pointerSize !== koffi.sizeof('void *')) problems.push(`pointer size: C ${probe.pointerSize}, koffi ${koffi.sizeof('void *')}`);
  for (const [name, type] of Object.entries(declared)) {
    const c = probe.structs[name];
    if (!c) {
      problems.push(`${name}: the probe does not know this struct`);
      continue;
    }
    if (c.size !== koffi.sizeof(type)) problems.push(`${name} size: C ${c.size}, koffi ${koffi.sizeof(type)}`);
    if (c.align !== koffi.alignof(type)) problems.push(`${name} alignment: C ${c.align}, koffi ${koffi.alignof(type)}`);
    const members = Object.keys((type as unknown as { members: Record<string, unknown> }).members);
    for (const field of new Set([...members, ...Object.keys(c.fields)])) {
      if (!(field in c.fields)) problems.push(`${name}.${field}: declared in the binding, not in the C header`);
      else if (!members.includes(field)) problems.push(`${name}.${field}: in the C header, not declared in the binding`);
      else if (c.fields[field] !== koffi.offsetof(type, field))
        problems.push(`${name}.${field} offset: C ${c.fields[field]}, koffi ${koffi.offsetof(type, field)}`);
    }
  }
  for (const name of Object.keys(probe.structs)) if (!(name in declared)) problems.push(`${name}: in the C header, not declared in the binding`);
  return problems;
}
