/**
 * koffi declarations of the MpClient.dll surface we use, and thin typed calls over them.
 * Struct layouts follow [DOC] where it defines them (api §1.8, §4, §5); MPCALLBACK_INFO and the callback shape are
 * unofficial (api §3: [HDR-R] layout, [DECOMP] call site). A layout test compares these declarations with the C
 * compiler's view of test/standin/mpclient.h, on Linux and under Wine with mingw.
 */
import * as koffi from 'koffi';
import { toUnsigned } from '../../shared/hresult';
import { DefenderUnavailableError } from './errors';

/** An opaque MPHANDLE as koffi 3 represents pointers. */
export type MpHandle = bigint;
export type NativePointer = bigint;

/** [HDR-R]: { void* CallbackHandler @0; __int64 v4 @8 } (no official definition, api §3.2). */
export const MPCALLBACK_INFO = koffi.struct('MPCALLBACK_INFO', {
  CallbackHandler: 'void *',
  Context: 'uint64_t',
});

/** [DOC] `mpcallback-data.md`; the union holds only pointers, so it is one `void *` (api §4). */
export const MPCALLBACK_DATA = koffi.struct('MPCALLBACK_DATA', {
  Notify: 'int32_t',
  hResult: 'int32_t',
  TimeStamp: 'uint64_t',
  Type: 'int32_t',
  Data: 'void *',
});

/** [DOC] `mpsigupdate-data.md`; enums are 4 bytes with MSVC ([HDR-P] types them ULONG). Path is LPWSTR (api §5). */
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
 * `HRESULT callback(ULONG_PTR context, PMPCALLBACK_DATA data)`: shape from the [DECOMP] call site (api §3.3), which
 * ignores the return value; we return S_OK. WINAPI-style __stdcall is assumed for x86 (unknown, api open question 3);
 * koffi ignores it on x64 and ARM64. The data pointer is typed `void *` so we decode exactly what we need while the
 * callback runs: the buffer is the caller's stack and dies when we return (api §7).
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
  (...args: A): R;
  async(...args: [...A, AsyncCallback<R>]): void;
}

function callAsync<A extends unknown[], R>(fn: NativeFunction<A, R>, ...args: A): Promise<R> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, result: R) =>
      err ? reject(err instanceof Error ? err : new Error(`koffi async call failed: ${JSON.stringify(err)}`)) : resolve(result),
    );
  });
}

/** An HRESULT and, on success, the value an _Out_ parameter received. */
export interface CallResult<T> {
  hr: number;
  value: T | null;
}

/** The loaded library. Methods that may block on the Defender service run on koffi's worker threads. */
export class MpClientLibrary {
  private readonly fns;

  private constructor(
    readonly path: string,
    lib: koffi.LibraryHandle,
  ) {
    const fn = <A extends unknown[], R>(decl: string) => lib.func(decl) as unknown as NativeFunction<A, R>;
    this.fns = {
      MpManagerOpen: fn<[number, [MpHandle | null]], number>('int32_t __stdcall MpManagerOpen(uint32_t dwReserved, _Out_ void **phMpHandle)'),
      MpHandleClose: fn<[MpHandle], number>('int32_t __stdcall MpHandleClose(void *hMpHandle)'),
      MpUpdateStart: fn<[MpHandle, number, NativePointer | null, [MpHandle | null]], number>(
        'int32_t __stdcall MpUpdateStart(void *hMpHandle, uint32_t dwUpdateOptions, void *pCallbackInfo, _Out_ void **phUpdateHandle)',
      ),
      MpUpdateControl: fn<[MpHandle, number], number>('int32_t __stdcall MpUpdateControl(void *hUpdateHandle, int32_t UpdateControl)'),
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
      throw new DefenderUnavailableError('load-failed', `MpClient could not be loaded from ${path}: ${errorText(error)}`);
    }
    try {
      return new MpClientLibrary(path, lib);
    } catch (error) {
      lib.unload();
      throw new DefenderUnavailableError('load-failed', `${path} is not a usable MpClient library: ${errorText(error)}`);
    }
  }

  async managerOpen(): Promise<CallResult<MpHandle>> {
    const out: [MpHandle | null] = [null];
    const hr = toUnsigned(await callAsync(this.fns.MpManagerOpen, 0, out));
    return { hr, value: out[0] };
  }

  async handleClose(handle: MpHandle): Promise<number> {
    return toUnsigned(await callAsync(this.fns.MpHandleClose, handle));
  }

  /**
   * Always on a worker thread: without MPUPDATE_OPTION_ASYNC (or if Windows ignores it) the call returns only after
   * the update ended, and the JS thread must stay free to run the callbacks meanwhile (koffi queues them to it).
   */
  async updateStart(manager: MpHandle, options: number, callbackInfo: NativePointer | null): Promise<CallResult<MpHandle>> {
    const out: [MpHandle | null] = [null];
    const hr = toUnsigned(await callAsync(this.fns.MpUpdateStart, manager, options >>> 0, callbackInfo, out));
    return { hr, value: out[0] };
  }

  async updateControl(update: MpHandle, control: number): Promise<number> {
    return toUnsigned(await callAsync(this.fns.MpUpdateControl, update, control));
  }

  /** Defender's text for an HRESULT (UTF-16, freed with MpFreeMemory); null when it has none. */
  errorMessage(manager: MpHandle, hr: number): string | null {
    const out: [NativePointer | null] = [null];
    const rc = toUnsigned(this.fns.MpErrorMessageFormat(manager, hr | 0, out));
    const ptr = out[0];
    if (!ptr) return null;
    try {
      return rc === 0 ? (koffi.decode(ptr, 'char16_t', -1) as string).trim() || null : null;
    } finally {
      this.fns.MpFreeMemory(ptr);
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
 * uses it and its format is not documented (api open question 11).
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

export function decodeWideString(ptr: NativePointer): string {
  return koffi.decode(ptr, 'char16_t', -1) as string;
}

/**
 * The MPCALLBACK_INFO lives in native memory we own for the whole update, not in a temporary koffi makes for the
 * call: with MPUPDATE_OPTION_ASYNC the DLL may keep the pointer after MpUpdateStart returns (not documented either way).
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
