/**
 * The History view's table. It shows the newest HISTORY_FIRST_ROWS entries and a button for the rest: the table's box
 * shows about ten rows, and styling and laying out all 500 (the most history keeps) took longer than a frame budget
 * allows for opening a view. Everything stays reachable: the button reveals the older entries, and the filter and the
 * exports work on the whole history in main, not on what is shown here.
 */
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { HistoryEntry } from '../../../shared/app-state';
import { isFailure, parseHresult } from '../../../shared/hresult';
import { formatCount, formatDateTime, type Lang, type Translate } from '../i18n';

export const HISTORY_FIRST_ROWS = 50;

/** Why a run failed, under its result; nothing when the line kept no words (a newer version's message). */
function FailureNote({ text }: { text: string }) {
  return text ? <div className="table__note">{text}</div> : null;
}

interface RowProps {
  entry: HistoryEntry;
  lang: Lang;
  t: Translate;
  /** The first row the button revealed: focus goes there, so it must take focus (not by Tab). */
  focusTarget: boolean;
}

// Memoised: a refresh or a revealed page re-renders only rows whose entry changed.
const HistoryRow = memo(function HistoryRow({ entry: e, lang, t, focusTarget }: RowProps) {
  return (
    <tr tabIndex={focusTarget ? -1 : undefined}>
      <td>
        <time dateTime={e.time}>{formatDateTime(lang, Date.parse(e.time))}</time>
      </td>
      <td>
        <span className={`pill pill--${e.result}`}>{t(`outcome.${e.result}`)}</span>
        {e.result === 'failed' && <FailureNote text={t(e.message.key, e.message.params)} />}
      </td>
      <td className="mono">
        {e.versionBefore && e.versionAfter && e.versionBefore !== e.versionAfter
          ? `${e.versionBefore} → ${e.versionAfter}`
          : (e.versionAfter ?? e.versionBefore ?? '')}
      </td>
      <td>
        {t(`source.${e.source}`)}
        {e.via === 'mpcmdrun' && <div className="table__note">{t('history.viaMpCmdRun')}</div>}
      </td>
      <td>{t(`trigger.${e.trigger}`)}</td>
      {/* Only a failure has a code worth reading; 0x00000000 next to "Updated" is noise. */}
      <td className="mono">{isFailure(parseHresult(e.hresult) ?? 0) ? e.hresult : ''}</td>
    </tr>
  );
});

/** `entries` newest first, as main sends them; mounted afresh (by key) for each filter, so each starts at the newest. */
export function HistoryTable({ entries, lang, t }: { entries: readonly HistoryEntry[]; lang: Lang; t: Translate }) {
  const [shown, setShown] = useState(HISTORY_FIRST_ROWS);
  const [revealedFrom, setRevealedFrom] = useState<number | null>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  // The button goes away when pressed: focus moves to the first row it revealed, where reading would go on.
  useLayoutEffect(() => {
    if (revealedFrom !== null) body.current?.rows[revealedFrom]?.focus();
  }, [revealedFrom]);
  const hidden = Math.max(0, entries.length - shown);
  const reveal = () => {
    setRevealedFrom(shown);
    // All of them, and any a refresh adds later: once revealed, the history stays whole.
    setShown(Infinity);
  };
  return (
    // Its own name: a second region called "History" inside the History region is ambiguous (axe landmark-unique).
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('history.table')}>
      {/* With rows held back, the count says how long the whole table is (header row included). */}
      <table className="table" aria-rowcount={hidden ? entries.length + 1 : undefined}>
        <thead>
          <tr>
            <th scope="col">{t('history.col.time')}</th>
            <th scope="col">{t('history.col.result')}</th>
            <th scope="col">{t('history.col.version')}</th>
            <th scope="col">{t('history.col.source')}</th>
            <th scope="col">{t('history.col.trigger')}</th>
            <th scope="col">{t('history.col.code')}</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {entries.slice(0, shown).map((e, i) => (
            <HistoryRow key={`${e.runId}-${e.time}`} entry={e} lang={lang} t={t} focusTarget={i === revealedFrom} />
          ))}
        </tbody>
      </table>
      {hidden > 0 && (
        <div className="table-wrap__more">
          <button type="button" className="btn" onClick={reveal}>
            {formatCount(lang, 'showOlder', hidden)}
          </button>
        </div>
      )}
    </div>
  );
}
