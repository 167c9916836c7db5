/** Runtime checks for every command payload. Main validates with these; nothing else trusts the renderer. */
import { z } from 'zod';
import { AUTO_CHECK_HOURS, EXTERNAL_LINKS, LANGUAGES } from './app-state';
import type { CommandChannel } from './ipc-channels';
import { UPDATE_RESULTS, UPDATE_SOURCES } from './update';

const none = z.undefined();

/** A Windows path as the window may name one: at most 32,767 characters (the long-path limit), no NUL. */
const pathText = z
  .string()
  .max(32_767)
  .regex(/^[^\0]*$/, 'a path has no NUL character');

export const settingsPatchSchema = z
  .object({
    source: z.enum(UPDATE_SOURCES),
    autoCheckHours: z.union(AUTO_CHECK_HOURS.map((h) => z.literal(h)) as [z.ZodLiteral<0>, z.ZodLiteral<4>, z.ZodLiteral<8>, z.ZodLiteral<24>]),
    startAtLogin: z.boolean(),
    notifications: z.boolean(),
    language: z.enum(LANGUAGES),
    rebootReminderHours: z.number().min(0.25).max(168),
    watchFreshness: z.boolean(),
    sharePath: pathText,
  })
  .partial()
  .strict();

export const commandSchemas = {
  'state:get': none,
  'update:start': z
    .object({ source: z.enum(UPDATE_SOURCES).optional() })
    .strict()
    .optional(),
  'update:cancel': none,
  'reboot:answer': z.discriminatedUnion('answer', [
    z.object({ answer: z.literal('restart-now') }).strict(),
    z.object({ answer: z.literal('later'), hours: z.number().min(0.25).max(168).optional() }).strict(),
    z.object({ answer: z.literal('abort-restart') }).strict(),
  ]),
  'settings:get': none,
  'settings:set': settingsPatchSchema,
  'history:get': z
    .object({ result: z.enum(UPDATE_RESULTS).optional() })
    .strict()
    .optional(),
  'history:export': z.object({ format: z.enum(['csv', 'json']) }).strict(),
  'notice:dismiss': z.object({ id: z.string().min(1).max(200) }).strict(),
  'diagnostics:copy': none,
  'app:restart-elevated': none,
  'availability:recheck': none,
  'shell:open-windows-security': none,
  // The path the window was told the export went to; main opens it only if it is exactly that file.
  'history:open-export': z.object({ path: z.string().min(1).max(32_767), how: z.enum(['file', 'folder']) }).strict(),
  // The window sends the path of a file dropped on it (the preload reads it with webUtils.getPathForFile); main checks
  // the file itself before anything runs.
  'update:package': z.object({ file: pathText.min(1) }).strict(),
  'update:choose-package': none,
  'update:repair': z.object({ all: z.boolean() }).strict(),
  'link:open': z.object({ link: z.enum(EXTERNAL_LINKS) }).strict(),
} satisfies Record<CommandChannel, z.ZodType>;

export type CommandRequest<C extends CommandChannel> = z.input<(typeof commandSchemas)[C]>;
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
export type RebootAnswer = z.infer<(typeof commandSchemas)['reboot:answer']>;
