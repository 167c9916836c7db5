/**
 * Settings: every change is saved at once through the bridge; native controls keep it keyboard friendly. A setting an
 * organisation's policy sets is shown with the policy's value, disabled, and described as managed, the way Windows
 * Security and Chrome do it.
 */
import { useEffect, useState } from 'react';
import { AUTO_CHECK_HOURS, type AutoCheckHours, type LanguageSetting, type PolicyState, type Settings } from '../../../shared/app-state';
import type { SettingsPatch } from '../../../shared/ipc-schemas';
import { UPDATE_SOURCES, type UpdateSource } from '../../../shared/update';
import { formatCount } from '../i18n';
import { useActions, useAppStore, useLang, useT } from '../store/hooks';

const REMINDER_HOURS = [1, 2, 4, 8, 24];

/** The ids a control's aria-describedby lists: its hint, and the managed label when a policy sets it. */
function describedBy(id: string, managed: boolean, hint = true): string | undefined {
  const ids = [hint ? `${id}-hint` : '', managed ? `${id}-managed` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** "Managed by your organization" under a locked control; the control names it in aria-describedby. */
function ManagedNote({ id, managed }: { id: string; managed: boolean }) {
  const t = useT();
  if (!managed) return null;
  return (
    <p id={`${id}-managed`} className="field__managed">
      {t('policy.managed')}
    </p>
  );
}

interface SelectOption {
  value: string | number;
  label: string;
  /** The option's own language, for a language name written in it. */
  lang?: string;
}

/** A labelled drop-down with its hint, locked and described as managed when a policy sets it. */
function SelectField(props: {
  id: string;
  label: string;
  value: string | number;
  options: readonly SelectOption[];
  hint?: string;
  managed: boolean;
  onChange: (value: string) => void;
}) {
  const { id, managed, hint } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        aria-describedby={describedBy(id, managed, hint !== undefined)}
        disabled={managed}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value} lang={option.lang}>
            {option.label}
          </option>
        ))}
      </select>
      <ManagedNote id={id} managed={managed} />
      {hint !== undefined && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

export function SettingsView() {
  const t = useT();
  const settings = useAppStore((s) => s.app!.settings);
  const managed: PolicyState['managed'] = useAppStore((s) => s.app!.policy.managed);
  const lang = useLang();
  const isManaged = (setting: keyof Settings): boolean => managed[setting] !== undefined;
  const focusTarget = useAppStore((s) => s.focusTarget);
  const { saveSettings, focusDone } = useActions();
  useEffect(() => {
    if (focusTarget === null) return;
    document.getElementById(focusTarget)?.focus();
    focusDone();
  }, [focusTarget, focusDone]);
  const [saved, setSaved] = useState(0);
  const save = async (patch: SettingsPatch) => {
    if (await saveSettings(patch)) setSaved((n) => n + 1);
  };
  const reminderOptions = REMINDER_HOURS.includes(settings.rebootReminderHours)
    ? REMINDER_HOURS
    : [...REMINDER_HOURS, settings.rebootReminderHours].sort((a, b) => a - b);
  // A policy may set any of 0–24 hours; the window offers 4, 8 and 24. Its own value is listed, saying who set it.
  const autoCheckOptions: number[] = (AUTO_CHECK_HOURS as readonly number[]).includes(settings.autoCheckHours)
    ? [...AUTO_CHECK_HOURS]
    : [...AUTO_CHECK_HOURS, settings.autoCheckHours].sort((a, b) => a - b);
  const autoCheckLabel = (h: number): string => {
    if (h === 0) return t('settings.autoCheck.off');
    if (!(AUTO_CHECK_HOURS as readonly number[]).includes(h)) return formatCount(lang, 'autoCheckManaged', h);
    return t('settings.autoCheck.every', { hours: h });
  };
  return (
    <section className="view card settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="card__title">
        {t('settings.title')}
      </h2>
      <SelectField
        id="setting-source"
        label={t('settings.source')}
        value={settings.source}
        options={UPDATE_SOURCES.map((source) => ({ value: source, label: t(`source.${source}`) }))}
        hint={t('settings.sourceHint')}
        managed={isManaged('source')}
        onChange={(value) => void save({ source: value as UpdateSource })}
      />
      {isManaged('sharePath') ? (
        <ManagedSharePath path={settings.sharePath} />
      ) : (
        settings.source === 'file-share' && (
          // Keyed by the saved value, so the box shows what was kept (a path ending in x64 is saved as its parent).
          <SharePathField key={settings.sharePath} saved={settings.sharePath} onSaved={() => setSaved((n) => n + 1)} />
        )
      )}
      <SelectField
        id="setting-auto"
        label={t('settings.autoCheck')}
        value={settings.autoCheckHours}
        options={autoCheckOptions.map((h) => ({ value: h, label: autoCheckLabel(h) }))}
        hint={t('settings.autoCheckHint')}
        managed={isManaged('autoCheckHours')}
        onChange={(value) => void save({ autoCheckHours: Number(value) as AutoCheckHours })}
      />
      <Check
        id="setting-watch"
        checked={settings.watchFreshness}
        label={t('settings.watch')}
        hint={t('settings.watchHint')}
        onChange={(v) => void save({ watchFreshness: v })}
      />
      <Check id="setting-login" checked={settings.startAtLogin} label={t('settings.startAtLogin')} onChange={(v) => void save({ startAtLogin: v })} />
      <Check
        id="setting-notify"
        checked={settings.notifications}
        label={t('settings.notifications')}
        onChange={(v) => void save({ notifications: v })}
      />
      <SelectField
        id="setting-language"
        label={t('settings.language')}
        value={settings.language}
        options={[
          { value: 'system', label: t('settings.language.system') },
          // Language names in their own language, as language pickers do.
          { value: 'en', label: 'English', lang: 'en' },
          { value: 'ru', label: 'Русский', lang: 'ru' },
        ]}
        managed={isManaged('language')}
        onChange={(value) => void save({ language: value as LanguageSetting })}
      />
      <SelectField
        id="setting-reminder"
        label={t('settings.reminder')}
        value={settings.rebootReminderHours}
        options={reminderOptions.map((h) => ({ value: h, label: t('settings.reminder.hours', { hours: h }) }))}
        managed={isManaged('rebootReminderHours')}
        onChange={(value) => void save({ rebootReminderHours: Number(value) })}
      />
      <p className="field__status" role="status">
        {saved > 0 ? t('settings.saved') : ''}
      </p>
    </section>
  );
}

/**
 * The folder for the file-share source, saved with its own button rather than on every keystroke: main checks it
 * (it must hold x64\mpam-fe.exe) and refuses one that cannot work, which the problem banner explains.
 */
function SharePathField({ saved, onSaved }: { saved: string; onSaved: () => void }) {
  const t = useT();
  const { saveSettings } = useActions();
  const [draft, setDraft] = useState(saved);
  const [invalid, setInvalid] = useState(false);
  const save = async () => {
    const result = await saveSettings({ sharePath: draft });
    setInvalid(result === null);
    if (result) onSaved();
  };
  return (
    <form
      className="field field--path"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label htmlFor="setting-share-path">{t('settings.sharePath')}</label>
      <div className="field--inline">
        <input
          id="setting-share-path"
          type="text"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          aria-describedby="setting-share-path-hint"
          aria-invalid={invalid || undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            setInvalid(false);
          }}
        />
        <button type="submit" className="btn" disabled={draft === saved}>
          {t('settings.sharePathSave')}
        </button>
      </div>
      <p id="setting-share-path-hint" className="field__hint">
        {t('settings.sharePathHint')}
      </p>
    </form>
  );
}

/** The folder the FileSharePath policy names: shown, selectable and copyable, never editable. */
function ManagedSharePath({ path }: { path: string }) {
  const t = useT();
  return (
    <div className="field field--path">
      <label htmlFor="setting-share-path">{t('settings.sharePath')}</label>
      <input
        id="setting-share-path"
        type="text"
        value={path}
        readOnly
        spellCheck={false}
        aria-describedby={describedBy('setting-share-path', true)}
      />
      <ManagedNote id="setting-share-path" managed />
      <p id="setting-share-path-hint" className="field__hint">
        {t('settings.sharePathHint')}
      </p>
    </div>
  );
}

function Check(props: { id: string; checked: boolean; label: string; hint?: string; onChange: (value: boolean) => void }) {
  const { id, checked, label, hint, onChange } = props;
  return (
    <div className="field field--check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint field__hint--check">
          {hint}
        </p>
      )}
    </div>
  );
}
