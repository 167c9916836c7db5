/**
 * What one finished update puts in the Windows Application log: a fixed event ID per result, a level, and text as
 * `key=value` lines that a collector (Windows Event Forwarding, a SIEM) can split without knowing the app. Pure.
 */
import type { Availability, StartRequest, UpdateOutcome, UpdateResult } from '../../shared/update';
import { updateTypeName } from '../../shared/update';
import { formatHresult } from '../../shared/hresult';
import { renderMessage } from '../../shared/messages';

/** The Application log source; assets/installer.nsh registers the same name. */
export const EVENT_SOURCE = 'Defender Updater';

/** Fixed and documented (README "Administrators"): collectors filter on them. */
export const EVENT_IDS = {
  succeeded: 1000,
  'up-to-date': 1001,
  failed: 1002,
  'reboot-required': 1003,
  cancelled: 1004,
  unavailable: 1005,
} as const satisfies Record<UpdateResult | 'unavailable', number>;

export type EventLevel = 'information' | 'warning' | 'error';

/**
 * A failure leaves the PC without new signatures through a fault: Error. A needed restart (installed, not yet in
 * force) and a cancel (someone chose to stop; nothing broke) leave it unprotected by the new signatures too, but call
 * for a person's decision rather than a repair: Warning. Defender missing or unusable: Error, as the PC cannot be
 * updated at all.
 */
export const EVENT_LEVELS = {
  succeeded: 'information',
  'up-to-date': 'information',
  failed: 'error',
  'reboot-required': 'warning',
  cancelled: 'warning',
  unavailable: 'error',
} as const satisfies Record<keyof typeof EVENT_IDS, EventLevel>;

export interface EventRecord {
  id: number;
  level: EventLevel;
  /** `key=value` lines joined by CRLF, as Event Viewer shows line breaks. */
  text: string;
}

export interface EventContext {
  appVersion: string;
}

/** Defender's messages are a sentence or two; the cap keeps a runaway one well inside ReportEvent's 31,839 characters. */
const MAX_VALUE_LENGTH = 2000;

/** One line per key; a value never breaks its line, so `key=` up to the line end is always the whole value. */
function lines(fields: readonly (readonly [string, string | number | null | undefined])[]): string {
  return fields
    .map(([key, value]) => {
      const text = value === null || value === undefined ? '' : String(value).replace(/[\r\n]+/g, ' ');
      return `${key}=${text.slice(0, MAX_VALUE_LENGTH)}`;
    })
    .join('\r\n');
}

export function eventForOutcome(outcome: UpdateOutcome, context: EventContext): EventRecord {
  return {
    id: EVENT_IDS[outcome.result],
    level: EVENT_LEVELS[outcome.result],
    text: lines([
      ['result', outcome.result],
      ['hresult', formatHresult(outcome.hresult)],
      // English whatever the window's language: collectors and searches match one wording (Defender's own text is
      // in Windows' language either way).
      ['message', renderMessage('en', outcome.message)],
      ['source', outcome.source],
      ['updateType', updateTypeName(outcome.updateType)],
      // The antivirus signature version, as history shows it; engine versions beside it for support.
      ['versionBefore', outcome.versionsBefore?.antivirus.version],
      ['versionAfter', outcome.versionsAfter?.antivirus.version],
      ['engineBefore', outcome.versionsBefore?.engine.version],
      ['engineAfter', outcome.versionsAfter?.engine.version],
      ['errorKind', outcome.error?.kind],
      ['sharedSignatureRoot', outcome.sharedSignatureRoot],
      ['trigger', outcome.trigger],
      ['runId', outcome.runId],
      ['startedAt', new Date(outcome.startedAt).toISOString()],
      ['endedAt', new Date(outcome.endedAt).toISOString()],
      ['appVersion', context.appVersion],
    ]),
  };
}

/** An update was asked for but Defender cannot be used on this PC. */
export function eventForUnavailable(
  availability: Extract<Availability, { kind: 'unavailable' }>,
  request: StartRequest,
  context: EventContext,
): EventRecord {
  return {
    id: EVENT_IDS.unavailable,
    level: EVENT_LEVELS.unavailable,
    text: lines([
      ['result', 'unavailable'],
      ['reason', availability.reason],
      ['message', renderMessage('en', availability.message)],
      ['source', request.source],
      ['trigger', request.trigger],
      ['appVersion', context.appVersion],
    ]),
  };
}
