/**
 * The window's helpful actions that reach outside the app: Restart as administrator (elevation.ts), Check again (the
 * engine looks for Defender anew), Open Windows Security and opening the file an export wrote (both through the
 * guarded shell, security.ts). A part of the controller's command table, kept apart so the controller stays a table.
 */
import type { IpcError, IpcResult } from '../shared/ipc';
import { fail, messageOf, ok } from '../shared/ipc-result';
import { translator, type Lang, type MessageKey } from '../shared/messages';
import { isActivePhase } from '../shared/update';
import type { CommandTable } from './app-controller';
import type { ElevationPort } from './elevation';
import type { Scheduler } from './ports';
import type { ShellPort } from './security';
import type { UpdateEngine } from './update/engine-types';

export type WindowActionCommands = Pick<
  CommandTable,
  'app:restart-elevated' | 'availability:recheck' | 'shell:open-windows-security' | 'history:open-export'
>;

export interface WindowActionsOptions {
  engine: UpdateEngine;
  scheduler: Scheduler;
  elevation: ElevationPort | undefined;
  shell: ShellPort | undefined;
  quit: (() => void) | undefined;
  /** The window's language, for main's own refusals. */
  language: () => Lang;
  /** The file the last export wrote; the only one that may be opened. */
  lastExport: () => string | null;
  /** Defender was found: read its versions. */
  refreshVersions: () => void;
  /** Availability changed: send the window a state event. */
  stateChanged: () => void;
}

export function createWindowActions(options: WindowActionsOptions): WindowActionCommands {
  const { engine, shell } = options;
  const refuse = (key: MessageKey): { ok: false; error: IpcError } => fail('failed', translator(options.language())(key));
  const attempt = async (run: () => Promise<void> | void): Promise<IpcResult<null>> => {
    try {
      await run();
      return ok(null);
    } catch (error) {
      return fail('failed', messageOf(error));
    }
  };

  return {
    async 'app:restart-elevated'() {
      const elevation = options.elevation;
      if (!elevation || elevation.status() !== 'standard') return refuse('refusal.elevationUnsupported');
      // Quitting cancels a running update: never for a button that was meant to help one.
      if (isActivePhase(engine.getSnapshot().phase)) return refuse('refusal.updateRunning');
      let result;
      try {
        result = await elevation.relaunchElevated();
      } catch (error) {
        return fail('failed', messageOf(error));
      }
      // The answer goes out first; the elevated app has started and takes over from here.
      if (result === 'started') options.scheduler.setTimeout(() => options.quit?.(), 0);
      return ok({ kind: result });
    },
    async 'availability:recheck'() {
      const availability = await engine.recheck();
      if (availability.kind === 'available') options.refreshVersions();
      options.stateChanged();
      return ok(availability);
    },
    'shell:open-windows-security'() {
      return shell ? attempt(() => shell.openWindowsSecurity()) : Promise.resolve(refuse('refusal.noShell'));
    },
    'history:open-export'(request) {
      const exported = options.lastExport();
      if (!shell) return Promise.resolve(refuse('refusal.noShell'));
      if (exported === null || request.path !== exported) return Promise.resolve(refuse('refusal.notExported'));
      return attempt(() => (request.how === 'file' ? shell.openFile(exported) : shell.showInFolder(exported)));
    },
  };
}
