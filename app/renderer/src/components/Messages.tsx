/** Notices from main (a file that was reset…) and problems from the user's own actions, both dismissible. */
import type { MessageKey } from '../i18n';
import { useActions, useAppStore, useT } from '../store/hooks';

export function Notices() {
  const t = useT();
  const notices = useAppStore((s) => s.app?.notices);
  const { dismissNotice } = useActions();
  if (!notices?.length) return null;
  return (
    <ul className="messages">
      {notices.map((n) => (
        <li key={n.id} className={`message message--${n.level}`}>
          <p className="message__text">
            {t(`notice.${n.key}`)}
            {n.detail && <span className="message__detail"> {n.detail}</span>}
          </p>
          <button type="button" className="btn btn--quiet" onClick={() => void dismissNotice(n.id)}>
            {t('notice.dismiss')}
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ProblemBanner() {
  const t = useT();
  const problem = useAppStore((s) => s.problem);
  const { dismissProblem } = useActions();
  if (!problem) return null;
  const what: MessageKey = `problem.${problem.action}`;
  return (
    <div className="message message--error" role="alert">
      <p className="message__text">
        <strong>{t(what)}</strong> {t(`problem.code.${problem.code}`)}
        {problem.message && <span className="message__detail"> {problem.message}</span>}
      </p>
      <button type="button" className="btn btn--quiet" onClick={dismissProblem}>
        {t('problem.dismiss')}
      </button>
    </div>
  );
}
