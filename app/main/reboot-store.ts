/** reboot.json in the user data folder: the restart prompt's state, so "restart needed" survives the app restarting. */
import { z } from 'zod';
import type { RebootState } from '../shared/app-state';
import { createJsonStore, keepAll, type StoreLocation } from './json-store';
import type { RebootStorePort } from './ports';

export const REBOOT_FILE = 'reboot.json';

const time = z.number().int().nonnegative();
const rebootStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('needed'), since: time, remindAt: time.nullable() }),
  z.object({ kind: z.literal('restart-scheduled'), at: time }),
]) satisfies z.ZodType<RebootState>;

export function createRebootStore(options: StoreLocation): RebootStorePort & { readonly path: string } {
  const store = createJsonStore<RebootState, RebootState>({
    ...options,
    file: REBOOT_FILE,
    schema: rebootStateSchema,
    fallback: () => ({ kind: 'none' }),
    salvage: keepAll,
    // A bad file means we forget a pending restart prompt: worth no notice, Defender will ask again if it must.
    noticeKey: null,
  });
  return { path: store.path, load: () => store.load().value, save: (value) => store.save(value) };
}
