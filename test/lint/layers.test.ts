/**
 * The layers of app/ hold because lint fails on every import that crosses one (README "How it is built"). Each probe
 * is written into the tree as a real file, linted with the project's own ESLint config, and removed again; the
 * allowed probes prove the rules do not simply refuse everything.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/paths';

interface Probe {
  /** Folder under app/ the probe file goes in; created (and removed) if it does not exist. */
  dir: string;
  /** The import line under test. */
  line: string;
  ext?: 'ts' | 'tsx';
}

/** Rules that enforce the layers; a probe must fail on one of these, not on something else. */
const LAYER_RULES = new Set(['import-x/no-restricted-paths', 'no-restricted-imports', 'import-x/no-nodejs-modules']);

const FORBIDDEN: Record<string, Probe[]> = {
  'app/shared imports nothing of ours, nor Electron, koffi or Node built-ins': [
    { dir: 'shared', line: "import type { AppController } from '../main/app-controller';" },
    { dir: 'shared', line: "import type { UpdateEngine } from '../main/update/engine-types';" },
    { dir: 'shared', line: "import type { Translate } from '../renderer/src/i18n';" },
    { dir: 'shared', line: "import type { BrowserWindow } from 'electron';" },
    { dir: 'shared', line: "import * as koffi from 'koffi';" },
    { dir: 'shared', line: "import { readFileSync } from 'node:fs';" },
    { dir: 'shared', line: "import { join } from 'path';" },
  ],
  'app/main/mpclient imports only app/shared': [
    { dir: 'main/mpclient', line: "import type { UpdateEngine } from '../update/engine-types';" },
    { dir: 'main/mpclient', line: "import type { Scheduler } from '../ports';" },
    { dir: 'main/mpclient/deeper', line: "import type { UpdateEngine } from '../../update/engine-types';" },
  ],
  'app/main/mpcmdrun imports only app/shared': [
    { dir: 'main/mpcmdrun', line: "import type { UpdateEngine } from '../update/engine-types';" },
    { dir: 'main/mpcmdrun', line: "import type { Scheduler } from '../ports';" },
  ],
  'app/main/update imports only app/shared and the two back ends': [
    { dir: 'main/update', line: "import type { AppController } from '../app-controller';" },
    { dir: 'main/update', line: "import type { TrayShell } from '../tray';" },
    { dir: 'main/update', line: "import '../cli/run-cli';" },
  ],
  'app/main/cli has no Electron modules': [
    { dir: 'main/cli', line: "import { app } from 'electron';" },
    { dir: 'main/cli', line: "import type { MainWindowManager } from '../main-window';" },
    { dir: 'main/cli', line: "import type { AppController } from '../app-controller';" },
  ],
  'the renderer does not import main at any depth': [
    { dir: 'renderer/src/views', ext: 'tsx', line: "import type { AppController } from '../../../main/app-controller';" },
    { dir: 'renderer/src', line: "import type { Scheduler } from '../../main/ports';" },
    { dir: 'renderer/src/store', line: "import type { UpdateEngine } from '../../../main/update/engine-types';" },
    { dir: 'renderer/src/views', ext: 'tsx', line: "import type { Scheduler } from '../../../preload/../main/ports';" },
    { dir: 'renderer/src', line: "import { ipcRenderer } from 'electron';" },
  ],
  'the preload does not import main at any depth': [
    { dir: 'preload', line: "import type { AppController } from '../main/app-controller';" },
    { dir: 'preload', line: "import type { UpdateEngine } from '../main/update/engine-types';" },
    { dir: 'preload', line: "import { readFileSync } from 'node:fs';" },
  ],
  'main does not import the renderer or the preload': [{ dir: 'main', line: "import type { View } from '../renderer/src/store/store';" }],
};

const ALLOWED: Probe[] = [
  { dir: 'shared', line: "import { z } from 'zod';" },
  { dir: 'main/mpclient', line: "import * as koffi from 'koffi';" },
  { dir: 'main/mpclient', line: "import { toUnsigned } from '../../shared/hresult';" },
  { dir: 'main/update', line: "import { MPNOTIFY } from '../mpclient/constants';" },
  { dir: 'main/update', line: "import { removeDefinitions } from '../mpcmdrun/commands';" },
  { dir: 'main/mpcmdrun', line: "import { isFailure } from '../../shared/hresult';" },
  { dir: 'main/cli', line: "import type { UpdateEngine } from '../update/engine-types';" },
  { dir: 'main', line: "import type { BrowserWindow } from 'electron';" },
  { dir: 'preload', line: "import { ipcRenderer } from 'electron';" },
  { dir: 'renderer/src/views', ext: 'tsx', line: "import { isActivePhase } from '../../../shared/update';" },
];

/** The probe's whole text: the import, and a use of what it binds so no unused-import rule muddies the result. */
function probeText(line: string): string {
  const name = /^import (?:type )?(?:\* as )?\{? ?(\w+)/.exec(line)?.[1];
  if (!name) return `${line}\nexport {};\n`;
  return line.startsWith('import type') ? `${line}\nexport type Probe = ${name};\n` : `${line}\nexport const probe = ${name};\n`;
}

interface Outcome {
  errors: { ruleId: string | null; message: string }[];
}

const results = new Map<Probe, Outcome>();

before(async () => {
  const probes = [...Object.values(FORBIDDEN).flat(), ...ALLOWED];
  const files = new Map<string, Probe>();
  const createdDirs: string[] = [];
  try {
    probes.forEach((probe, i) => {
      const dir = join(repoRoot, 'app', probe.dir);
      const created = mkdirSync(dir, { recursive: true });
      if (created) createdDirs.push(created);
      const file = join(dir, `__layer_probe_${i}__.${probe.ext ?? 'ts'}`);
      writeFileSync(file, probeText(probe.line));
      files.set(file, probe);
    });
    const eslint = new ESLint({ cwd: repoRoot });
    for (const result of await eslint.lintFiles([...files.keys()])) {
      const probe = files.get(result.filePath);
      assert.ok(probe, `ESLint linted a file that is not a probe: ${result.filePath}`);
      results.set(probe, {
        errors: result.messages.filter((m) => m.severity === 2).map((m) => ({ ruleId: m.ruleId, message: m.message })),
      });
    }
  } finally {
    for (const file of files.keys()) rmSync(file, { force: true });
    for (const dir of createdDirs) rmSync(dir, { recursive: true, force: true });
  }
});

function outcome(probe: Probe): Outcome {
  const found = results.get(probe);
  assert.ok(found, `no lint result for app/${probe.dir}: ${probe.line}`);
  return found;
}

for (const [rule, probes] of Object.entries(FORBIDDEN)) {
  describe(rule, () => {
    for (const probe of probes) {
      test(`app/${probe.dir}: ${probe.line} fails lint`, () => {
        const { errors } = outcome(probe);
        assert.ok(
          errors.some((e) => e.ruleId !== null && LAYER_RULES.has(e.ruleId)),
          `expected a layer error, got ${JSON.stringify(errors)}`,
        );
      });
    }
  });
}

describe('imports the table allows', () => {
  for (const probe of ALLOWED) {
    test(`app/${probe.dir}: ${probe.line} passes lint`, () => {
      assert.deepEqual(outcome(probe).errors, []);
    });
  }
});
