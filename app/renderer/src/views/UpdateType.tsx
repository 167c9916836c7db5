/** The update type Defender reported using (it can differ from the source asked for: "Default" is whatever Windows is set up to use). */
import type { SigUpdateType } from '../../../shared/update';
import { updateTypeKey } from '../model';
import { useT } from '../store/hooks';

export function UpdateType({ sigType, ended }: { sigType: SigUpdateType | null; ended: boolean }) {
  const t = useT();
  const key = updateTypeKey(sigType);
  if (!key) return null;
  return <span data-testid="update-type">{t(ended ? 'updateType.used' : 'updateType.using', { type: t(key) })}</span>;
}
