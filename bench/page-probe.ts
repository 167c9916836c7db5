/**
 * The renderer bench's probe, run inside the harness page (Playwright serialises each function: no imports, no outer
 * variables). It hooks the bridge's own onEvent, so it sees main's events on the one connection the store uses, at the
 * moment the store's listener gets them, and keeps the store's listener for pushing events in-page.
 */
import type { AppEvent } from '../app/shared/ipc';
import type { UpdateSnapshot } from '../app/shared/update';

// This project has no DOM lib (it is type-checked with the Node side): declare the little the probe touches.
interface PageElement {
  textContent: string | null;
  click(): void;
  getBoundingClientRect(): unknown;
}
declare const window: object;
declare const document: {
  body: PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
};
declare function requestAnimationFrame(callback: () => void): number;
declare class MutationObserver {
  constructor(callback: () => void);
  observe(target: unknown, options: { subtree: boolean; childList: boolean; characterData: boolean }): void;
  disconnect(): void;
}
declare class MessageChannel {
  port1: { onmessage: (() => void) | null; close(): void };
  port2: { postMessage(message: unknown): void };
}

/** A moment (epoch ms, sub-millisecond) and the notification count it showed or carried. */
export interface Mark {
  at: number;
  count: number;
}

export interface Recording {
  /** Each event as the store's listener got it, with the update's notification count. */
  arrivals: Mark[];
  /** Each change of the event log's notification count in the DOM. */
  dom: Mark[];
  frames: number;
  /** The run whose `finished` event arrived while recording, if any. */
  finishedRunId: number | null;
}

interface Probe extends Recording {
  recording: boolean;
  /** How many recordings were started: a frame counter from an earlier one stops. */
  recordings: number;
  listeners: ((event: AppEvent) => void)[];
  /** The newest update snapshot seen, the template for pushed events. */
  update: UpdateSnapshot | null;
  stop: () => void;
}

interface ProbeWindow {
  __bench: Probe;
  defender?: { onEvent(listener: (event: AppEvent) => void): () => void };
}

/**
 * An init script: runs before the page's own scripts. The harness bridge defines `window.defender` (a frozen object)
 * with Object.defineProperty; this catches that one call and defines a copy whose onEvent records every event before
 * the listener sees it.
 */
export function installProbe(): void {
  const w = window as ProbeWindow;
  const now = () => performance.timeOrigin + performance.now();
  const probe: Probe = {
    arrivals: [],
    dom: [],
    frames: 0,
    finishedRunId: null,
    recording: false,
    recordings: 0,
    listeners: [],
    update: null,
    stop: () => {},
  };
  w.__bench = probe;
  const define = Object.defineProperty;
  const hook = (target: object, key: PropertyKey, descriptor: PropertyDescriptor): object => {
    if (target === window && key === 'defender' && descriptor.value) {
      Object.defineProperty = define;
      const api = descriptor.value as Required<ProbeWindow>['defender'];
      const onEvent = (listener: (event: AppEvent) => void) => {
        probe.listeners.push(listener);
        return api.onEvent((event) => {
          const at = now();
          const update = event.type === 'progress' ? event.update : event.type === 'state' ? event.state.update : null;
          if (update) probe.update = update;
          if (probe.recording) {
            if (update) probe.arrivals.push({ at, count: update.notificationCount });
            if (event.type === 'finished') probe.finishedRunId = event.outcome.runId;
          }
          listener(event);
        });
      };
      descriptor = { ...descriptor, value: Object.freeze({ ...api, onEvent }) };
    }
    return define(target, key, descriptor);
  };
  Object.defineProperty = hook as typeof Object.defineProperty;
}

/** True once the store has subscribed through the bridge and the first state has come. */
export function storeSubscribed(): boolean {
  const probe = (window as ProbeWindow).__bench;
  return probe.listeners.length > 0 && probe.update !== null;
}

/** Starts recording: clears the marks, watches the event log's count in the DOM and counts animation frames. */
export function startRecording(): void {
  const probe = (window as ProbeWindow).__bench;
  const now = () => performance.timeOrigin + performance.now();
  const read = () => Number(/\((\d+)/.exec(document.querySelector('[data-testid="notification-count"]')?.textContent ?? '')?.[1] ?? NaN);
  Object.assign(probe, { arrivals: [], dom: [], frames: 0, finishedRunId: null, recording: true });
  const recording = ++probe.recordings;
  // Only changes count: a render that leaves the count as it was shows no new notification.
  let last = read();
  const observer = new MutationObserver(() => {
    const count = read();
    if (count === last || Number.isNaN(count)) return;
    last = count;
    probe.dom.push({ at: now(), count });
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  const tick = () => {
    if (probe.recordings !== recording || !probe.recording) return;
    probe.frames++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  probe.stop = () => {
    probe.recording = false;
    observer.disconnect();
  };
}

/** True once the recorded run's `finished` event came and the DOM shows that run's last count. */
export function runShown(): boolean {
  const probe = (window as ProbeWindow).__bench;
  return probe.finishedRunId !== null && probe.dom.length > 0 && probe.dom.at(-1)!.count === probe.arrivals.at(-1)?.count;
}

export function stopRecording(): Recording {
  const probe = (window as ProbeWindow).__bench;
  probe.stop();
  const { arrivals, dom, frames, finishedRunId } = probe;
  return { arrivals, dom, frames, finishedRunId };
}

/**
 * The renderer alone: `n` progress events, one notification each, handed to the store's listener as fast as the page
 * takes them (each in its own task, as IPC messages arrive). Resolves with when each was pushed (by seq - 1) once the
 * DOM shows the last one.
 */
export function pushProgress(n: number): Promise<number[]> {
  const probe = (window as ProbeWindow).__bench;
  const listener = probe.listeners[0];
  const base = probe.update;
  if (!listener || !base) throw new Error('the store has not subscribed to the bridge yet');
  const now = () => performance.timeOrigin + performance.now();
  const pushed: number[] = [];
  const channel = new MessageChannel();
  const runId = (base.runId ?? 0) + 1000;
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const finish = () => {
      if (probe.dom.at(-1)?.count !== n) return requestAnimationFrame(finish);
      channel.port1.close();
      resolve(pushed);
    };
    channel.port1.onmessage = () => {
      const seq = pushed.length + 1;
      const percent = Math.floor((seq * 100) / n);
      pushed.push(now());
      listener({
        type: 'progress',
        update: {
          ...base,
          runId,
          phase: 'downloading',
          startedAt,
          percent,
          current: 1,
          total: 1,
          notificationCount: seq,
          lastNotificationAt: Date.now(),
        },
        records: [
          {
            seq,
            notify: 'MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS',
            code: 0x8007,
            hresult: 0,
            phase: 'downloading',
            percent,
            current: 1,
            total: 1,
            sigType: 'unmanaged',
            path: 'https://fe2cr.update.microsoft.com/v6/',
            receivedAt: Date.now(),
          },
        ],
        omitted: 0,
      });
      if (seq < n) channel.port2.postMessage(0);
      else requestAnimationFrame(finish);
    };
    channel.port2.postMessage(0);
  });
}

/** A timing and how many History rows were in the DOM when it was taken. */
export interface HistoryTiming {
  ms: number;
  rows: number;
}

/**
 * Opens the History view from another view and times it until its table is in the DOM and laid out: every one of
 * `rows` entries, or the newest ones the view shows first with the button for the rest. The store already holds the
 * entries, so this is rendering alone; the refresh the view asks for comes after.
 */
export function timeHistoryOpen(rows: number): Promise<HistoryTiming> {
  const tab = Array.from(document.querySelectorAll('.tabs__tab')).find((b) => b.textContent === 'History');
  if (!tab) throw new Error('no History tab');
  const count = () => document.querySelectorAll('.history tbody tr').length;
  const shown = () => count() >= rows || (count() > 0 && document.querySelector('.history .table-wrap__more button') !== null);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const done = () => {
      document.body.getBoundingClientRect(); // style and layout, as the frame that shows it needs
      resolve({ ms: performance.now() - t0, rows: count() });
    };
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      done();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: false });
    tab.click();
    if (shown()) {
      observer.disconnect();
      done();
    }
  });
}

/** In an open History view, presses the button for the older entries and times it until all `rows` are laid out. */
export function timeShowOlder(rows: number): Promise<HistoryTiming> {
  const button = document.querySelector('.history .table-wrap__more button');
  if (!button) throw new Error('no button for older entries');
  const count = () => document.querySelectorAll('.history tbody tr').length;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (count() < rows) return;
      observer.disconnect();
      document.body.getBoundingClientRect();
      resolve({ ms: performance.now() - t0, rows: count() });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: false });
    button.click();
  });
}
