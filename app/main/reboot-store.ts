/** reboot.json in the user data folder: the restart prompt's state, so "restart needed" survives the app restarting. */
import { join } from 'node:path';
import { z } from 'zod';
import type { RebootState } from '../shared/app-state';
import { JsonFileWriter, readJsonFile } from './json-file';
import type { RebootStorePort } from './ports';

export const REBOOT_FILE = 'reboot.json';

const time = z.number().int().nonnegative();
const rebootStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('needed'), since: time, remindAt: time.nullable() }),
  z.object({ kind: z.literal('restart-scheduled'), at: time }),
]) satisfies z.ZodType<RebootState>;

export function createRebootStore(options: { dir: string; now?: () => number }): RebootStorePort & { readonly path: string } {
  const path = join(options.dir, REBOOT_FILE);
  const writer = new JsonFileWriter(path);
  return {
    path,
    // A bad file means we forget a pending restart prompt: worth no notice, Defender will ask again if it must.
    load: () => readJsonFile<RebootState>(path, rebootStateSchema, () => ({ kind: 'none' }), (options.now ?? Date.now)()).value,
    save: (state) => writer.write(state),
  };
}
