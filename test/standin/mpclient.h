/*
 * mpclient.h: the subset of Microsoft's MpClient.h (Defender client API) that
 * Defender Updater uses, for the stand-in MpClient library in this folder.
 *
 * This header is the "truth" the koffi declarations in the TypeScript binding
 * must match: test/standin/layout-probe.c prints sizeof/_Alignof/offsetof of
 * every struct it lists, and the layout test compares them (field names
 * included) with the koffi types.
 *
 * Sources: docs/mpclient.md (the facts the code relies on, each with its source
 * and how sure it is). Official docs give names and meanings; most numeric
 * values come from unofficial reconstructions or from a real MpClient.dll
 * (x64 4.18.1909.6) that was called and disassembled, and are marked as such.
 *
 * Conventions:
 *  - UTF-16 strings are arrays of MPWCHAR (uint16_t), never wchar_t (wchar_t
 *    is 4 bytes on Linux).
 *  - Enum-typed struct fields are declared as int32_t (a C enum is 4 bytes with
 *    MSVC); the enums below only give the values.
 *  - MPAPI is __stdcall on Windows (WINAPI); on x64 it is ignored.
 */
#ifndef MPCLIENT_STANDIN_H
#define MPCLIENT_STANDIN_H

#include <stdint.h>

#ifdef _WIN32
#  include <windows.h> /* HRESULT (LONG, 32-bit) and DWORD (unsigned long, 32-bit) */
#  define MPAPI __stdcall
#  ifdef MPCLIENT_STANDIN_BUILD
#    define MPCLIENT_EXPORT __declspec(dllexport)
#  else
#    define MPCLIENT_EXPORT
#  endif
#else
typedef int32_t HRESULT;
typedef uint32_t DWORD;
#  define MPAPI
#  define MPCLIENT_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef uint16_t MPWCHAR;  /* one UTF-16 code unit (WCHAR on Windows) */
typedef void *MPHANDLE;    /* opaque, pointer-sized; see MPHANDLE_BLOCK */

/* ---- HRESULTs used by the stand-in --------------------------------------- */
#define MP_S_OK                  ((HRESULT)0x00000000)
#define MP_S_FALSE               ((HRESULT)0x00000001)
#define MP_E_NOTIMPL             ((HRESULT)0x80004001)
#define MP_E_POINTER             ((HRESULT)0x80004003)
#define MP_E_FAIL                ((HRESULT)0x80004005)
#define MP_E_ACCESSDENIED        ((HRESULT)0x80070005)
#define MP_E_HANDLE              ((HRESULT)0x80070006) /* E_WIN_INVALID_HANDLE */
#define MP_E_OUTOFMEMORY         ((HRESULT)0x8007000E)
#define MP_E_INVALIDARG          ((HRESULT)0x80070057)
#define MP_E_CANCELLED           ((HRESULT)0x800704C7) /* HRESULT_FROM_WIN32(ERROR_CANCELLED) */
#define MP_E_SERVICE_DISABLED    ((HRESULT)0x800106BA) /* Defender service disabled/not running */
#define MP_E_NAME_NOT_RESOLVED   ((HRESULT)0x80072EE7) /* WININET_E_NAME_NOT_RESOLVED */
#define MP_E_CANNOT_CONNECT      ((HRESULT)0x80072EFD) /* WININET_E_CANNOT_CONNECT */
#define MP_E_ALL_UPDATES_FAILED  ((HRESULT)0x80240022) /* WU_E_ALL_UPDATES_FAILED */
#define MP_E_BADDB_CONTENT       ((HRESULT)0x8050A004) /* ERROR_MP_BADDB_CONTENT */

/* ---- MPUPDATE_OPTION_* ----------------------------------------------------
 * Names and meanings are documented; the numbers are not. These are what the
 * option validator of a real MpClient.dll (4.18.1909.6) does with each bit
 * (docs/mpclient.md):
 *   0x1  ASYNC: set, the call returns at once; clear, it returns after the update.
 *   0x2  PROGRESS: clear, DOWNLOAD_PROGRESS and INSTALL_PROGRESS are dropped.
 *   0x4  a network-cost pre-check (undocumented; "skip on a metered connection"?):
 *        when it says skip, only COMPLETE with S_FALSE is sent.
 *   0x8  HTTP: in-process download straight from Microsoft (MMPC).
 *   0x20 UNC: in-process copy from the configured file shares.
 *   0x10, 0x40, 0x80, 0x100: passed to the Defender service. MANAGED (WSUS) and
 *        UNMANAGED (MU/WU) are two of these four; which two is NOT known.
 *   0x200: meaning unknown.
 *   no source bit: the configured fallback order (MpCmdRun and Windows Security).
 * Rule: at most one of 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, and 0x200 not with
 * any of 0x8..0x40; anything else is E_INVALIDARG before the service is asked. */
#define MPUPDATE_OPTION_NONE          0x000u
#define MPUPDATE_OPTION_ASYNC         0x001u
#define MPUPDATE_OPTION_PROGRESS      0x002u
#define MPUPDATE_OPTION_COST_CHECK    0x004u /* name of this project */
#define MPUPDATE_OPTION_HTTP          0x008u
#define MPUPDATE_OPTION_SERVICE_10    0x010u /* service source, real name unknown */
#define MPUPDATE_OPTION_UNC           0x020u
#define MPUPDATE_OPTION_SERVICE_40    0x040u /* service source, real name unknown */
#define MPUPDATE_OPTION_SERVICE_80    0x080u /* service source, real name unknown */
#define MPUPDATE_OPTION_SERVICE_100   0x100u /* service source, real name unknown */
#define MPUPDATE_OPTION_X200          0x200u /* meaning unknown */
#define MPUPDATE_OPTION_SOURCE_MASK   0x1F8u /* at most one of these bits */
#define MPUPDATE_OPTION_SERVICE_MASK  0x1D0u /* the sources the service handles */
#define MPUPDATE_OPTION_NOT_WITH_X200 0x078u /* 0x200 refuses these */

/* ---- Handles (docs/mpclient.md; unofficial, read from the real DLL) -------
 * An MPHANDLE points to a small heap block: a DWORD type tag, then the object.
 * A function that wants one kind of handle compares the tag and answers
 * E_HANDLE (0x80070006) for any other. */
typedef struct tagMPHANDLE_BLOCK {
    uint32_t Tag;
    void *Object;
} MPHANDLE_BLOCK;
#define MPHANDLE_TAG_MANAGER 1u /* from MpManagerOpen */
#define MPHANDLE_TAG_UPDATE  4u /* from MpUpdateStart */

/* ---- MPCONTROL (unofficial values) ----------------------------------------
 * The real MpUpdateControl takes the MANAGER handle (not the update handle the
 * docs name) and refuses values above 2 with E_INVALIDARG. */
typedef enum tagMPCONTROL {
    MPCONTROL_ABORT = 0,
    MPCONTROL_PAUSE = 1,
    MPCONTROL_RESUME = 2
} MPCONTROL;

/* ---- MPCALLBACK_TYPE (official values) ----------------------------------- */
typedef enum tagMPCALLBACK_TYPE {
    MPCALLBACK_UNKNOWN = 0,
    MPCALLBACK_STATUS = 1,
    MPCALLBACK_THREAT = 2,
    MPCALLBACK_SCAN = 3,
    MPCALLBACK_CLEAN = 4,
    MPCALLBACK_PRECHECK = 5,
    MPCALLBACK_SIGUPDATE = 6,
    MPCALLBACK_SAMPLE = 7,
    MPCALLBACK_RESERVED = 8,
    MPCALLBACK_CONFIGURATION_NOTIFICATION = 9,
    MPCALLBACK_FASTPATH = 10,
    MPCALLBACK_PRODUCT_EXPIRATION = 11,
    MPCALLBACK_NIS_PRIVATE = 12,
    MPCALLBACK_HEALTH = 13,
    MPCALLBACK_ENDOFLIFE = 14,
    MPCALLBACK_MALWARETOAST = 15,
    MPCALLBACK_MAXVALUE = 15
} MPCALLBACK_TYPE;

/* ---- MPNOTIFY (unofficial: grouped numbering, group N -> 0xN000 + index;
 * the real DLL's code uses 0x8006/0x8009 as progress and ends its loop with
 * 0x800D, which also carries the error when the update failed) ------------- */
typedef enum tagMPNOTIFY {
    MPNOTIFY_NONE = 0x0000,
    MPNOTIFY_CALL_START = 0x1001,
    MPNOTIFY_CALL_COMPLETE = 0x1002,
    MPNOTIFY_INTERNAL_FAILURE = 0x2001,
    MPNOTIFY_SIGUPDATE_START = 0x8001,
    MPNOTIFY_SIGUPDATE_SEARCH_START = 0x8002,
    MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE = 0x8003,
    MPNOTIFY_SIGUPDATE_SOFTWARE_UPDATE_AVAILABLE = 0x8004,
    MPNOTIFY_SIGUPDATE_DOWNLOAD_START = 0x8005,
    MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS = 0x8006,
    MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE = 0x8007,
    MPNOTIFY_SIGUPDATE_INSTALL_START = 0x8008,
    MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS = 0x8009,
    MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE = 0x800A,
    MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED = 0x800B,
    MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED = 0x800C,
    MPNOTIFY_SIGUPDATE_COMPLETE = 0x800D /* hResult S_FALSE: no update needed */
} MPNOTIFY;

/* ---- MPSIGUPDATE_TYPE (implicit values of an unofficial header) ---------- */
typedef enum tagMPSIGUPDATE_TYPE {
    MPSIGUPDATE_TYPE_NONE = 0,
    MPSIGUPDATE_TYPE_MANAGED = 1,            /* WSUS; cancel needs admin */
    MPSIGUPDATE_TYPE_HTTP = 2,               /* cancel does not need admin */
    MPSIGUPDATE_TYPE_HTTP_SRV = 3,           /* cancel needs admin */
    MPSIGUPDATE_TYPE_UNC = 4,                /* cancel does not need admin */
    MPSIGUPDATE_TYPE_UNMANAGED = 5,          /* MU/WU; cancel needs admin */
    MPSIGUPDATE_TYPE_MANAGED_PLATFORM = 6,   /* cancel needs admin */
    MPSIGUPDATE_TYPE_UNMANAGED_PLATFORM = 7  /* cancel needs admin */
} MPSIGUPDATE_TYPE;

/* ---- MP_UPDATE_STAGE (implicit values of an unofficial header) ----------- */
typedef enum tagMP_UPDATE_STAGE {
    MP_STAGE_UNKNOWN = 0,
    MP_SEARCH_UPDATE = 1,
    MP_DOWNLOAD_UPDATE = 2,
    MP_INSTALL_UPDATE = 3
} MP_UPDATE_STAGE;

/* ---- Structures ----------------------------------------------------------- */

/* x64: offsets 0,4,8,12,16,24; size 32 (x86: Path at 20, size 24). The real
 * DLL puts the server URL in Path (a WSUS URL, or Microsoft Update's). */
typedef struct tagMPSIGUPDATE_DATA {
    uint32_t dwPercentComplete;     /* estimate across all updates */
    uint32_t dwTotalUpdates;
    uint32_t dwCurrentUpdateIndex;  /* zero-based */
    int32_t eType;                  /* MPSIGUPDATE_TYPE */
    int32_t Stage;                  /* MP_UPDATE_STAGE */
    MPWCHAR *Path;                  /* LPWSTR, NUL-terminated UTF-16; may be NULL */
} MPSIGUPDATE_DATA, *PMPSIGUPDATE_DATA;

/* x64: offsets 0,4,8,16,24; size 32 (x86: Data at 20, size 24).
 * Data is the documented union of pointers (pStatusData, ..., pSigUpdateData,
 * ...); every member is a pointer, so it is declared as one pointer. For
 * Type == MPCALLBACK_SIGUPDATE it points to an MPSIGUPDATE_DATA (or is NULL).
 * The struct and what it points to are valid only during the callback: the
 * real DLL frees the buffer as soon as the callback returns. */
typedef struct tagMPCALLBACK_DATA {
    int32_t Notify;       /* MPNOTIFY */
    int32_t hResult;      /* HRESULT */
    uint64_t TimeStamp;   /* ULARGE_INTEGER; a UTC FILETIME in the real DLL */
    int32_t Type;         /* MPCALLBACK_TYPE */
    void *Data;           /* union of pointers */
} MPCALLBACK_DATA, *PMPCALLBACK_DATA;

/* The callback (unofficial): called as CallbackHandler(Context, &data). The
 * real DLL ignores the return value, and so does the stand-in. */
typedef HRESULT (MPAPI *PMPCALLBACK_FUNC)(uint64_t Context, MPCALLBACK_DATA *pCallbackData);

/* Unofficial (no official definition). x64: offsets 0,8; size 16. The real
 * DLL copies it, so it need not outlive MpUpdateStart; it must not be NULL. */
typedef struct tagMPCALLBACK_INFO {
    void *CallbackHandler;  /* PMPCALLBACK_FUNC */
    uint64_t Context;       /* passed back as the callback's first argument */
} MPCALLBACK_INFO, *PMPCALLBACK_INFO;

/* Version: four WORDs, major = most significant (assumption);
 * UpdateTime: FILETIME (100 ns since 1601-01-01 UTC). Size 16. */
typedef struct tagMPCOMPONENT_VERSION {
    uint64_t Version;
    uint64_t UpdateTime;
} MPCOMPONENT_VERSION, *PMPCOMPONENT_VERSION;

/* Size 192; AVSignature at 80, Reserved at 128. */
typedef struct tagMPVERSION_INFO {
    MPCOMPONENT_VERSION Product;
    MPCOMPONENT_VERSION Service;
    MPCOMPONENT_VERSION FileSystemFilter;
    MPCOMPONENT_VERSION Engine;
    MPCOMPONENT_VERSION ASSignature;
    MPCOMPONENT_VERSION AVSignature;
    MPCOMPONENT_VERSION NISEngine;
    MPCOMPONENT_VERSION NISSignature;
    MPCOMPONENT_VERSION Reserved[4];
} MPVERSION_INFO, *PMPVERSION_INFO;

/* ---- Functions ------------------------------------------------------------ */
MPCLIENT_EXPORT HRESULT MPAPI MpManagerOpen(DWORD dwReserved, MPHANDLE *phMpHandle);
MPCLIENT_EXPORT HRESULT MPAPI MpHandleClose(MPHANDLE hMpHandle);
MPCLIENT_EXPORT HRESULT MPAPI MpUpdateStart(MPHANDLE hMpHandle, DWORD dwUpdateOptions,
                                            MPCALLBACK_INFO *pCallbackInfo, MPHANDLE *phUpdateHandle);
MPCLIENT_EXPORT HRESULT MPAPI MpUpdateControl(MPHANDLE hMpHandle, int32_t UpdateControl); /* manager handle */
MPCLIENT_EXPORT HRESULT MPAPI MpErrorMessageFormat(MPHANDLE hMpHandle, HRESULT hrError, MPWCHAR **ppwszErrorDesc);
MPCLIENT_EXPORT void MPAPI MpFreeMemory(void *pMemory);
MPCLIENT_EXPORT HRESULT MPAPI MpManagerVersionQuery(MPHANDLE hMpHandle, MPVERSION_INFO *pVersionInfo);

/* ---- Test-only exports of the stand-in (not in the real DLL) ------------- */
MPCLIENT_EXPORT int32_t MPAPI StandinOpenHandleCount(void);     /* manager + update handles not closed */
MPCLIENT_EXPORT int32_t MPAPI StandinUnfreedBufferCount(void);  /* MpErrorMessageFormat buffers not freed */
MPCLIENT_EXPORT int32_t MPAPI StandinRunningUpdateCount(void);  /* update loops (threads or inline) not yet ended */
MPCLIENT_EXPORT int32_t MPAPI StandinCallbackCount(void);       /* callbacks delivered since load */
MPCLIENT_EXPORT int32_t MPAPI StandinFailureCount(void);        /* failure HRESULTs raised since load (Windows:
                                                                   each one a C++ exception thrown and caught) */
MPCLIENT_EXPORT int32_t MPAPI StandinLoaderThreadCallCount(void); /* MpClient calls made on the thread that
                                                                   loaded the library (the JS thread) */
MPCLIENT_EXPORT int32_t MPAPI StandinHungCallCount(void);      /* calls blocked by a *-hangs scenario now */
MPCLIENT_EXPORT int32_t MPAPI StandinReleaseHangs(void);       /* lets every hung call go on; returns how many */

#ifdef __cplusplus
}
#endif

#endif /* MPCLIENT_STANDIN_H */
