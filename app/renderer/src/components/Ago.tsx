/**
 * "3 days ago", with the exact date and time one keystroke away: the text takes keyboard focus, and the exact time
 * shows on focus as well as on hover (a title attribute shows on hover only). Screen readers get it as the
 * description. Escape hides it again without moving focus (WCAG 1.4.13, content on hover or focus).
 */
import { useId, useState } from 'react';
import { formatAgo, formatDateTime } from '../i18n';
import { useLang } from '../store/hooks';

export function Ago({ iso, now, testId }: { iso: string; now: number; testId?: string }) {
  const lang = useLang();
  const id = useId();
  const [dismissed, setDismissed] = useState(false);
  const ms = Date.parse(iso);
  return (
    <span className={dismissed ? 'ago ago--dismissed' : 'ago'}>
      <time
        className="ago__text"
        dateTime={iso}
        tabIndex={0}
        aria-describedby={id}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDismissed(true);
        }}
        onBlur={() => setDismissed(false)}
      >
        {formatAgo(lang, ms, now)}
      </time>
      <span id={id} role="tooltip" className="ago__exact">
        {formatDateTime(lang, ms)}
      </span>
    </span>
  );
}
