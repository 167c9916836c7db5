/**
 * Typed refusals of the MpCmdRun back end, so the CLI can pick its exit code and the window its advice. `detail` is
 * the sentence for people (rendered in their language where it is shown); `message` is its English text, for logs.
 */
import { renderMessage, type Message } from '../../shared/messages';

/** No MpCmdRun.exe to run. */
export class MpCmdRunNotFoundError extends Error {
  override readonly name = 'MpCmdRunNotFoundError';
  constructor(
    readonly detail: Message,
    /** Every place looked at, in order. */
    readonly tried: readonly string[],
  ) {
    super(renderMessage('en', detail));
  }
}

export type PackageProblem =
  /** The file is not there. */
  | 'missing'
  /** Another program holds it open without sharing. */
  | 'busy'
  /** It cannot be read (permissions, a device error). */
  | 'unreadable'
  /** A folder or a device, not a file. */
  | 'not-a-file'
  /** Not a PE executable (or a DLL). */
  | 'not-a-program'
  /** A program for another kind of PC. */
  | 'wrong-architecture'
  /** Offline packages exist for x64 and ARM64 only. */
  | 'unsupported-pc';

/** A file offered as mpam-fe.exe that will not be handed to Defender. The CLI exits 2 on it. */
export class PackageRejectedError extends Error {
  override readonly name = 'PackageRejectedError';
  constructor(
    readonly problem: PackageProblem,
    readonly detail: Message,
  ) {
    super(renderMessage('en', detail));
  }
}

export type SharePathProblem = 'empty' | 'missing' | 'unreachable' | 'unreadable' | 'not-a-folder' | 'no-package';

/** A folder or file share that cannot be updated from. */
export class SharePathError extends Error {
  override readonly name = 'SharePathError';
  constructor(
    readonly problem: SharePathProblem | PackageProblem,
    readonly detail: Message,
  ) {
    super(renderMessage('en', detail));
  }
}
