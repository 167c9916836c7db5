/**
 * Ends this process at once with an exit code. `process.exit` is not enough once an MpClient call has hung: Node's exit
 * joins libuv's worker threads (uv__threadpool_cleanup, seen in a debugger), and the koffi worker blocked inside
 * Defender never comes back, so the process would never end.
 */
import * as koffi from 'koffi';

type Terminate = (code: number) => void;
let terminate: Terminate | null = null;

function nativeTerminate(platform: NodeJS.Platform): Terminate {
  if (platform === 'win32') {
    const kernel32 = koffi.load('kernel32.dll');
    const current = kernel32.func('void * __stdcall GetCurrentProcess(void)') as unknown as () => unknown;
    const kill = kernel32.func('int __stdcall TerminateProcess(void *hProcess, uint32_t uExitCode)') as unknown as (
      h: unknown,
      code: number,
    ) => number;
    return (code) => void kill(current(), code >>> 0);
  }
  // _exit skips atexit handlers, libuv's among them; the process image already holds libc.
  const exit = koffi.load(null).func('void _exit(int status)') as unknown as (status: number) => void;
  return (code) => exit(code);
}

/** Waits (at most `flushMs`) for stdout and stderr to take what was written, then ends the process. */
export function terminateProcess(code: number, flushMs = 1_000): void {
  terminate ??= nativeTerminate(process.platform);
  const end = terminate;
  let waiting = 2;
  const done = () => {
    waiting -= 1;
    if (waiting === 0) end(code);
  };
  // Pipes are asynchronous on Windows: an empty write's callback runs once everything before it was handed over.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableEnded || stream.destroyed) done();
    else stream.write('', () => done());
  }
  setTimeout(() => end(code), flushMs).unref();
}
