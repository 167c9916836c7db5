/** Drives the stand-in MpClient: scenario, state file and its test-only counters. */
import * as koffi from 'koffi';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standinLibraryPath } from './paths';

export interface StandinEnv {
  scenario?: string;
  stepMs?: number;
  admin?: boolean;
  lang?: 'en' | 'ru';
  /** A DLL as the docs describe it: MpUpdateControl takes the update handle and refuses the manager. */
  controlAcceptsUpdateHandle?: boolean;
  /** `0x10=managed,default=http`: which update type each option bit reports. */
  serviceTypes?: string;
}

export interface StandinCounters {
  openHandles: number;
  unfreedBuffers: number;
  runningUpdates: number;
  callbacks: number;
  /** MpClient calls made on the JS thread (the thread that loaded the library): must stay 0. */
  jsThreadCalls: number;
}

let counterFns: Record<keyof StandinCounters, () => number> | null = null;
let hangFns: { hung: () => number; release: () => number } | null = null;

function hangControls(): { hung: () => number; release: () => number } {
  if (!hangFns) {
    const lib = koffi.load(standinLibraryPath());
    hangFns = {
      hung: lib.func('int32_t StandinHungCallCount(void)') as unknown as () => number,
      release: lib.func('int32_t StandinReleaseHangs(void)') as unknown as () => number,
    };
  }
  return hangFns;
}

/** Calls a `*-hangs` scenario holds right now. */
export function hungStandinCalls(): number {
  return hangControls().hung();
}

/**
 * Lets every hung call go on. A test that hangs a call releases it before it ends: a koffi worker blocked in the
 * library keeps the test process alive (its exit waits for every worker thread).
 */
export function releaseStandinHangs(): number {
  return hangControls().release();
}

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
      jsThreadCalls: f('StandinLoaderThreadCallCount'),
    };
  }
  return {
    openHandles: counterFns.openHandles(),
    unfreedBuffers: counterFns.unfreedBuffers(),
    runningUpdates: counterFns.runningUpdates(),
    callbacks: counterFns.callbacks(),
    jsThreadCalls: counterFns.jsThreadCalls(),
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
      MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE: o.controlAcceptsUpdateHandle ? '1' : '0',
    });
    if (o.serviceTypes) env.MPCLIENT_STANDIN_SERVICE_TYPES = o.serviceTypes;
    else {
      delete env.MPCLIENT_STANDIN_SERVICE_TYPES;
      delete process.env.MPCLIENT_STANDIN_SERVICE_TYPES;
    }
    Object.assign(process.env, env);
  };
  apply();
  return { stateFile, env, apply, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The option word of the last MpUpdateStart the stand-in accepted, from its state file (works across processes). */
export function lastUpdateOptions(stateFile: string): number | null {
  const m = /^LastUpdateOptions=(\d+)$/m.exec(readFileSync(stateFile, 'utf8'));
  return m ? Number(m[1]) : null;
}
