/**
 * Engine figures (printed, never asserted). Each round runs the stand-in's 10,006-notification storm three times, in
 * an order that rotates per round: into a registered koffi callback that does nothing, into one that decodes the
 * whole MPCALLBACK_DATA + MPSIGUPDATE_DATA + Path with koffi, and through the engine and the app's controller. Each
 * gives µs per notification; the figures are medians over the rounds. A koffi cross-thread callback costs ~10 µs when
 * Defender's thread and the JS thread share a core and ~45–50 µs when they do not, so `npm run bench` pins this
 * process to one CPU (taskset) where it can. Also: the bytes of JSON the controller emits per storm (the IPC payload).
 */
import { readFileSync } from 'node:fs';
import * as koffi from 'koffi';
import {
  MPCALLBACK_DATA,
  MPSIGUPDATE_DATA,
  MpClientLibrary,
  allocCallbackInfo,
  freeNative,
  registerCallback,
  unregisterCallback,
  type MpHandle,
  type NativePointer,
} from '../app/main/mpclient/binding';
import { BASE_UPDATE_OPTIONS, MPNOTIFY, SOURCE_OPTION } from '../app/main/mpclient/constants';
import type { AppEvent } from '../app/shared/ipc';
import type { NotificationRecord } from '../app/shared/update';
import { standinLibraryPath } from '../test/support/paths';
import { useStandin } from '../test/support/standin';
import { openAppRig, type AppRig } from './app-rig';
import { median, round, runBench, withDeadline, type Figures } from './figures';

const ROUNDS = 21;
/** The same options the engine sends for the default source, so every variant gets the same notifications and Path. */
const OPTIONS = BASE_UPDATE_OPTIONS | SOURCE_OPTION.default;

interface CallbackData {
  Notify: number;
  Data: NativePointer | null;
}
interface SigUpdateData {
  Path: NativePointer | null;
}

/** Characters of Path decoded so far: a use for every decoded string, so none is optimised away. */
let pathChars = 0;

/** Everything a notification carries, decoded the plain way: both structs whole, then the Path string. */
function decodeWhole(ptr: NativePointer): number {
  const data = koffi.decode(ptr, MPCALLBACK_DATA) as CallbackData;
  if (data.Data) {
    const sig = koffi.decode(data.Data, MPSIGUPDATE_DATA) as SigUpdateData;
    if (sig.Path) pathChars += (koffi.decode(sig.Path, 'char16_t', -1) as string).length;
  }
  return data.Notify >>> 0;
}

/**
 * One storm into a bare callback. `expected` is the storm's length (the empty callback cannot look for COMPLETE
 * without decoding); null means "decode and stop at COMPLETE", which the first round uses to learn the length.
 */
async function callbackStorm(
  lib: MpClientLibrary,
  manager: MpHandle,
  mode: 'empty' | 'decode',
  expected: number | null,
): Promise<{ us: number; count: number }> {
  let count = 0;
  let first = 0;
  let last = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const callback = registerCallback(
    mode === 'empty'
      ? () => {
          if (++count === 1) first = performance.now();
          else if (count === expected) {
            last = performance.now();
            resolveDone();
          }
          return 0;
        }
      : (_context, ptr) => {
          if (++count === 1) first = performance.now();
          const notify = ptr ? decodeWhole(ptr) : 0;
          if (count === expected || (expected === null && notify === MPNOTIFY.MPNOTIFY_SIGUPDATE_COMPLETE)) {
            last = performance.now();
            resolveDone();
          }
          return 0;
        },
  );
  const info = allocCallbackInfo(callback, 1n);
  try {
    const { hr, value: handle } = await lib.updateStart(manager, OPTIONS, info);
    if (hr < 0 || !handle) throw new Error(`MpUpdateStart failed: 0x${(hr >>> 0).toString(16)}`);
    await withDeadline(done, 60_000, `the storm into the ${mode} callback did not end`);
    await lib.handleClose(handle);
  } finally {
    unregisterCallback(callback);
    freeNative(info);
  }
  return { us: ((last - first) * 1000) / (count - 1), count };
}

/**
 * One storm through the engine and the controller. The span runs from the first to the last notification as the
 * engine stamped them (receivedAt, Date.now: 1 ms in a storm of 100 ms or more), so the controller's work during the
 * storm is in it; the bytes are every event the controller emitted, until the engine let go of the update.
 */
async function appStorm(rig: AppRig): Promise<{ us: number; bytes: number; events: number }> {
  let bytes = 0;
  let events = 0;
  const seen: { first?: NotificationRecord; last?: NotificationRecord } = {};
  const off = rig.controller.subscribe((event: AppEvent) => {
    bytes += Buffer.byteLength(JSON.stringify(event));
    events++;
    if (event.type === 'progress' && event.records.length > 0) {
      seen.first ??= event.records[0];
      seen.last = event.records.at(-1);
    }
  });
  await rig.runUpdate();
  // A state the controller still had pending for the next frame belongs to this storm too.
  await new Promise((resolve) => setTimeout(resolve, 50));
  off();
  const { first, last } = seen;
  if (!first || !last) throw new Error('the storm reached the controller without records');
  return { us: ((last.receivedAt - first.receivedAt) * 1000) / (last.seq - first.seq), bytes, events };
}

function cpusAllowed(): string {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<Figures> {
  const standin = useStandin({ scenario: 'storm', stepMs: 0 });
  const lib = MpClientLibrary.load(standinLibraryPath());
  const { value: manager } = await lib.managerOpen();
  if (!manager) throw new Error('MpManagerOpen failed on the stand-in');
  const rig = await openAppRig();
  try {
    // Warm-up (JIT, koffi's pools), and the storm's length for the empty callback.
    const { count } = await callbackStorm(lib, manager, 'decode', null);
    await appStorm(rig);
    const empty: number[] = [];
    const decode: number[] = [];
    const app: number[] = [];
    const bytes: number[] = [];
    const events: number[] = [];
    const variants = [
      async () => empty.push((await callbackStorm(lib, manager, 'empty', count)).us),
      async () => decode.push((await callbackStorm(lib, manager, 'decode', count)).us),
      async () => {
        const storm = await appStorm(rig);
        app.push(storm.us);
        bytes.push(storm.bytes);
        events.push(storm.events);
      },
    ];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternating, and each round in a rotated order: load that drifts during the run hits every variant alike.
      for (let v = 0; v < variants.length; v++) await variants[(r + v) % variants.length]!();
      if (process.stdout.isTTY) process.stdout.write(`\r  round ${r + 1}/${ROUNDS}`);
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    // Same-round ratios: each compares storms run under the same machine load.
    const ratios = app.map((us, i) => us / empty[i]!);
    const spread = (values: number[]) => `${round(Math.min(...values), 1)}–${round(Math.max(...values), 1)}`;
    console.log(
      `  ${ROUNDS} rounds of ${count.toLocaleString('en')} notifications (${pathChars.toLocaleString('en')} Path characters decoded), CPUs allowed: ${cpusAllowed()}`,
    );
    console.log(`  µs per notification, min–max: empty ${spread(empty)}, full decode ${spread(decode)}, engine + controller ${spread(app)}`);
    console.log(`  engine / empty per round, min–max: ${spread(ratios.map((r) => r * 100))} %`);
    console.log(`  controller events per storm, median ${median(events)}; bytes min–max ${Math.min(...bytes)}–${Math.max(...bytes)}`);
    return {
      'engine.usPerNotification': round(median(app), 2),
      'engine.emptyCallbackUs': round(median(empty), 2),
      'engine.fullDecodeUs': round(median(decode), 2),
      'engine.ratioToEmpty': round(median(ratios), 3),
      'engine.rounds': ROUNDS,
      'engine.notificationsPerStorm': count,
      'engine.cpusAllowed': cpusAllowed(),
      'storm.bytesOverIpc': median(bytes),
      'storm.eventsOverIpc': median(events),
    };
  } finally {
    await lib.handleClose(manager);
    await rig.dispose();
    standin.cleanup();
  }
}

runBench(main);
