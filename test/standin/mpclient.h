/*
 * mpclient.h: the subset of Microsoft's MpClient.h (Defender client API) that
 * Defender Updater uses, for the stand-in MpClient library in this folder.
 *
 * This header is the "truth" the koffi declarations in the TypeScript binding
 * must match: test/standin/layout-probe.c prints sizeof/_Alignof/offsetof of
 * every struct below, and the layout test compares them (field names included)
 * with the koffi types.
 *
 * Sources: /work/shared/reference/mpclient-api.md (section numbers below refer
 * to it). Official docs give names and meanings; most numeric values come from
 * unofficial reconstructions and are marked as such.
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
typedef void *MPHANDLE;    /* opaque, pointer-sized (§1) */

/* ---- HRESULTs used by the stand-in (§8) ---------------------------------- */
#define MP_S_OK                  ((HRESULT)0x00000000)
#define MP_S_FALSE               ((HRESULT)0x00000001)
#define MP_E_POINTER             ((HRESULT)0x80004003)
#define MP_E_FAIL                ((HRESULT)0x80004005)
#define MP_E_ACCESSDENIED        ((HRESULT)0x80070005)
#define MP_E_HANDLE              ((HRESULT)0x80070006) /* E_WIN_INVALID_HANDLE */
#define MP_E_INVALIDARG          ((HRESULT)0x80070057)
#define MP_E_CANCELLED           ((HRESULT)0x800704C7) /* HRESULT_FROM_WIN32(ERROR_CANCELLED) */
#define MP_E_SERVICE_DISABLED    ((HRESULT)0x800106BA) /* Defender service disabled/not running */
#define MP_E_NAME_NOT_RESOLVED   ((HRESULT)0x80072EE7) /* WININET_E_NAME_NOT_RESOLVED */
#define MP_E_CANNOT_CONNECT      ((HRESULT)0x80072EFD) /* WININET_E_CANNOT_CONNECT */
#define MP_E_BADDB_CONTENT       ((HRESULT)0x8050A004) /* ERROR_MP_BADDB_CONTENT */

/* ---- MPUPDATE_OPTION_* (§2.1, §2.2) -------------------------------------
 * BEST GUESS of this project: the real numeric values are not public (no
 * official or unofficial header defines them). ASYNC/PROGRESS are 0x1/0x2 by
 * assumption; the source values are the mutually exclusive group (mask 0x1D0)
 * tested in the decompiled MpUpdateStartEx (§1.4), assigned to names in
 * documentation order. The stand-in rejects more than one bit of 0x1D0, or any
 * bit outside 0x1D3, with E_INVALIDARG. */
#define MPUPDATE_OPTION_NONE        0x000u
#define MPUPDATE_OPTION_ASYNC       0x001u
#define MPUPDATE_OPTION_PROGRESS    0x002u
#define MPUPDATE_OPTION_HTTP        0x010u
#define MPUPDATE_OPTION_UNC         0x040u
#define MPUPDATE_OPTION_MANAGED     0x080u
#define MPUPDATE_OPTION_UNMANAGED   0x100u
#define MPUPDATE_OPTION_SOURCE_MASK 0x1D0u /* at most one of these bits */
#define MPUPDATE_OPTION_VALID_MASK  0x1D3u /* any other bit: E_INVALIDARG */

/* ---- MPCONTROL (§1.5, unofficial values) --------------------------------- */
typedef enum tagMPCONTROL {
    MPCONTROL_ABORT = 0,
    MPCONTROL_PAUSE = 1,
    MPCONTROL_RESUME = 2
} MPCONTROL;

/* ---- MPCALLBACK_TYPE (§4, official values) ------------------------------- */
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

/* ---- MPNOTIFY (§6.3, grouped numbering "(C)": group N -> 0xN000 + index;
 * only 0x1002 and 0x800D were seen in binary code; unofficial) ------------- */
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

/* ---- MPSIGUPDATE_TYPE (§2.3; implicit values of the unofficial header) --- */
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

/* ---- MP_UPDATE_STAGE (§2.4; implicit values of the unofficial header) ---- */
typedef enum tagMP_UPDATE_STAGE {
    MP_STAGE_UNKNOWN = 0,
    MP_SEARCH_UPDATE = 1,
    MP_DOWNLOAD_UPDATE = 2,
    MP_INSTALL_UPDATE = 3
} MP_UPDATE_STAGE;

/* ---- Structures ----------------------------------------------------------- */

/* §5. x64: offsets 0,4,8,12,16,24; size 32 (x86: Path at 20, size 24). */
typedef struct tagMPSIGUPDATE_DATA {
    uint32_t dwPercentComplete;     /* estimate across all updates */
    uint32_t dwTotalUpdates;
    uint32_t dwCurrentUpdateIndex;  /* zero-based */
    int32_t eType;                  /* MPSIGUPDATE_TYPE */
    int32_t Stage;                  /* MP_UPDATE_STAGE */
    MPWCHAR *Path;                  /* LPWSTR, NUL-terminated UTF-16; may be NULL */
} MPSIGUPDATE_DATA, *PMPSIGUPDATE_DATA;

/* §4. x64: offsets 0,4,8,16,24; size 32 (x86: Data at 20, size 24).
 * Data is the documented union of pointers (pStatusData, ..., pSigUpdateData,
 * ...); every member is a pointer, so it is declared as one pointer. For
 * Type == MPCALLBACK_SIGUPDATE it points to an MPSIGUPDATE_DATA (or is NULL).
 * The struct and what it points to are valid only during the callback. */
typedef struct tagMPCALLBACK_DATA {
    int32_t Notify;       /* MPNOTIFY */
    int32_t hResult;      /* HRESULT */
    uint64_t TimeStamp;   /* ULARGE_INTEGER; FILETIME in the stand-in */
    int32_t Type;         /* MPCALLBACK_TYPE */
    void *Data;           /* union of pointers */
} MPCALLBACK_DATA, *PMPCALLBACK_DATA;

/* The callback (§3, unofficial): called as CallbackHandler(Context, &data).
 * The stand-in ignores the return value. */
typedef HRESULT (MPAPI *PMPCALLBACK_FUNC)(uint64_t Context, MPCALLBACK_DATA *pCallbackData);

/* §3.2 (unofficial; no official definition). x64: offsets 0,8; size 16. */
typedef struct tagMPCALLBACK_INFO {
    void *CallbackHandler;  /* PMPCALLBACK_FUNC */
    uint64_t Context;       /* passed back as the callback's first argument */
} MPCALLBACK_INFO, *PMPCALLBACK_INFO;

/* §1.8. Version: four WORDs, major = most significant (assumption);
 * UpdateTime: FILETIME (100 ns since 1601-01-01 UTC). Size 16. */
typedef struct tagMPCOMPONENT_VERSION {
    uint64_t Version;
    uint64_t UpdateTime;
} MPCOMPONENT_VERSION, *PMPCOMPONENT_VERSION;

/* §1.8. Size 192; AVSignature at 80, Reserved at 128. */
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

/* ---- Functions (§1) ------------------------------------------------------- */
MPCLIENT_EXPORT HRESULT MPAPI MpManagerOpen(DWORD dwReserved, MPHANDLE *phMpHandle);
MPCLIENT_EXPORT HRESULT MPAPI MpHandleClose(MPHANDLE hMpHandle);
MPCLIENT_EXPORT HRESULT MPAPI MpUpdateStart(MPHANDLE hMpHandle, DWORD dwUpdateOptions,
                                            MPCALLBACK_INFO *pCallbackInfo, MPHANDLE *phUpdateHandle);
MPCLIENT_EXPORT HRESULT MPAPI MpUpdateControl(MPHANDLE hUpdateHandle, int32_t UpdateControl);
MPCLIENT_EXPORT HRESULT MPAPI MpErrorMessageFormat(MPHANDLE hMpHandle, HRESULT hrError, MPWCHAR **ppwszErrorDesc);
MPCLIENT_EXPORT void MPAPI MpFreeMemory(void *pMemory);
MPCLIENT_EXPORT HRESULT MPAPI MpManagerVersionQuery(MPHANDLE hMpHandle, MPVERSION_INFO *pVersionInfo);

/* ---- Test-only exports of the stand-in (not in the real DLL) ------------- */
MPCLIENT_EXPORT int32_t MPAPI StandinOpenHandleCount(void);     /* manager + update handles not closed */
MPCLIENT_EXPORT int32_t MPAPI StandinUnfreedBufferCount(void);  /* MpErrorMessageFormat buffers not freed */
MPCLIENT_EXPORT int32_t MPAPI StandinRunningUpdateCount(void);  /* notifier threads not yet finished */
MPCLIENT_EXPORT int32_t MPAPI StandinCallbackCount(void);       /* callbacks delivered since load */

#ifdef __cplusplus
}
#endif

#endif /* MPCLIENT_STANDIN_H */
