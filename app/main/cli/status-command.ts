/** `defender-updater status`: the versions, and a verdict a script can act on (exit 6 when too old). */
import type { PolicyValues } from '../../shared/policy';
import { ageInDays } from '../../shared/versions';
import type { UpdateEngine } from '../update/engine-types';
import { EXIT, type CliPorts } from './ports';

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
    ports.err(
      unanswered
        ? `Defender did not return from ${unanswered}; its versions are unknown.\n`
        : 'Defender did not report its versions (MpManagerVersionQuery failed).\n',
    );
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
    const verdict = upToDate
      ? `up to date (${maxAgeDays} days allowed)`
      : age === null
        ? 'age unknown: update to be sure'
        : `OUT OF DATE: older than ${maxAgeDays} day${maxAgeDays === 1 ? '' : 's'}`;
    ports.out(
      [
        `Security intelligence  ${versions.antivirus.version}`,
        `Last updated           ${versions.antivirus.updatedAt ?? 'unknown'}${age === null ? '' : ` (${age} day${age === 1 ? '' : 's'} ago)`}`,
        `Verdict                ${verdict}`,
        `Engine                 ${versions.engine.version}`,
        `Platform               ${versions.product.version}`,
      ].join('\n') + '\n',
    );
  }
  return upToDate ? EXIT.ok : EXIT.outdated;
}
