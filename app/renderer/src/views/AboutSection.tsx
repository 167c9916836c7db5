/**
 * About, at the end of Settings: the app's version and Defender's, and "Copy diagnostics" for support. Main builds the
 * text and writes the clipboard: the window's permission handler denies clipboard access, as it denies everything.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Availability } from '../../../shared/update';
import { formatDateTime, type MessageKey } from '../i18n';
import { useActions, useAppStore, useLang, useT } from '../store/hooks';

type CopyState = 'idle' | 'copying' | 'copied' | 'failed';

/** Why there are no versions to show. */
const NO_VERSIONS = {
  available: 'status.reason.noVersions',
  connecting: 'status.connecting',
  unavailable: 'status.unavailable',
} as const satisfies Record<Availability['kind'], MessageKey>;

export function AboutSection() {
  const t = useT();
  const lang = useLang();
  const { appVersion, versions, availability, ignored } = useAppStore(
    useShallow((s) => ({
      appVersion: s.app!.appVersion,
      versions: s.app!.versions,
      availability: s.app!.availability.kind,
      ignored: s.app!.policy.ignored,
    })),
  );
  const { copyDiagnostics } = useActions();
  const [copy, setCopy] = useState<CopyState>('idle');
  const onCopy = async () => {
    if (copy === 'copying') return;
    // The status empties first, so a second copy is announced again.
    setCopy('copying');
    setCopy((await copyDiagnostics()) ? 'copied' : 'failed');
  };
  const signatures = versions?.antivirus;
  return (
    <section className="view card about" aria-labelledby="about-title">
      <h2 id="about-title" className="card__title">
        {t('about.title')}
      </h2>
      <dl className="pairs">
        <dt>{t('about.appVersion')}</dt>
        <dd className="mono" data-testid="about-app-version">
          {appVersion}
        </dd>
        {versions && signatures ? (
          <>
            <dt>{t('about.platform')}</dt>
            <dd className="mono">{versions.product.version}</dd>
            <dt>{t('about.engine')}</dt>
            <dd className="mono">{versions.engine.version}</dd>
            <dt>{t('about.signatures')}</dt>
            <dd className="mono" data-testid="about-signature-version">
              {signatures.version}
            </dd>
            <dt>{t('about.signaturesUpdated')}</dt>
            <dd data-testid="about-signature-updated">
              {signatures.updatedAt ? (
                <time dateTime={signatures.updatedAt}>{formatDateTime(lang, Date.parse(signatures.updatedAt))}</time>
              ) : (
                t('status.unknown')
              )}
            </dd>
          </>
        ) : (
          <>
            <dt>{t('about.defender')}</dt>
            <dd>{t(NO_VERSIONS[availability])}</dd>
          </>
        )}
      </dl>
      {ignored.length > 0 && (
        // One notice for every policy value that was ignored, so an administrator sees each mistake at once.
        <section className="about__policies" aria-labelledby="policy-ignored-title" data-testid="policy-ignored">
          <h3 id="policy-ignored-title" className="about__policies-title">
            {t('policy.ignored.title')}
          </h3>
          <p>{t('policy.ignored.intro')}</p>
          <ul>
            {ignored.map((p) => (
              <li key={`${p.hive}-${p.name}`}>{t('policy.ignored.item', { hive: p.hive, reason: p.reason })}</li>
            ))}
          </ul>
        </section>
      )}
      <p id="about-copy-hint" className="field__hint">
        {t('about.copyHint')}
      </p>
      <div className="card__actions">
        <button type="button" className="btn" aria-describedby="about-copy-hint" onClick={() => void onCopy()}>
          {t('about.copy')}
        </button>
      </div>
      <p className="field__status" role="status">
        {copy === 'copied' ? t('about.copied') : ''}
      </p>
      {/* The banner at the top says why (and is the alert); this keeps the failure beside the button. */}
      {copy === 'failed' && <p className="field__error">{t('problem.diagnostics')}</p>}
    </section>
  );
}
