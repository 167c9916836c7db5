/** `defender-updater status`: the versions, and a verdict a script can act on (exit 6 when too old). */
import type { PolicyValues } from '../../shared/policy';
import { formatCount } from '../../shared/messages';
import { ageInDays } from '../../shared/versions';
import type { UpdateEngine } from '../update/engine-types';
import { EXIT, type CliPorts } from './ports';
import { t } from './text';

export async function statusCommand(
  engine: UpdateEngine,
  json: boolean,
  maxAgeDays: number,
  policies: Partial<PolicyValues>,
  ports: CliPorts,
): Promise<number> {
  const versions = await engine.readVersions();
  if (!versions) {
    const unanswered = engine.pendingNativeCall();
    ports.err((unanswered ? t('cli.status.noAnswer', { call: unanswered }) : t('cli.status.noVersions')) + '\n');
    return EXIT.failed;
  }
  const age = ageInDays(versions.antivirus.updatedAt, ports.now?.());
  // An unknown age is not "up to date": a script asking this wants to know it should update.
  const upToDate = age !== null && age <= maxAgeDays;
  if (json) {
    ports.out(
      JSON.stringify({
        available: true,
        libraryPath: engine.availability.kind === 'available' ? engine.availability.libraryPath : null,
        versions,
        upToDate,
        ageDays: age,
        maxAgeDays,
        // What the organisation sets, by policy name (empty when nothing is managed).
        policies,
      }) + '\n',
    );
  } else {
    const allowed = formatCount('en', 'days', maxAgeDays);
    const verdict = upToDate
      ? t('cli.status.upToDate', { days: allowed })
      : age === null
        ? t('cli.status.unknownAge')
        : t('cli.status.outOfDate', { days: allowed });
    const rows: [string, string][] = [
      [t('cli.status.signature'), versions.antivirus.version],
      [
        t('cli.status.lastUpdated'),
        `${versions.antivirus.updatedAt ?? t('status.unknown')}${age === null ? '' : ` (${formatCount('en', 'daysAgo', age)})`}`,
      ],
      [t('cli.status.verdict'), verdict],
      [t('cli.status.engine'), versions.engine.version],
      [t('cli.status.platform'), versions.product.version],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    ports.out(rows.map(([label, value]) => label.padEnd(width) + value).join('\n') + '\n');
  }
  return upToDate ? EXIT.ok : EXIT.outdated;
}
