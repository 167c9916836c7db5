/**
 * koffi declarations of the MpClient.dll surface we use, and thin typed calls over them. Layouts, shapes and their
 * sources: docs/mpclient.md "Functions" and "Structures". A layout test compares these declarations with the C
 * compiler's view of test/standin/mpclient.h, on Linux and under Wine with mingw.
 *
 * Every call is `.async` and starts from a fresh macrotask (docs/mpclient.md "C++ exceptions inside the DLL"): the
 * real DLL throws and catches C++ exceptions internally, which a synchronous koffi call on the JS thread does not
 * survive under Wine, and a call that waits on the Defender service must never freeze the window.
 */
import * as koffi from 'koffi';
import { toUnsigned } from '../../shared/hresult';
import { message } from '../../shared/messages';
import { DefenderUnavailableError } from './errors';

/** An opaque MPHANDLE as koffi 3 represents pointers. */
export type MpHandle = bigint;
export type NativePointer = bigint;

/** No official definition; callback at +0, context at +8 (docs/mpclient.md "Structures"). */
export const MPCALLBACK_INFO = koffi.struct('MPCALLBACK_INFO', {
  CallbackHandler: 'void *',
  Context: 'uint64_t',
});

/** [DOC]; the union holds only pointers, so it is one `void *` (docs/mpclient.md "Structures"). */
export const MPCALLBACK_DATA = koffi.struct('MPCALLBACK_DATA', {
  Notify: 'int32_t',
  hResult: 'int32_t',
  TimeStamp: 'uint64_t',
  Type: 'int32_t',
  Data: 'void *',
});

/** [DOC]; enums are 4 bytes with MSVC. Path is LPWSTR (docs/mpclient.md "Structures"). */
export const MPSIGUPDATE_DATA = koffi.struct('MPSIGUPDATE_DATA', {
  dwPercentComplete: 'uint32_t',
  dwTotalUpdates: 'uint32_t',
  dwCurrentUpdateIndex: 'uint32_t',
  eType: 'int32_t',
  Stage: 'int32_t',
  Path: 'void *',
});

/** [DOC]: ULONGLONG Version (four WORDs) + ULARGE_INTEGER UpdateTime (FILETIME). */
export const MPCOMPONENT_VERSION = koffi.struct('MPCOMPONENT_VERSION', {
  Version: 'uint64_t',
  UpdateTime: 'uint64_t',
});

/** [DOC] `MPVERSION_INFO`: 12 × 16 = 192 bytes. */
export const MPVERSION_INFO = koffi.struct('MPVERSION_INFO', {
  Product: MPCOMPONENT_VERSION,
  Service: MPCOMPONENT_VERSION,
  FileSystemFilter: MPCOMPONENT_VERSION,
  Engine: MPCOMPONENT_VERSION,
  ASSignature: MPCOMPONENT_VERSION,
  AVSignature: MPCOMPONENT_VERSION,
  NISEngine: MPCOMPONENT_VERSION,
  NISSignature: MPCOMPONENT_VERSION,
  Reserved: koffi.array(MPCOMPONENT_VERSION, 4),
});

/**
 * `long callback(void *context, PMPCALLBACK_DATA data)`: the DLL ignores the return value; we return S_OK. __stdcall
 * on x86, ignored by koffi on x64 and ARM64. The data pointer is typed `void *` so we decode exactly what we need
 * while the callback runs: the DLL frees the buffer when we return (docs/mpclient.md "Structures").
 */
export const MPCALLBACK_FUNC = koffi.proto('int32_t __stdcall MPCALLBACK_FUNC(uint64_t Context, void *pCallbackData)');

export interface RawComponentVersion {
  Version: bigint | number;
  UpdateTime: bigint | number;
}
export type RawVersionInfo = Record<
  'Product' | 'Service' | 'FileSystemFilter' | 'Engine' | 'ASSignature' | 'AVSignature' | 'NISEngine' | 'NISSignature',
  RawComponentVersion
>;

export interface RawCallbackData {
  Notify: number;
  hResult: number;
  Type: number;
  Data: NativePointer | null;
}

export interface RawSigUpdateData {
  dwPercentComplete: number;
  dwTotalUpdates: number;
  dwCurrentUpdateIndex: number;
  eType: number;
  Stage: number;
  Path: NativePointer | null;
}

type AsyncCallback<T> = (err: unknown, result: T) => void;
interface NativeFunction<A extends unknown[], R> {
  async(...args: [...A, AsyncCallback<R>]): void;
}

/**
 * Runs a native call on a koffi worker thread, started from a fresh macrotask so that it is never inside another
 * call's completion (docs/mpclient.md "C++ exceptions inside the DLL"). The promise settles in the completion
 * callback; whoever awaits it continues after that callback has returned.
 */
function callAsync<A extends unknown[], R>(fn: NativeFunction<A, R>, ...args: A): Promise<R> {
  return new Promise((resolve, reject) => {
    setImmediate(() => {
      try {
        fn.async(...args, (err: unknown, result: R) =>
          err ? reject(err instanceof Error ? err : new Error(`koffi async call failed: ${JSON.stringify(err)}`)) : resolve(result),
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** An HRESULT and, on success, the value an _Out_ parameter received. */
export interface CallResult<T> {
  hr: number;
  value: T | null;
}

/** The loaded library. Every method runs its native call on a koffi worker thread. */
export class MpClientLibrary {
  private readonly fns;

  private constructor(
    readonly path: string,
    lib: koffi.LibraryHandle,
  ) {
    const fn = <A extends unknown[], R>(decl: string) => lib.func(decl) as unknown as NativeFunction<A, R>;
    this.fns = {
      MpManagerOpen: fn<[number, [MpHandle | null]], number>('int32_t __stdcall MpManagerOpen(uint32_t dwReserved, _Out_ void **phMpHandle)'),
      MpHandleClose: fn<[MpHandle | null], number>('int32_t __stdcall MpHandleClose(void *hMpHandle)'),
      MpUpdateStart: fn<[MpHandle | null, number, NativePointer | null, [MpHandle | null]], number>(
        'int32_t __stdcall MpUpdateStart(void *hMpHandle, uint32_t dwUpdateOptions, void *pCallbackInfo, _Out_ void **phUpdateHandle)',
      ),
      MpUpdateControl: fn<[MpHandle | null, number], number>('int32_t __stdcall MpUpdateControl(void *hMpHandle, int32_t UpdateControl)'),
      MpErrorMessageFormat: fn<[MpHandle, number, [NativePointer | null]], number>(
        'int32_t __stdcall MpErrorMessageFormat(void *hMpHandle, int32_t hrError, _Out_ void **pwszErrorDesc)',
      ),
      MpFreeMemory: fn<[NativePointer], void>('void __stdcall MpFreeMemory(void *pMemory)'),
      MpManagerVersionQuery: fn<[MpHandle, RawVersionInfo], number>(
        'int32_t __stdcall MpManagerVersionQuery(void *hMpHandle, _Out_ MPVERSION_INFO *pVersionInfo)',
      ),
    };
  }

  /** Loads the library and resolves every export; a missing file or export is a DefenderUnavailableError. */
  static load(path: string): MpClientLibrary {
    let lib: koffi.LibraryHandle;
    try {
      lib = koffi.load(path);
    } catch (error) {
      throw new DefenderUnavailableError('load-failed', message('unavailable.message.loadFailed', { path, error: errorText(error) }));
    }
    try {
      return new MpClientLibrary(path, lib);
    } catch (error) {
      lib.unload();
      throw new DefenderUnavailableError('load-failed', message('unavailable.message.notMpClient', { path, error: errorText(error) }));
    }
  }

  async managerOpen(): Promise<CallResult<MpHandle>> {
    const out: [MpHandle | null] = [null];
    const hr = toUnsigned(await callAsync(this.fns.MpManagerOpen, 0, out));
    return { hr, value: out[0] };
  }

  /** NULL is allowed (the DLL answers S_FALSE); `doctor` checks that. */
  async handleClose(handle: MpHandle | null): Promise<number> {
    return toUnsigned(await callAsync(this.fns.MpHandleClose, handle));
  }

  /**
   * On a worker thread: without MPUPDATE_OPTION_ASYNC (or if Windows ignores it) the call returns only after the
   * update ended, and the JS thread must stay free to run the callbacks meanwhile (koffi queues them to it).
   * The engine always passes a callback info; `doctor` passes NULL on purpose to check the DLL refuses it.
   */
  async updateStart(manager: MpHandle | null, options: number, callbackInfo: NativePointer | null): Promise<CallResult<MpHandle>> {
    const out: [MpHandle | null] = [null];
    const hr = toUnsigned(await callAsync(this.fns.MpUpdateStart, manager, options >>> 0, callbackInfo, out));
    return { hr, value: out[0] };
  }

  /** The real DLL wants the manager handle here (docs/mpclient.md "Cancel"). */
  async updateControl(handle: MpHandle | null, control: number): Promise<number> {
    return toUnsigned(await callAsync(this.fns.MpUpdateControl, handle, control));
  }

  /** Defender's text for an HRESULT (UTF-16, freed with MpFreeMemory); null when it has none. */
  async errorMessage(manager: MpHandle, hr: number): Promise<string | null> {
    const out: [NativePointer | null] = [null];
    const rc = toUnsigned(await callAsync(this.fns.MpErrorMessageFormat, manager, hr | 0, out));
    const ptr = out[0];
    if (!ptr) return null;
    try {
      return rc === 0 ? decodeWideString(ptr).trim() || null : null;
    } finally {
      await callAsync(this.fns.MpFreeMemory, ptr);
    }
  }

  async versionQuery(manager: MpHandle): Promise<CallResult<RawVersionInfo>> {
    const out = {} as RawVersionInfo;
    const hr = toUnsigned(await callAsync(this.fns.MpManagerVersionQuery, manager, out));
    return { hr, value: hr === 0 ? out : null };
  }
}

/**
 * Decoders used inside the callback, while the native buffers are still alive. Field by field at the declared
 * offsets: koffi decodes one scalar in about a tenth of the time it takes to build a whole struct object, and this
 * runs on Defender's critical path (its thread waits for every callback to return). TimeStamp is not read: nothing
 * uses it.
 */
const CB = {
  Notify: koffi.offsetof(MPCALLBACK_DATA, 'Notify'),
  hResult: koffi.offsetof(MPCALLBACK_DATA, 'hResult'),
  Type: koffi.offsetof(MPCALLBACK_DATA, 'Type'),
  Data: koffi.offsetof(MPCALLBACK_DATA, 'Data'),
};
const SIG = {
  dwPercentComplete: koffi.offsetof(MPSIGUPDATE_DATA, 'dwPercentComplete'),
  dwTotalUpdates: koffi.offsetof(MPSIGUPDATE_DATA, 'dwTotalUpdates'),
  dwCurrentUpdateIndex: koffi.offsetof(MPSIGUPDATE_DATA, 'dwCurrentUpdateIndex'),
  eType: koffi.offsetof(MPSIGUPDATE_DATA, 'eType'),
  Stage: koffi.offsetof(MPSIGUPDATE_DATA, 'Stage'),
  Path: koffi.offsetof(MPSIGUPDATE_DATA, 'Path'),
};

function pointerAt(ptr: NativePointer, offset: number): NativePointer | null {
  const value = koffi.decode(ptr, offset, 'void *') as NativePointer | null;
  return value ? value : null;
}

export function decodeCallbackData(ptr: NativePointer): RawCallbackData {
  return {
    Notify: koffi.decode(ptr, CB.Notify, 'int32_t') as number,
    hResult: koffi.decode(ptr, CB.hResult, 'int32_t') as number,
    Type: koffi.decode(ptr, CB.Type, 'int32_t') as number,
    Data: pointerAt(ptr, CB.Data),
  };
}

export function decodeSigUpdateData(ptr: NativePointer): RawSigUpdateData {
  return {
    dwPercentComplete: koffi.decode(ptr, SIG.dwPercentComplete, 'uint32_t') as number,
    dwTotalUpdates: koffi.decode(ptr, SIG.dwTotalUpdates, 'uint32_t') as number,
    dwCurrentUpdateIndex: koffi.decode(ptr, SIG.dwCurrentUpdateIndex, 'uint32_t') as number,
    eType: koffi.decode(ptr, SIG.eType, 'int32_t') as number,
    Stage: koffi.decode(ptr, SIG.Stage, 'int32_t') as number,
    Path: pointerAt(ptr, SIG.Path),
  };
}

/** Windows' longest path, in UTF-16 units: the bound for every string Defender hands us. */
export const MAX_WIDE_STRING_UNITS = 32_767;
const PAGE_BYTES = 4096n;
const CHUNK_UNITS = 256;

/**
 * A NUL-terminated UTF-16 string, read at most `maxUnits` units: an unterminated string is cut there instead of
 * read past. Chunks never cross into the next memory page before the string has reached it, so a string that ends
 * just before an unmapped page is never over-read.
 */
export function decodeWideString(ptr: NativePointer, maxUnits = MAX_WIDE_STRING_UNITS): string {
  let text = '';
  let offset = 0;
  while (text.length < maxUnits) {
    const address = BigInt(ptr) + BigInt(offset);
    const toPageEnd = Number(PAGE_BYTES - (address % PAGE_BYTES));
    const units = Math.min(CHUNK_UNITS, maxUnits - text.length, Math.max(1, toPageEnd >> 1));
    // A fixed-length char16_t decode stops at the first NUL: a short chunk means the string ended.
    const chunk = koffi.decode(ptr, offset, 'char16_t', units) as string;
    text += chunk;
    if (chunk.length < units) break;
    offset += units * 2;
  }
  return text;
}

/**
 * The MPCALLBACK_INFO lives in native memory we own for the whole update. The real DLL copies it, but nothing
 * documents that, and keeping it until the handle is closed costs nothing (docs/mpclient.md "Structures").
 */
export function allocCallbackInfo(callback: NativePointer, context: bigint): NativePointer {
  const ptr = koffi.alloc(MPCALLBACK_INFO, 1) as NativePointer;
  koffi.encode(ptr, MPCALLBACK_INFO, { CallbackHandler: callback, Context: context });
  return ptr;
}

export function freeNative(ptr: NativePointer): void {
  koffi.free(ptr);
}

/** Registered callbacks currently alive in this process (tests assert it returns to zero). */
export function registeredCallbackCount(): number {
  return (koffi.stats() as { callbacks: number }).callbacks;
}

export function registerCallback(fn: (context: bigint | number, data: NativePointer | null) => number): NativePointer {
  return koffi.register(fn, koffi.pointer(MPCALLBACK_FUNC));
}

export function unregisterCallback(ptr: NativePointer): void {
  koffi.unregister(ptr);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every struct the binding declares, by its C name (the layout test walks this). */
export const BINDING_STRUCTS = { MPCALLBACK_INFO, MPCALLBACK_DATA, MPSIGUPDATE_DATA, MPCOMPONENT_VERSION, MPVERSION_INFO } as const;
