// Loaded (node --require) into every node.exe the test suite runs under Wine. It makes Wine 8 dispatch a C++ exception
// the way 64-bit Windows does, so the Windows tests show the binding, not a Wine quirk.
//
// The quirk: Wine 8 still keeps "Wine frames" in the thread's TIB exception list (64-bit Windows has no such list), and
// while dispatching it calls every one whose address is below the current stack pointer before the handler of the
// function that threw. koffi runs each native call on a stack of its own; when that stack lies above the thread's
// real stack, the thread's outermost Wine frame (its unhandled-exception filter) is called first, which starts winedbg
// and ends the process, although the DLL catches the exception itself a few frames further up. Newer Wine checks that
// a Wine frame lies within the current stack first. With no unhandled-exception filter set in ntdll that frame passes
// the exception on ("continue search"), the DLL's own catch runs, and an exception nobody catches still ends the
// process at the end of the dispatch. See docs/mpclient.md "C++ exceptions inside the DLL".
'use strict';
// A CommonJS preload (node --require): require() is the only way in.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const koffi = require('koffi');
koffi.load('ntdll.dll').func('void *__stdcall RtlSetUnhandledExceptionFilter(void *filter)')(null);
