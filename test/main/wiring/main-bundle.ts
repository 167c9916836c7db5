/** Starts the built main bundle (out/main/index.js) in this process, with the recording fake as its `electron`. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';
import * as fakeElectron from './fake-electron';

export const mainBundle = join(repoRoot, 'out', 'main', 'index.js');

/** Loads the bundle once per process (it is the app's entry) and lets Electron's `ready` fire. */
export function startMainBundle(): void {
  assert.ok(existsSync(mainBundle), `build the app first: ${mainBundle}`);
  // Every require('electron') in the bundle gets the recording fake.
  const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = loader._load;
  loader._load = (request, parent, isMain) => (request === 'electron' ? fakeElectron : originalLoad(request, parent, isMain));
  process.env.DU_APP_ROOT = repoRoot;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle itself, loaded as Electron would
  require(mainBundle);
  fakeElectron.recorded.ready();
}

export { until } from '../../support/until';
