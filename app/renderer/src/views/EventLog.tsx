/** The last few notifications, for the curious and for support; rendered only while open. */
import { useState } from 'react';
import { formatHresult } from '../../../shared/hresult';
import { useAppStore, useT } from '../store/hooks';

export function EventLog() {
  const t = useT();
  const count = useAppStore((s) => s.app!.update.notificationCount);
  const [open, setOpen] = useState(false);
  return (
    <details className="log" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <span data-testid="notification-count">{t('log.title', { count })}</span>
      </summary>
      {open && <LogLines />}
    </details>
  );
}

function LogLines() {
  const t = useT();
  const log = useAppStore((s) => s.log);
  if (!log.length) return <p className="muted">{t('log.empty')}</p>;
  return (
    // Scrollable, so focusable: keyboard users can scroll it too.
    <ol className="log__lines mono" tabIndex={0}>
      {log.map((r) => (
        <li key={r.seq}>
          #{r.seq} {r.notify} · {r.phase}
          {r.percent !== null && ` · ${r.percent}%`}
          {r.current !== null && r.total !== null && ` · ${r.current}/${r.total}`}
          {r.hresult !== 0 && ` · ${formatHresult(r.hresult)}`}
          {r.line && ` · ${r.line}`}
        </li>
      ))}
    </ol>
  );
}
