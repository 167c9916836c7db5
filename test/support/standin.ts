/** Drives the stand-in MpClient: scenario, state file and its test-only counters. */
import * as koffi from 'koffi';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standinLibraryPath } from './paths';

export interface StandinEnv {
  scenario?: string;
  stepMs?: number;
  admin?: boolean;
  lang?: 'en' | 'ru';
}

export interface StandinCounters {
  openHandles: number;
  unfreedBuffers: number;
  runningUpdates: number;
  callbacks: number;
}

let counterFns: Record<keyof StandinCounters, () => number> | null = null;

/** The stand-in's own bookkeeping (it shares the process's one copy of the library with the binding). */
export function standinCounters(): StandinCounters {
  if (!counterFns) {
    const lib = koffi.load(standinLibraryPath());
    const f = (name: string) => lib.func(`int32_t ${name}(void)`) as unknown as () => number;
    counterFns = {
      openHandles: f('StandinOpenHandleCount'),
      unfreedBuffers: f('StandinUnfreedBufferCount'),
      runningUpdates: f('StandinRunningUpdateCount'),
      callbacks: f('StandinCallbackCount'),
    };
  }
  return {
    openHandles: counterFns.openHandles(),
    unfreedBuffers: counterFns.unfreedBuffers(),
    runningUpdates: counterFns.runningUpdates(),
    callbacks: counterFns.callbacks(),
  };
}

/** A fresh state file (versions, scenario counter) in its own temp folder; returns a cleanup function. */
export function useStandin(options: StandinEnv = {}): {
  stateFile: string;
  env: Record<string, string>;
  apply(more?: StandinEnv): void;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'du-standin-'));
  const stateFile = join(dir, 'state.txt');
  const env: Record<string, string> = {};
  const apply = (more: StandinEnv = {}) => {
    const o = { ...options, ...more };
    Object.assign(env, {
      MPCLIENT_PATH: standinLibraryPath(),
      MPCLIENT_STANDIN_STATE: stateFile,
      MPCLIENT_STANDIN_SCENARIO: o.scenario ?? 'updated',
      MPCLIENT_STANDIN_STEP_MS: String(o.stepMs ?? 1),
      MPCLIENT_STANDIN_ADMIN: o.admin ? '1' : '0',
      MPCLIENT_STANDIN_LANG: o.lang ?? 'en',
    });
    Object.assign(process.env, env);
  };
  apply();
  return { stateFile, env, apply, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
