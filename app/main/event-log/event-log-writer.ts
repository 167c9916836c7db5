/**
 * Writes an EventRecord to the Windows Application log through advapi32 (RegisterEventSourceW, ReportEventW,
 * DeregisterEventSource) with koffi. Writing is a side effect of an update, never part of it: every failure is logged
 * and returned, nothing throws, and off Windows nothing is written.
 *
 * RegisterEventSourceW succeeds even when the source is not registered under
 * HKLM\SYSTEM\CurrentControlSet\Services\EventLog\Application (portable build, installer run without administrator
 * rights): the event is written all the same, and Event Viewer shows "The description for Event ID … cannot be found"
 * followed by the event's own text (KB166902). The text is in the event's data either way.
 */
import * as koffi from 'koffi';
import { EVENT_SOURCE, type EventLevel, type EventRecord } from './event-record';

/** ReportEventW's wType values (winnt.h). */
const EVENT_TYPES: Record<EventLevel, number> = {
  error: 0x0001, // EVENTLOG_ERROR_TYPE
  warning: 0x0002, // EVENTLOG_WARNING_TYPE
  information: 0x0004, // EVENTLOG_INFORMATION_TYPE
};

export type EventWriteResult = { written: true } | { written: false; reason: string };

type AsyncCall<A extends unknown[], R> = { async(...args: [...A, (error: unknown, result: R) => void]): void };
interface EventLogApi {
  RegisterEventSourceW: AsyncCall<[server: null, source: string], unknown>;
  ReportEventW: AsyncCall<
    [handle: unknown, type: number, category: number, id: number, sid: null, count: number, dataSize: number, strings: string[], raw: null],
    number
  >;
  DeregisterEventSource: AsyncCall<[handle: unknown], number>;
}

let api: EventLogApi | null = null;

function load(): EventLogApi {
  if (api) return api;
  const lib = koffi.load('advapi32.dll');
  api = {
    RegisterEventSourceW: lib.func('void * __stdcall RegisterEventSourceW(str16 lpUNCServerName, str16 lpSourceName)'),
    // BOOL is a 32-bit int, not C's one-byte bool.
    ReportEventW: lib.func(
      'int __stdcall ReportEventW(void *hEventLog, uint16_t wType, uint16_t wCategory, uint32_t dwEventID, void *lpUserSid, uint16_t wNumStrings, uint32_t dwDataSize, str16 *lpStrings, void *lpRawData)',
    ),
    DeregisterEventSource: lib.func('int __stdcall DeregisterEventSource(void *hEventLog)'),
  };
  return api;
}

/** A koffi worker-thread call as a promise: the event log service is another process, so the JS thread never waits. */
function call<A extends unknown[], R>(fn: AsyncCall<A, R>, ...args: A): Promise<R> {
  return new Promise((resolve, reject) => fn.async(...args, (error: unknown, result: R) => (error ? reject(toError(error)) : resolve(result))));
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export interface EventLogWriter {
  /** Resolves with what happened; never rejects. */
  write(record: EventRecord): Promise<EventWriteResult>;
}

export function createEventLogWriter(options: { log?: (message: string) => void } = {}): EventLogWriter {
  const log = options.log ?? ((message: string) => console.warn(`[event-log] ${message}`));
  const failed = (reason: string): EventWriteResult => {
    log(`event not written: ${reason}`);
    return { written: false, reason };
  };
  return {
    async write(record) {
      if (process.platform !== 'win32') return { written: false, reason: 'the Windows Event Log exists only on Windows' };
      try {
        const eventLog = load();
        const handle = await call(eventLog.RegisterEventSourceW, null, EVENT_SOURCE);
        if (!handle) return failed(`RegisterEventSourceW("${EVENT_SOURCE}") returned NULL`);
        try {
          const ok = await call(eventLog.ReportEventW, handle, EVENT_TYPES[record.level], 0, record.id, null, 1, 0, [record.text], null);
          return ok ? { written: true } : failed(`ReportEventW returned FALSE for event ${record.id}`);
        } finally {
          await call(eventLog.DeregisterEventSource, handle).catch((error: unknown) =>
            log(`DeregisterEventSource failed: ${toError(error).message}`),
          );
        }
      } catch (error) {
        return failed(toError(error).message);
      }
    },
  };
}
