/*
 * Stand-in MpClient library: a test double of Microsoft Defender's MpClient.dll
 * for the signature-update subset of the API. One source for both builds:
 *   Linux:   libmpclient-standin.so  (pthreads)
 *   Windows: MpClient.dll            (mingw, Win32 threads, plus hresult_throw.cpp)
 * See mpclient.h for the declarations and scripts/build-standin.mjs for the
 * build. Wherever the real DLL's behaviour is known (a real MpClient.dll, x64
 * 4.18.1909.6, was called and disassembled; docs/mpclient.md gives the facts
 * and their sources), the stand-in does the same; conformance.json lists the
 * checks with the answers the real one gave.
 *
 * Like the real one:
 *  - A handle is a heap block {DWORD tag; object}: manager 1, update 4. Each
 *    function compares the tag and answers E_HANDLE for another kind. (A
 *    pointer that is not a live handle of this library is E_HANDLE too and is
 *    never read; the real one would read its tag.)
 *  - MpUpdateStart: E_INVALIDARG when the handle, the callback info or the out
 *    pointer is NULL; then E_HANDLE for anything but a manager handle; then
 *    E_INVALIDARG for two source bits, or 0x200 with one of 0x8/0x10/0x20/0x40
 *    (mpclient.h lists the bits), before anything else happens.
 *  - MpUpdateControl takes the MANAGER handle and aborts the update(s) started
 *    from it. NULL is E_INVALIDARG, any other handle (an update handle too)
 *    E_HANDLE, a control value above 2 E_INVALIDARG.
 *  - MpHandleClose(NULL) is S_FALSE. Closing a running update stops its loop
 *    (no more notifications) and waits for it; closing it from its own callback
 *    would wait for itself (the real one hits DebugBreak): the stand-in aborts
 *    with a message.
 *  - Without PROGRESS (0x2), DOWNLOAD_PROGRESS and INSTALL_PROGRESS are dropped.
 *  - Without ASYNC (0x1) the call returns after the update: HTTP and UNC
 *    updates call back from another thread while the caller waits, the others
 *    call back on the caller's thread inside the call. (The real code shows
 *    this for the service and UNC paths; HTTP is taken to be like UNC, the
 *    other in-process path.)
 *  - eType: HTTP for 0x8, UNC for 0x20, one fixed type per service bit, and
 *    UNMANAGED (MU/WU) with no source bit (MpCmdRun's log says "MU/WU update"
 *    there). Path holds the server URL (the share for UNC).
 *  - An update ends with COMPLETE (0x800D); when it failed, COMPLETE carries
 *    the error, with or without an INTERNAL_FAILURE before it.
 *  - The MPCALLBACK_INFO is copied. The callback data, the MPSIGUPDATE_DATA and
 *    its Path are overwritten with 0xCD as soon as the callback returns.
 *  - Windows build: every failure HRESULT, returned or passed to the callback,
 *    is first thrown as a C++ exception and caught inside the DLL
 *    (hresult_throw.cpp), as the real one does with its CHResultException.
 *    Under Wine, only koffi's .async calls take that in their stride.
 *
 * The stand-in's own choices, where the real behaviour is not known:
 *  - MpUpdateControl(manager, ABORT) is S_FALSE when no update from it is
 *    running; cancelling a type other than HTTP and UNC needs administrator
 *    rights (documented) and is E_ACCESSDENIED unless MPCLIENT_STANDIN_ADMIN=1;
 *    PAUSE and RESUME (1, 2) are E_NOTIMPL.
 *  - An aborted update ends with COMPLETE 0x800704C7 (ERROR_CANCELLED).
 *  - Option bits above 0x200 are E_INVALIDARG; 0x200 itself changes nothing.
 *  - The eType of each service bit (MPCLIENT_STANDIN_SERVICE_TYPES).
 *  - NULL out pointers of MpManagerOpen, MpErrorMessageFormat and
 *    MpManagerVersionQuery are E_POINTER.
 *
 * Behaviour is chosen by environment variables (read on every call that needs
 * them, so a test can change them at run time):
 *
 *   MPCLIENT_STANDIN_SCENARIO  comma-separated scenario list (default "updated").
 *                              The Nth MpUpdateStart that reaches the scenario
 *                              choice uses the Nth entry, the last one repeating;
 *                              the position is kept in the state file.
 *   MPCLIENT_STANDIN_STATE     state file (default <tmpdir>/mpclient-standin-state.txt)
 *   MPCLIENT_STANDIN_STEP_MS   sleep between notifications in ms (default 15; 0 allowed)
 *   MPCLIENT_STANDIN_ADMIN=1   MpUpdateControl may cancel every update type
 *   MPCLIENT_STANDIN_LANG=ru   Russian texts from MpErrorMessageFormat
 *   MPCLIENT_STANDIN_METERED=1 the network-cost pre-check of option 0x4 says
 *                              "skip": MpUpdateStart with 0x4 sends only COMPLETE
 *                              S_FALSE (Data NULL) on the caller's thread and
 *                              returns S_OK with a handle. It comes before the
 *                              scenario choice, so it uses no scenario entry.
 *   MPCLIENT_STANDIN_SERVICE_TYPES
 *                              the eType reported for each service bit and for
 *                              no source bit, e.g. "0x10=managed,0x40=unmanaged,
 *                              default=http". Types: none managed http http-srv
 *                              unc unmanaged managed-platform unmanaged-platform.
 *                              Unset keys keep their default:
 *                                0x10=http-srv 0x40=unmanaged 0x80=managed-platform
 *                                0x100=unmanaged-platform default=unmanaged
 *                              The bit defaults are a guess: HTTP (2) is 0x8 =
 *                              1 << 3 and UNC (4) is 0x20 = 1 << 5, so each source
 *                              bit may be 1 << (eType + 1). Nothing confirms it
 *                              (MANAGED would then be 0x4, which the real code
 *                              uses for the network-cost check).
 *   MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE=1
 *                              NOT like the real one: MpUpdateControl takes the
 *                              update handle, as the docs say, and answers
 *                              E_HANDLE for the manager handle. For showing that
 *                              `doctor` notices such a DLL.
 *
 * Scenarios (MPCLIENT_STANDIN_SCENARIO entries):
 *   updated            search, download 2 updates, install, REQUEST_PROCESSED, COMPLETE S_OK (+1 signature build)
 *   up-to-date         search finds nothing: COMPLETE S_FALSE
 *   shared-root        Defender's SharedSignatureRoot is set: COMPLETE S_FALSE (Data NULL) at once, on the calling
 *                      thread inside MpUpdateStart, which then returns S_OK with a handle; nothing else follows
 *   reboot             as updated, plus REBOOT_REQUIRED after INSTALL_COMPLETE
 *   network-failure    fails at 30% of the download: INTERNAL_FAILURE 0x80072EE7, then COMPLETE 0x80072EE7
 *   install-failure    REQUEST_PROCESSED 0x8050A004 after the install progress, then COMPLETE 0x8050A004
 *   complete-failure   fails at 60% of the download, reported only by COMPLETE 0x80240022 (no INTERNAL_FAILURE)
 *   stalled            nothing after SEARCH_COMPLETE until aborted (COMPLETE 0x800704C7) or closed
 *   storm              10,000 DOWNLOAD_PROGRESS without pause, then success
 *   slow               as updated with 39 progress steps of 100 ms each; abortable
 *   unknown-codes      Notify 0x8042 (Stage 2, 50%), 0x9999 (Data NULL), DOWNLOAD_PROGRESS (Data NULL), then updated
 *   access-denied      MpUpdateStart returns 0x80070005, no handle, no callback
 *   source-unsupported MpUpdateStart returns E_INVALIDARG for a service bit (0x10/0x40/0x80/0x100), as a service
 *                      that does not take that bit might; HTTP, UNC and no source run as updated
 *   manager-open-failure  MpManagerOpen returns 0x800106BA (and consumes the entry)
 * Faults the real DLL is not known to have (its loop always ends with COMPLETE), to test the caller's deadlines:
 *   failure-no-complete   INTERNAL_FAILURE 0x80072EFD during the download, then silence until closed
 *   abort-ignored      nothing after SEARCH_COMPLETE; an abort is accepted (S_OK) but nothing follows until closed
 * A Defender that stops answering, to show the caller never waits forever for a call and never reads past a string.
 * A "hang" blocks the calling thread on an event nobody sets; only the test-only StandinReleaseHangs() (for a test
 * process that must end) lets it go, after which the call goes on as described:
 *   start-hangs        MpUpdateStart never returns (no callback); released, it returns 0x800704C7 without a handle
 *   close-hangs        as updated, but MpHandleClose on its update handle never returns; released, it closes
 *   open-hangs         MpManagerOpen never returns (and consumes the entry); released, it returns 0x800106BA
 *   manager-close-hangs  a manager opened while this is the current entry never returns from MpHandleClose;
 *                      released, it closes. Updates run as updated
 *   version-query-hangs  while this is the current entry, MpManagerVersionQuery never returns; released, it
 *                      answers. MpUpdateStart, once it gets this entry, runs as updated
 *   path-unterminated  as updated, but every MPSIGUPDATE_DATA.Path points to 40,000 non-zero UTF-16 units with no
 *                      NUL, ending right where a page that cannot be read begins (mmap / VirtualAlloc guard page):
 *                      a reader that does not stop at 32,767 units crashes
 * An accepted abort ends any running scenario with COMPLETE 0x800704C7 (except
 * the two faults above). MpHandleClose stops it without a further notification.
 *
 * State file: "key=value" lines, '#' comments. Keys:
 *   ScenarioCounter=<n>
 *   LastUpdateOptions=<n>               dwUpdateOptions of the last MpUpdateStart that
 *                                       got past validation (decimal; for tests)
 *   <Component>.Version=<a.b.c.d>       (a = most significant WORD)
 *   <Component>.UpdateTime=<FILETIME as a decimal integer>
 * with <Component> one of Product Service FileSystemFilter Engine ASSignature
 * AVSignature NISEngine NISSignature. Missing keys take their defaults; a
 * missing or unreadable file is (re)created with defaults. Written atomically.
 */
#ifdef _WIN32
#  ifndef _WIN32_WINNT
#    define _WIN32_WINNT 0x0601
#  endif
#  define WIN32_LEAN_AND_MEAN
#  include <windows.h>
#else
#  define _GNU_SOURCE
#  include <errno.h>
#  include <pthread.h>
#  include <sys/mman.h>
#  include <time.h>
#  include <unistd.h>
#endif

#define MPCLIENT_STANDIN_BUILD
#include "mpclient.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEADLOCK_TIMEOUT_MS 15000
#define CLOSE_DEADLOCK_MESSAGE \
    "standin: MpHandleClose deadlock: an update handle was closed while its notifier thread waits on a callback\n"
#define SYNC_DEADLOCK_MESSAGE                                                                                  \
    "standin: MpUpdateStart deadlock: a synchronous MpUpdateStart waits for its notifier thread, which has waited " \
    "on a callback for 15 s (a callback from another thread cannot run while the caller's thread is blocked)\n"

/* ======================================================================== */
/* Platform layer                                                           */
/* ======================================================================== */

#ifdef _WIN32
static SRWLOCK g_lock = SRWLOCK_INIT;
static void lock(void) { AcquireSRWLockExclusive(&g_lock); }
static void unlock(void) { ReleaseSRWLockExclusive(&g_lock); }
static void sleep_ms(unsigned ms) { Sleep(ms); }
static uint64_t mono_ms(void) { return (uint64_t)GetTickCount64(); }
static uint64_t filetime_now(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}
/* Not getenv: the CRT keeps its own copy of the environment, taken at start-up,
 * and does not see variables Node sets at run time. */
static int env_get(const char *name, char *buf, size_t size)
{
    DWORD n = GetEnvironmentVariableA(name, buf, (DWORD)size);
    if (n == 0 || n >= size) {
        if (size) buf[0] = 0;
        return 0;
    }
    return 1;
}
static unsigned long process_id(void) { return (unsigned long)GetCurrentProcessId(); }
static unsigned long thread_id(void) { return (unsigned long)GetCurrentThreadId(); }
static int replace_file(const char *from, const char *to)
{
    return MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) ? 0 : -1;
}
static void default_tmpdir(char *buf, size_t size)
{
    DWORD n = GetTempPathA((DWORD)size, buf);
    if (n == 0 || n >= size) snprintf(buf, size, "C:\\Windows\\Temp\\");
}
static SRWLOCK g_hang_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE g_hang_cv = CONDITION_VARIABLE_INIT;
static void hang_lock(void) { AcquireSRWLockExclusive(&g_hang_lock); }
static void hang_unlock(void) { ReleaseSRWLockExclusive(&g_hang_lock); }
static void hang_wait(void) { SleepConditionVariableSRW(&g_hang_cv, &g_hang_lock, INFINITE, 0); }
static void hang_wake(void) { WakeAllConditionVariable(&g_hang_cv); }
static size_t page_size(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize;
}
/* `size` bytes of read-write memory whose last page cannot be touched. */
static void *guarded_alloc(size_t size, size_t page)
{
    DWORD old;
    void *base = VirtualAlloc(NULL, size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (base && !VirtualProtect((char *)base + size - page, page, PAGE_NOACCESS, &old)) {
        VirtualFree(base, 0, MEM_RELEASE);
        return NULL;
    }
    return base;
}
static void guarded_free(void *base, size_t size)
{
    (void)size;
    VirtualFree(base, 0, MEM_RELEASE);
}
#else
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_thread_done_cv = PTHREAD_COND_INITIALIZER; /* signalled when a notifier thread ends */
static void lock(void) { pthread_mutex_lock(&g_lock); }
static void unlock(void) { pthread_mutex_unlock(&g_lock); }
static void sleep_ms(unsigned ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
static uint64_t filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100u;
}
static int env_get(const char *name, char *buf, size_t size)
{
    const char *v = getenv(name);
    if (!v || strlen(v) >= size) {
        if (size) buf[0] = 0;
        return 0;
    }
    memcpy(buf, v, strlen(v) + 1);
    return 1;
}
static unsigned long process_id(void) { return (unsigned long)getpid(); }
static unsigned long thread_id(void) { return (unsigned long)(uintptr_t)pthread_self(); }
static int replace_file(const char *from, const char *to) { return rename(from, to); }
static void default_tmpdir(char *buf, size_t size)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, size, "%s/", t && *t && strlen(t) < size - 2 ? t : "/tmp");
}
static pthread_mutex_t g_hang_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_hang_cv = PTHREAD_COND_INITIALIZER;
static void hang_lock(void) { pthread_mutex_lock(&g_hang_lock); }
static void hang_unlock(void) { pthread_mutex_unlock(&g_hang_lock); }
static void hang_wait(void) { pthread_cond_wait(&g_hang_cv, &g_hang_lock); }
static void hang_wake(void) { pthread_cond_broadcast(&g_hang_cv); }
static size_t page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (size_t)n : 4096u;
}
/* `size` bytes of read-write memory whose last page cannot be touched. */
static void *guarded_alloc(size_t size, size_t page)
{
    void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return NULL;
    if (mprotect((char *)base + size - page, page, PROT_NONE) != 0) {
        munmap(base, size);
        return NULL;
    }
    return base;
}
static void guarded_free(void *base, size_t size) { munmap(base, size); }
#endif

static void die(const char *msg)
{
    fputs(msg, stderr);
    fflush(stderr);
    abort();
}

/* Writes that the compiler may not drop (memset before free or on a dead
 * stack object can be optimised away). */
static void poison(void *p, size_t n)
{
    volatile unsigned char *q = (volatile unsigned char *)p;
    while (n--) *q++ = 0xCD;
}

static unsigned env_uint(const char *name, unsigned dflt)
{
    char buf[64];
    char *end;
    unsigned long v;
    if (!env_get(name, buf, sizeof buf) || !buf[0]) return dflt;
    v = strtoul(buf, &end, 10);
    if (*end || v > 600000ul) return dflt;
    return (unsigned)v;
}

static int env_is(const char *name, const char *value)
{
    char buf[64];
    return env_get(name, buf, sizeof buf) && strcmp(buf, value) == 0;
}

/* ======================================================================== */
/* Calls that never return                                                  */
/* ======================================================================== */

/* A hang waits for a release that only StandinReleaseHangs() sends: each one
 * bumps the generation, which frees every call hung before it. */
static uint64_t g_hang_generation;
static atomic_int g_hung_calls;

static void hang_until_released(void)
{
    uint64_t generation;
    hang_lock();
    generation = g_hang_generation;
    atomic_fetch_add(&g_hung_calls, 1);
    while (generation == g_hang_generation) hang_wait();
    atomic_fetch_sub(&g_hung_calls, 1);
    hang_unlock();
}

/* ======================================================================== */
/* Failures                                                                 */
/* ======================================================================== */

#ifdef _WIN32
/* hresult_throw.cpp: throws hr as a C++ exception, catches it and returns it. */
HRESULT standin_fail(HRESULT hr);
int32_t standin_fail_count(void);
#else
/* No C++ here: what the exception reproduces is a hazard of koffi's synchronous
 * calls on Windows (seen under Wine), so only the Windows build throws. */
static atomic_int g_fail_count;
static HRESULT standin_fail(HRESULT hr)
{
    atomic_fetch_add(&g_fail_count, 1);
    return hr;
}
static int32_t standin_fail_count(void) { return atomic_load(&g_fail_count); }
#endif

/* ======================================================================== */
/* Global state (all under g_lock)                                          */
/* ======================================================================== */

typedef struct {
    uint64_t serial; /* updates remember it; never 0 */
    int close_hangs; /* opened under "manager-close-hangs" */
} Manager;

typedef struct {
    uint32_t pct, total, idx;
    int32_t stage;
} Sig;

typedef struct {
    uint64_t owner; /* serial of the manager it was started from */
    DWORD options;
    int32_t eType;
    const char *path; /* MPSIGUPDATE_DATA.Path, UTF-8; NULL for none */
    int scenario;
    unsigned step_ms;
    MPCALLBACK_INFO cb; /* copy taken at MpUpdateStart */
    Sig last;           /* data of the last notification, reused by COMPLETE */
    atomic_int abort_requested;
    atomic_int closing;
    int finished; /* COMPLETE decided; under g_lock */
    atomic_llong cb_since; /* mono_ms() when the current callback began, 0 when none */
    int has_thread;
    int thread_done; /* the loop has ended; under g_lock */
    int joined;
#ifdef _WIN32
    HANDLE thread;
    DWORD tid;
#else
    pthread_t thread;
#endif
} Update;

static void **g_handles; /* live MPHANDLE_BLOCKs */
static size_t g_handle_count, g_handle_cap;
static void **g_buffers;
static size_t g_buffer_count, g_buffer_cap;
static int32_t g_running;
static int32_t g_callbacks;
static uint64_t g_manager_serial;

static int ptr_list_add(void ***list, size_t *count, size_t *cap, void *p)
{
    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void **n = (void **)realloc(*list, ncap * sizeof *n);
        if (!n) return 0;
        *list = n;
        *cap = ncap;
    }
    (*list)[(*count)++] = p;
    return 1;
}

static int ptr_list_remove(void ***list, size_t *count, size_t *cap, void *p)
{
    size_t i;
    for (i = 0; i < *count; i++) {
        if ((*list)[i] == p) {
            (*list)[i] = (*list)[--*count];
            if (*count == 0) {
                free(*list);
                *list = NULL;
                *cap = 0;
            }
            return 1;
        }
    }
    return 0;
}

/* The tag of a live handle, 0 when the pointer is not one. The table only
 * keeps the stand-in from reading memory that is not a handle block; the
 * decision is the tag, as in the real DLL. */
static uint32_t handle_tag_locked(const void *h)
{
    size_t i;
    if (!h) return 0;
    for (i = 0; i < g_handle_count; i++)
        if (g_handles[i] == h) return ((const MPHANDLE_BLOCK *)h)->Tag;
    return 0;
}

static MPHANDLE_BLOCK *handle_new_locked(uint32_t tag, void *object)
{
    MPHANDLE_BLOCK *b = (MPHANDLE_BLOCK *)malloc(sizeof *b);
    if (!b) return NULL;
    b->Tag = tag;
    b->Object = object;
    if (!ptr_list_add(&g_handles, &g_handle_count, &g_handle_cap, b)) {
        free(b);
        return NULL;
    }
    return b;
}

/* The serial of the manager behind a handle, 0 when it is not a live manager
 * handle. (Not the Manager itself: another thread may close it at any time.) */
static uint64_t manager_serial(const void *h)
{
    uint64_t serial = 0;
    lock();
    if (handle_tag_locked(h) == MPHANDLE_TAG_MANAGER)
        serial = ((const Manager *)((const MPHANDLE_BLOCK *)h)->Object)->serial;
    unlock();
    return serial;
}

/* ======================================================================== */
/* Scenarios                                                                */
/* ======================================================================== */

enum {
    SC_UPDATED,
    SC_UP_TO_DATE,
    SC_SHARED_ROOT,
    SC_REBOOT,
    SC_NETWORK_FAILURE,
    SC_INSTALL_FAILURE,
    SC_COMPLETE_FAILURE,
    SC_STALLED,
    SC_STORM,
    SC_SLOW,
    SC_UNKNOWN_CODES,
    SC_ACCESS_DENIED,
    SC_SOURCE_UNSUPPORTED,
    SC_MANAGER_OPEN_FAILURE,
    SC_FAILURE_NO_COMPLETE,
    SC_ABORT_IGNORED,
    SC_START_HANGS,
    SC_CLOSE_HANGS,
    SC_OPEN_HANGS,
    SC_VERSION_QUERY_HANGS,
    SC_PATH_UNTERMINATED,
    SC_MANAGER_CLOSE_HANGS,
    SC_COUNT
};

static const char *const SCENARIO_NAMES[SC_COUNT] = {
    "updated", "up-to-date", "shared-root", "reboot", "network-failure", "install-failure", "complete-failure",
    "stalled", "storm", "slow", "unknown-codes", "access-denied", "source-unsupported", "manager-open-failure",
    "failure-no-complete", "abort-ignored", "start-hangs", "close-hangs", "open-hangs", "version-query-hangs",
    "path-unterminated", "manager-close-hangs",
};

/* Entry `index` of the list in MPCLIENT_STANDIN_SCENARIO (last one repeating).
 * An unknown name is a mistake in the test: say so and stop. */
static int scenario_at(uint64_t index)
{
    static char list[4096];
    char *p, *start;
    int chosen = SC_UPDATED, count = 0;
    if (!env_get("MPCLIENT_STANDIN_SCENARIO", list, sizeof list)) return SC_UPDATED;
    p = list;
    for (;;) {
        char *end, *comma = strchr(p, ',');
        int sc;
        if (comma) *comma = 0;
        start = p;
        while (*start == ' ' || *start == '\t') start++;
        end = start + strlen(start);
        while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')) *--end = 0;
        if (*start) {
            for (sc = 0; sc < SC_COUNT; sc++)
                if (strcmp(start, SCENARIO_NAMES[sc]) == 0) break;
            if (sc == SC_COUNT) {
                fprintf(stderr, "standin: unknown scenario '%s' in MPCLIENT_STANDIN_SCENARIO; known:", start);
                for (sc = 0; sc < SC_COUNT; sc++) fprintf(stderr, " %s", SCENARIO_NAMES[sc]);
                die("\n");
            }
            if ((uint64_t)count <= index) chosen = sc;
            count++;
        }
        if (!comma) break;
        p = comma + 1;
    }
    return chosen;
}

/* ======================================================================== */
/* Options: validation, update type, server path                            */
/* ======================================================================== */

/* The real validator's rule, plus the stand-in's refusal of unknown bits. */
static int options_valid(DWORD options)
{
    DWORD source = options & MPUPDATE_OPTION_SOURCE_MASK;
    if (options & ~(DWORD)0x3FFu) return 0;
    if (source & (source - 1)) return 0;
    if ((options & MPUPDATE_OPTION_X200) && (options & MPUPDATE_OPTION_NOT_WITH_X200)) return 0;
    return 1;
}

static const char *const TYPE_NAMES[8] = {
    "none", "managed", "http", "http-srv", "unc", "unmanaged", "managed-platform", "unmanaged-platform",
};

typedef struct {
    const char *key;
    DWORD bit;
    int32_t dflt;
} ServiceType;

/* Defaults: see MPCLIENT_STANDIN_SERVICE_TYPES in the comment at the top. */
static const ServiceType SERVICE_TYPES[5] = {
    {"0x10", MPUPDATE_OPTION_SERVICE_10, MPSIGUPDATE_TYPE_HTTP_SRV},
    {"0x40", MPUPDATE_OPTION_SERVICE_40, MPSIGUPDATE_TYPE_UNMANAGED},
    {"0x80", MPUPDATE_OPTION_SERVICE_80, MPSIGUPDATE_TYPE_MANAGED_PLATFORM},
    {"0x100", MPUPDATE_OPTION_SERVICE_100, MPSIGUPDATE_TYPE_UNMANAGED_PLATFORM},
    {"default", 0, MPSIGUPDATE_TYPE_UNMANAGED},
};

static char *trim(char *s)
{
    char *end;
    while (isspace((unsigned char)*s)) s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1])) *--end = 0;
    return s;
}

static int type_by_name(const char *name)
{
    int t;
    for (t = 0; t < 8; t++)
        if (strcmp(name, TYPE_NAMES[t]) == 0) return t;
    return -1;
}

/* The eType for a service source bit (or 0 = none), from
 * MPCLIENT_STANDIN_SERVICE_TYPES over the defaults. Every entry is checked,
 * so a mistake in a test is loud even when it names another bit. */
static int32_t service_type(DWORD bit)
{
    char list[512];
    char *p;
    int32_t result = MPSIGUPDATE_TYPE_NONE;
    size_t k;
    for (k = 0; k < 5; k++)
        if (SERVICE_TYPES[k].bit == bit) result = SERVICE_TYPES[k].dflt;
    if (!env_get("MPCLIENT_STANDIN_SERVICE_TYPES", list, sizeof list)) return result;
    for (p = list; p && *p;) {
        char *comma = strchr(p, ','), *eq, *key, *value;
        int type;
        if (comma) *comma = 0;
        eq = strchr(p, '=');
        key = trim(p);
        if (*key) {
            if (!eq) die("standin: MPCLIENT_STANDIN_SERVICE_TYPES: an entry without '=' (want e.g. 0x40=unmanaged)\n");
            *eq = 0;
            key = trim(p);
            value = trim(eq + 1);
            for (k = 0; k < 5; k++)
                if (strcmp(key, SERVICE_TYPES[k].key) == 0) break;
            type = type_by_name(value);
            if (k == 5 || type < 0) {
                fprintf(stderr,
                        "standin: MPCLIENT_STANDIN_SERVICE_TYPES: '%s=%s': keys are 0x10 0x40 0x80 0x100 default; types "
                        "are",
                        key, value);
                for (type = 0; type < 8; type++) fprintf(stderr, " %s", TYPE_NAMES[type]);
                die("\n");
            }
            if (SERVICE_TYPES[k].bit == bit) result = type;
        }
        p = comma ? comma + 1 : NULL;
    }
    return result;
}

static int32_t etype_for_options(DWORD options)
{
    DWORD source = options & MPUPDATE_OPTION_SOURCE_MASK;
    if (source == MPUPDATE_OPTION_HTTP) return MPSIGUPDATE_TYPE_HTTP;
    if (source == MPUPDATE_OPTION_UNC) return MPSIGUPDATE_TYPE_UNC;
    return service_type(source);
}

/* The real DLL puts the server URL in Path; these are examples of each kind
 * (Microsoft Update's is the one MpCmdRun's log shows; 121721 is Microsoft's
 * link to the full package). */
static const char *path_for_type(int32_t eType)
{
    switch (eType) {
    case MPSIGUPDATE_TYPE_HTTP:
    case MPSIGUPDATE_TYPE_HTTP_SRV: return "https://go.microsoft.com/fwlink/?LinkID=121721&arch=x64";
    case MPSIGUPDATE_TYPE_UNC: return "\\\\fileserver.contoso.test\\DefenderUpdates";
    case MPSIGUPDATE_TYPE_MANAGED:
    case MPSIGUPDATE_TYPE_MANAGED_PLATFORM: return "http://wsus.contoso.test:8530";
    case MPSIGUPDATE_TYPE_UNMANAGED:
    case MPSIGUPDATE_TYPE_UNMANAGED_PLATFORM: return "https://fe2cr.update.microsoft.com/v6/";
    default: return NULL;
    }
}

/* ======================================================================== */
/* State file                                                               */
/* ======================================================================== */

#define COMPONENTS 8
static const char *const COMPONENT_NAMES[COMPONENTS] = {
    "Product", "Service", "FileSystemFilter", "Engine", "ASSignature", "AVSignature", "NISEngine", "NISSignature",
};
enum { C_PRODUCT, C_SERVICE, C_FSFILTER, C_ENGINE, C_AS_SIG, C_AV_SIG, C_NIS_ENGINE, C_NIS_SIG };

typedef struct {
    uint64_t counter;
    uint64_t last_options; /* dwUpdateOptions of the last MpUpdateStart that chose a scenario (for tests) */
    MPCOMPONENT_VERSION comp[COMPONENTS];
} State;

#define FILETIME_DAY (864000000000ull)

static uint64_t make_version(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return ((uint64_t)(a & 0xFFFF) << 48) | ((uint64_t)(b & 0xFFFF) << 32) | ((uint64_t)(c & 0xFFFF) << 16) |
           (uint64_t)(d & 0xFFFF);
}

/* The security intelligence release the defaults hold; an update goes one build past it at least. */
#define SIGNATURE_RELEASE make_version(1, 421, 1700, 0)

static void state_defaults(State *s)
{
    uint64_t now = filetime_now();
    uint64_t sig_time = now - 3 * FILETIME_DAY, platform_time = now - 10 * FILETIME_DAY;
    memset(s, 0, sizeof *s);
    s->comp[C_PRODUCT].Version = make_version(4, 18, 25010, 11);
    s->comp[C_SERVICE].Version = make_version(4, 18, 25010, 11);
    s->comp[C_FSFILTER].Version = make_version(4, 18, 25010, 11);
    s->comp[C_ENGINE].Version = make_version(1, 1, 25010, 7);
    s->comp[C_AS_SIG].Version = SIGNATURE_RELEASE;
    s->comp[C_AV_SIG].Version = SIGNATURE_RELEASE;
    s->comp[C_NIS_ENGINE].Version = make_version(1, 1, 25010, 7);
    s->comp[C_NIS_SIG].Version = make_version(1, 421, 1700, 0);
    s->comp[C_PRODUCT].UpdateTime = platform_time;
    s->comp[C_SERVICE].UpdateTime = platform_time;
    s->comp[C_FSFILTER].UpdateTime = platform_time;
    s->comp[C_ENGINE].UpdateTime = platform_time;
    s->comp[C_AS_SIG].UpdateTime = sig_time;
    s->comp[C_AV_SIG].UpdateTime = sig_time;
    s->comp[C_NIS_ENGINE].UpdateTime = platform_time;
    s->comp[C_NIS_SIG].UpdateTime = sig_time;
}

static void state_path(char *buf, size_t size)
{
    if (env_get("MPCLIENT_STANDIN_STATE", buf, size) && buf[0]) return;
    default_tmpdir(buf, size);
    if (strlen(buf) + 32 < size) strcat(buf, "mpclient-standin-state.txt");
}

static int parse_version(const char *v, uint64_t *out)
{
    unsigned long part[4];
    int i;
    char *end;
    for (i = 0; i < 4; i++) {
        if (*v < '0' || *v > '9') return 0;
        part[i] = strtoul(v, &end, 10);
        if (part[i] > 0xFFFF) return 0;
        if (i < 3) {
            if (*end != '.') return 0;
            v = end + 1;
        } else if (*end) {
            return 0;
        }
    }
    *out = make_version((unsigned)part[0], (unsigned)part[1], (unsigned)part[2], (unsigned)part[3]);
    return 1;
}

static int parse_u64(const char *v, uint64_t *out)
{
    char *end;
    unsigned long long x;
    if (*v < '0' || *v > '9') return 0;
    x = strtoull(v, &end, 10);
    if (*end) return 0;
    *out = (uint64_t)x;
    return 1;
}

static void state_save(const State *s)
{
    char path[1024], tmp[1100];
    FILE *f;
    int i, ok;
    state_path(path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp-%lu-%lu", path, process_id(), thread_id());
    f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "standin: cannot write state file %s\n", tmp);
        return;
    }
    ok = fprintf(f,
                 "# Defender Updater MpClient stand-in state (key=value)\nScenarioCounter=%" PRIu64
                 "\nLastUpdateOptions=%" PRIu64 "\n",
                 s->counter, s->last_options) > 0;
    for (i = 0; i < COMPONENTS; i++) {
        uint64_t v = s->comp[i].Version;
        ok = ok && fprintf(f, "%s.Version=%u.%u.%u.%u\n%s.UpdateTime=%" PRIu64 "\n", COMPONENT_NAMES[i],
                           (unsigned)(v >> 48 & 0xFFFF), (unsigned)(v >> 32 & 0xFFFF), (unsigned)(v >> 16 & 0xFFFF),
                           (unsigned)(v & 0xFFFF), COMPONENT_NAMES[i], s->comp[i].UpdateTime) > 0;
    }
    ok = (fclose(f) == 0) && ok;
    if (!ok || replace_file(tmp, path) != 0) {
        fprintf(stderr, "standin: cannot write state file %s\n", path);
        remove(tmp);
    }
}

/* Caller holds g_lock. */
static void state_load(State *s)
{
    char path[1024], line[512];
    FILE *f;
    int known = 0;
    state_defaults(s);
    state_path(path, sizeof path);
    f = fopen(path, "r");
    if (f) {
        while (fgets(line, sizeof line, f)) {
            char *eq, *key = line, *val;
            size_t n = strlen(line);
            int i;
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
            if (!line[0] || line[0] == '#' || !(eq = strchr(line, '='))) continue;
            *eq = 0;
            val = eq + 1;
            if (strcmp(key, "LastUpdateOptions") == 0) {
                known += parse_u64(val, &s->last_options);
                continue;
            }
            if (strcmp(key, "ScenarioCounter") == 0) {
                known += parse_u64(val, &s->counter);
                continue;
            }
            for (i = 0; i < COMPONENTS; i++) {
                size_t kl = strlen(COMPONENT_NAMES[i]);
                if (strncmp(key, COMPONENT_NAMES[i], kl) != 0 || key[kl] != '.') continue;
                if (strcmp(key + kl + 1, "Version") == 0) known += parse_version(val, &s->comp[i].Version);
                else if (strcmp(key + kl + 1, "UpdateTime") == 0) known += parse_u64(val, &s->comp[i].UpdateTime);
                break;
            }
        }
        fclose(f);
    }
    if (!known) {
        /* Missing or unreadable: start again from the defaults. */
        state_defaults(s);
        state_save(s);
    }
}

/* Caller holds g_lock. */
static void state_bump_signatures(void)
{
    State s;
    uint64_t now = filetime_now();
    int c;
    state_load(&s);
    for (c = C_AS_SIG; c <= C_AV_SIG; c++) {
        /* An update installs Microsoft's newest release: one build past what this PC had, or past the release the
         * defaults stand for when what it had is older (after -RemoveDefinitions -All it has 0.0.0.0). */
        uint64_t v = s.comp[c].Version < SIGNATURE_RELEASE ? SIGNATURE_RELEASE : s.comp[c].Version;
        uint64_t build = ((v >> 16) + 1) & 0xFFFF;
        s.comp[c].Version = (v & ~((uint64_t)0xFFFF << 16)) | (build << 16);
        s.comp[c].UpdateTime = now;
    }
    state_save(&s);
}

/* ======================================================================== */
/* UTF-16 strings                                                           */
/* ======================================================================== */

/* Converts NUL-terminated UTF-8 to a malloc'ed NUL-terminated UTF-16 string. */
static MPWCHAR *utf8_to_utf16(const char *s, size_t *out_units)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, cap = strlen(s) + 1; /* UTF-16 never needs more units than UTF-8 bytes */
    MPWCHAR *w = (MPWCHAR *)malloc(cap * sizeof *w);
    if (!w) return NULL;
    while (*p) {
        uint32_t cp;
        int extra;
        if (*p < 0x80) { cp = *p; extra = 0; }
        else if ((*p & 0xE0) == 0xC0) { cp = *p & 0x1F; extra = 1; }
        else if ((*p & 0xF0) == 0xE0) { cp = *p & 0x0F; extra = 2; }
        else if ((*p & 0xF8) == 0xF0) { cp = *p & 0x07; extra = 3; }
        else { cp = 0xFFFD; extra = 0; }
        p++;
        while (extra-- > 0) {
            if ((*p & 0xC0) != 0x80) { cp = 0xFFFD; break; }
            cp = (cp << 6) | (*p++ & 0x3F);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            w[n++] = (MPWCHAR)(0xD800 + (cp >> 10));
            w[n++] = (MPWCHAR)(0xDC00 + (cp & 0x3FF));
        } else {
            w[n++] = (MPWCHAR)cp;
        }
    }
    w[n] = 0;
    if (out_units) *out_units = n;
    return w;
}

/* path-unterminated: a Path of this many UTF-16 units, none of them NUL, that
 * ends exactly where a page that cannot be read begins. */
#define UNTERMINATED_UNITS 40000u

typedef struct {
    void *base;
    size_t size;
    MPWCHAR *text;
} UnterminatedText;

static int unterminated_text_new(UnterminatedText *t)
{
    size_t page = page_size(), bytes = UNTERMINATED_UNITS * sizeof(MPWCHAR);
    size_t data = (bytes + page - 1) / page * page;
    size_t i;
    t->size = data + page;
    t->base = guarded_alloc(t->size, page);
    if (!t->base) return 0;
    t->text = (MPWCHAR *)((char *)t->base + data - bytes);
    for (i = 0; i < UNTERMINATED_UNITS; i++) t->text[i] = (MPWCHAR)('a' + i % 26);
    return 1;
}

/* ======================================================================== */
/* Notifications                                                            */
/* ======================================================================== */

/* Calls the callback once (unless PROGRESS is off and this is a progress
 * notification, which the real DLL drops). A failure hr goes through
 * standin_fail first, as every failure of the stand-in does. The
 * MPCALLBACK_DATA and MPSIGUPDATE_DATA live on this stack frame and the Path on
 * the heap; all three are overwritten with 0xCD as soon as the callback
 * returns, and the Path is freed, so a binding that keeps a pointer past the
 * callback reads garbage. sig == NULL: Data NULL. */
static void deliver(Update *u, int32_t notify, HRESULT hr, const Sig *sig)
{
    MPCALLBACK_DATA data;
    MPSIGUPDATE_DATA sd;
    MPWCHAR *path = NULL;
    size_t path_units = 0;
    UnterminatedText unterminated = {NULL, 0, NULL};
    PMPCALLBACK_FUNC fn;

    if (!(u->options & MPUPDATE_OPTION_PROGRESS) &&
        (notify == MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS || notify == MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS))
        return;
    if (hr < 0) hr = standin_fail(hr);
    if (!u->cb.CallbackHandler) return;
    memset(&data, 0, sizeof data);
    memset(&sd, 0, sizeof sd);
    if (sig) {
        if (u->scenario == SC_PATH_UNTERMINATED) {
            if (!unterminated_text_new(&unterminated)) die("standin: path-unterminated: no guarded memory\n");
        } else if (u->path) {
            path = utf8_to_utf16(u->path, &path_units);
        }
        sd.dwPercentComplete = sig->pct;
        sd.dwTotalUpdates = sig->total;
        sd.dwCurrentUpdateIndex = sig->idx;
        sd.eType = u->eType;
        sd.Stage = sig->stage;
        sd.Path = unterminated.text ? unterminated.text : path;
        data.Data = &sd;
    }
    data.Notify = notify;
    data.hResult = hr;
    data.TimeStamp = filetime_now();
    data.Type = MPCALLBACK_SIGUPDATE;

    memcpy(&fn, &u->cb.CallbackHandler, sizeof fn);
    atomic_store(&u->cb_since, (long long)(mono_ms() | 1));
    fn(u->cb.Context, &data);
    atomic_store(&u->cb_since, 0);

    poison(&data, sizeof data);
    poison(&sd, sizeof sd);
    if (path) {
        poison(path, (path_units + 1) * sizeof *path);
        free(path);
    }
    if (unterminated.base) {
        poison(unterminated.text, UNTERMINATED_UNITS * sizeof(MPWCHAR));
        guarded_free(unterminated.base, unterminated.size);
    }
    lock();
    g_callbacks++;
    unlock();
}

/* Sends COMPLETE, the end of every update (with the error when it failed). If
 * an abort was accepted before this point the result is "cancelled" whatever
 * the scenario wanted (MpUpdateControl's S_OK promises that). bump: a success
 * raises the signature versions first. */
static void finish(Update *u, HRESULT hr, int bump)
{
    Sig sig = u->last;
    lock();
    if (atomic_load(&u->abort_requested)) hr = MP_E_CANCELLED;
    u->finished = 1;
    if (bump && hr == MP_S_OK) state_bump_signatures();
    unlock();
    if (hr == MP_S_OK) sig.pct = 100;
    deliver(u, MPNOTIFY_SIGUPDATE_COMPLETE, hr, &sig);
}

/* 1 when the loop must stop: closing (silently) or aborted (after sending
 * COMPLETE with 0x800704C7). */
static int must_stop(Update *u)
{
    if (atomic_load(&u->closing)) return 1;
    if (atomic_load(&u->abort_requested)) {
        finish(u, MP_E_CANCELLED, 0);
        return 1;
    }
    return 0;
}

static void sleep_abortable(Update *u, unsigned ms)
{
    uint64_t end = mono_ms() + ms;
    while (!atomic_load(&u->abort_requested) && !atomic_load(&u->closing)) {
        uint64_t now = mono_ms();
        if (now >= end) break;
        sleep_ms(end - now > 10 ? 10 : (unsigned)(end - now));
    }
}

/* One notification, then a pause. Returns 0 when the scenario must stop. */
static int step_ex(Update *u, unsigned pause_ms, int32_t notify, HRESULT hr, int has_data, uint32_t pct,
                   uint32_t total, uint32_t idx, int32_t stage)
{
    Sig sig;
    if (must_stop(u)) return 0;
    sig.pct = pct;
    sig.total = total;
    sig.idx = idx;
    sig.stage = stage;
    if (has_data) u->last = sig;
    deliver(u, notify, hr, has_data ? &sig : NULL);
    if (pause_ms) sleep_abortable(u, pause_ms);
    return 1;
}

#define STEP(notify, hr, pct, total, idx, stage) \
    if (!step_ex(u, u->step_ms, (notify), (hr), 1, (pct), (total), (idx), (stage))) return
#define STEP_PAUSE(pause, notify, hr, pct, total, idx, stage) \
    if (!step_ex(u, (pause), (notify), (hr), 1, (pct), (total), (idx), (stage))) return
#define STEP_NODATA(notify, hr) \
    if (!step_ex(u, u->step_ms, (notify), (hr), 0, 0, 0, 0, 0)) return

/* [START] SEARCH_START SEARCH_COMPLETE(total) */
static int run_search(Update *u, uint32_t total, int with_start)
{
    if (with_start && !step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_START, MP_S_OK, 1, 0, 0, 0, MP_STAGE_UNKNOWN))
        return 0;
    if (!step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_SEARCH_START, MP_S_OK, 1, 0, 0, 0, MP_SEARCH_UPDATE)) return 0;
    return step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE, MP_S_OK, 1, 0, total, 0, MP_SEARCH_UPDATE);
}

/* The download and install of two updates. progress_steps: DOWNLOAD_PROGRESS
 * notifications (INSTALL_PROGRESS gets half as many, at least 5), each
 * followed by progress_pause ms. stop_after_install_progress: return before
 * INSTALL_COMPLETE (install-failure). Returns 0 when the scenario must stop. */
static int run_download_install(Update *u, unsigned progress_steps, unsigned progress_pause,
                                int stop_after_install_progress)
{
    unsigned i, install_steps = progress_steps / 2 < 5 ? 5 : progress_steps / 2;
    if (!step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_DOWNLOAD_START, MP_S_OK, 1, 0, 2, 0, MP_DOWNLOAD_UPDATE)) return 0;
    for (i = 0; i < progress_steps; i++) {
        uint32_t pct = (uint32_t)((i * 100u) / (progress_steps - 1));
        uint32_t idx = i < (progress_steps + 1) / 2 ? 0 : 1;
        if (!step_ex(u, progress_pause, MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS, MP_S_OK, 1, pct, 2, idx,
                     MP_DOWNLOAD_UPDATE))
            return 0;
    }
    if (!step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE, MP_S_OK, 1, 100, 2, 1, MP_DOWNLOAD_UPDATE))
        return 0;
    if (!step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_INSTALL_START, MP_S_OK, 1, 0, 2, 0, MP_INSTALL_UPDATE)) return 0;
    for (i = 0; i < install_steps; i++) {
        uint32_t pct = (uint32_t)((i * 100u) / (install_steps - 1));
        uint32_t idx = i < (install_steps + 1) / 2 ? 0 : 1;
        if (!step_ex(u, progress_pause, MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS, MP_S_OK, 1, pct, 2, idx,
                     MP_INSTALL_UPDATE))
            return 0;
    }
    if (stop_after_install_progress) return 1;
    return step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE, MP_S_OK, 1, 100, 2, 1, MP_INSTALL_UPDATE);
}

static void run_updated(Update *u, int with_start, int reboot, unsigned progress_steps, unsigned progress_pause)
{
    if (!run_search(u, 2, with_start)) return;
    if (!run_download_install(u, progress_steps, progress_pause, 0)) return;
    if (reboot) STEP(MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED, MP_S_OK, 100, 2, 1, MP_INSTALL_UPDATE);
    STEP(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED, MP_S_OK, 100, 2, 1, MP_INSTALL_UPDATE);
    if (must_stop(u)) return;
    finish(u, MP_S_OK, 1);
}

/* The start of a download that will fail: search, DOWNLOAD_START, 30%. */
static int run_to_30_percent(Update *u)
{
    if (!run_search(u, 2, 1)) return 0;
    if (!step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_DOWNLOAD_START, MP_S_OK, 1, 0, 2, 0, MP_DOWNLOAD_UPDATE)) return 0;
    return step_ex(u, u->step_ms, MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS, MP_S_OK, 1, 30, 2, 0, MP_DOWNLOAD_UPDATE);
}

static void run_scenario(Update *u)
{
    switch (u->scenario) {
    case SC_UP_TO_DATE:
        if (!run_search(u, 0, 1)) return;
        if (must_stop(u)) return;
        finish(u, MP_S_FALSE, 0);
        return;
    case SC_REBOOT:
        run_updated(u, 1, 1, 11, u->step_ms);
        return;
    case SC_NETWORK_FAILURE:
        if (!run_to_30_percent(u)) return;
        STEP(MPNOTIFY_INTERNAL_FAILURE, MP_E_NAME_NOT_RESOLVED, 30, 2, 0, MP_DOWNLOAD_UPDATE);
        if (must_stop(u)) return;
        finish(u, MP_E_NAME_NOT_RESOLVED, 0);
        return;
    case SC_INSTALL_FAILURE:
        if (!run_search(u, 2, 1)) return;
        if (!run_download_install(u, 11, u->step_ms, 1)) return;
        STEP(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED, MP_E_BADDB_CONTENT, u->last.pct, 2, 1, MP_INSTALL_UPDATE);
        if (must_stop(u)) return;
        finish(u, MP_E_BADDB_CONTENT, 0);
        return;
    case SC_COMPLETE_FAILURE:
        /* The real loop's last word carries the error; nothing announces it before. */
        if (!run_to_30_percent(u)) return;
        STEP(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS, MP_S_OK, 60, 2, 1, MP_DOWNLOAD_UPDATE);
        if (must_stop(u)) return;
        finish(u, MP_E_ALL_UPDATES_FAILED, 0);
        return;
    case SC_STALLED:
        if (!run_search(u, 2, 1)) return;
        while (!must_stop(u)) sleep_ms(5);
        return;
    case SC_FAILURE_NO_COMPLETE:
        /* A fault: INTERNAL_FAILURE is the last word, no COMPLETE ever follows, even after an abort. */
        if (!run_search(u, 2, 1)) return;
        STEP(MPNOTIFY_SIGUPDATE_DOWNLOAD_START, MP_S_OK, 0, 2, 0, MP_DOWNLOAD_UPDATE);
        STEP(MPNOTIFY_INTERNAL_FAILURE, MP_E_CANNOT_CONNECT, 0, 2, 0, MP_DOWNLOAD_UPDATE);
        while (!atomic_load(&u->closing)) sleep_ms(5);
        return;
    case SC_ABORT_IGNORED:
        /* A fault: accepts MpUpdateControl(ABORT) and then says nothing more until the handle is closed. */
        if (!run_search(u, 2, 1)) return;
        while (!atomic_load(&u->closing)) sleep_ms(5);
        return;
    case SC_STORM: {
        unsigned i;
        STEP(MPNOTIFY_SIGUPDATE_START, MP_S_OK, 0, 0, 0, MP_STAGE_UNKNOWN);
        for (i = 0; i < 10000; i++)
            STEP_PAUSE(0, MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS, MP_S_OK, i * 100u / 10000u, 1, 0, MP_DOWNLOAD_UPDATE);
        STEP(MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE, MP_S_OK, 100, 1, 0, MP_DOWNLOAD_UPDATE);
        STEP(MPNOTIFY_SIGUPDATE_INSTALL_START, MP_S_OK, 0, 1, 0, MP_INSTALL_UPDATE);
        STEP(MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE, MP_S_OK, 100, 1, 0, MP_INSTALL_UPDATE);
        STEP(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED, MP_S_OK, 100, 1, 0, MP_INSTALL_UPDATE);
        if (must_stop(u)) return;
        finish(u, MP_S_OK, 1);
        return;
    }
    case SC_SLOW:
        /* 26 download + 13 install progress steps of 100 ms each (~4 s). */
        run_updated(u, 1, 0, 26, 100);
        return;
    case SC_UNKNOWN_CODES:
        STEP(MPNOTIFY_SIGUPDATE_START, MP_S_OK, 0, 0, 0, MP_STAGE_UNKNOWN);
        STEP(0x8042, MP_S_OK, 50, 2, 0, MP_DOWNLOAD_UPDATE);
        STEP_NODATA(0x9999, MP_S_OK);
        STEP_NODATA(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS, MP_S_OK);
        u->last.pct = 0;
        u->last.stage = MP_STAGE_UNKNOWN;
        run_updated(u, 0, 0, 11, u->step_ms); /* the rest of "updated", after its START */
        return;
    case SC_UPDATED:
    case SC_SOURCE_UNSUPPORTED:
    default:
        run_updated(u, 1, 0, 11, u->step_ms);
        return;
    }
}

/* Runs the loop on the current thread (a notifier thread, or the caller's for
 * a synchronous service update). */
static void run_loop(Update *u)
{
    run_scenario(u);
    lock();
    g_running--;
    u->thread_done = 1;
#ifndef _WIN32
    pthread_cond_broadcast(&g_thread_done_cv);
#endif
    unlock();
}

#ifdef _WIN32
static DWORD WINAPI notifier_thread(LPVOID arg)
{
    run_loop((Update *)arg);
    return 0;
}
static int thread_start(Update *u)
{
    u->thread = CreateThread(NULL, 0, notifier_thread, u, 0, &u->tid);
    return u->thread != NULL;
}
static int on_notifier_thread(const Update *u) { return GetCurrentThreadId() == u->tid; }
/* 1 when the thread has ended (and is cleaned up) within ms. */
static int thread_join_for(Update *u, unsigned ms)
{
    if (WaitForSingleObject(u->thread, ms) != WAIT_OBJECT_0) return 0;
    CloseHandle(u->thread);
    return 1;
}
#else
static void *notifier_thread(void *arg)
{
    run_loop((Update *)arg);
    return NULL;
}
static int thread_start(Update *u) { return pthread_create(&u->thread, NULL, notifier_thread, u) == 0; }
static int on_notifier_thread(const Update *u) { return pthread_equal(pthread_self(), u->thread); }
/* Waits for thread_done (condition variable, so that tools like helgrind see
 * the ordering), then joins, which no longer blocks. */
static int thread_join_for(Update *u, unsigned ms)
{
    struct timespec ts;
    int done;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    lock();
    while (!u->thread_done && pthread_cond_timedwait(&g_thread_done_cv, &g_lock, &ts) == 0) {
    }
    done = u->thread_done;
    unlock();
    if (done) pthread_join(u->thread, NULL);
    return done;
}
#endif

/* ======================================================================== */
/* Exports                                                                  */
/* ======================================================================== */

/* The thread that loaded the library: with koffi that is the JS thread. A binding
 * must never call MpClient there (docs/mpclient.md "C++ exceptions inside the
 * DLL"), so every export counts the calls made on it, for the tests to assert
 * zero on Linux and Windows alike. */
static atomic_int g_loader_thread_calls;
#ifdef _WIN32
static DWORD g_loader_thread;
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH) g_loader_thread = GetCurrentThreadId();
    return TRUE;
}
static int on_loader_thread(void) { return GetCurrentThreadId() == g_loader_thread; }
#else
static pthread_t g_loader_thread;
__attribute__((constructor)) static void remember_loader_thread(void) { g_loader_thread = pthread_self(); }
static int on_loader_thread(void) { return pthread_equal(pthread_self(), g_loader_thread); }
#endif
static void note_call(void)
{
    if (on_loader_thread()) atomic_fetch_add(&g_loader_thread_calls, 1);
}

MPCLIENT_EXPORT HRESULT MPAPI MpManagerOpen(DWORD dwReserved, MPHANDLE *phMpHandle)
{
    note_call();
    Manager *m;
    MPHANDLE_BLOCK *b;
    State s;
    if (dwReserved != 0) return standin_fail(MP_E_INVALIDARG);
    if (!phMpHandle) return standin_fail(MP_E_POINTER);
    *phMpHandle = NULL;

    /* The current scenario entry is peeked; "manager-open-failure" is consumed
     * here (so "manager-open-failure,updated" fails once and then works). */
    lock();
    state_load(&s);
    if (scenario_at(s.counter) == SC_MANAGER_OPEN_FAILURE || scenario_at(s.counter) == SC_OPEN_HANGS) {
        int hangs = scenario_at(s.counter) == SC_OPEN_HANGS;
        s.counter++;
        state_save(&s);
        unlock();
        if (hangs) hang_until_released();
        return standin_fail(MP_E_SERVICE_DISABLED);
    }
    m = (Manager *)malloc(sizeof *m);
    b = m ? handle_new_locked(MPHANDLE_TAG_MANAGER, m) : NULL;
    if (!b) {
        unlock();
        free(m);
        return standin_fail(MP_E_OUTOFMEMORY);
    }
    m->serial = ++g_manager_serial;
    m->close_hangs = scenario_at(s.counter) == SC_MANAGER_CLOSE_HANGS;
    unlock();
    *phMpHandle = b;
    return MP_S_OK;
}

MPCLIENT_EXPORT HRESULT MPAPI MpHandleClose(MPHANDLE hMpHandle)
{
    note_call();
    MPHANDLE_BLOCK *b = (MPHANDLE_BLOCK *)hMpHandle;
    uint32_t tag;
    Update *u = NULL;
    uint64_t start;
    if (!b) return MP_S_FALSE;
    lock();
    tag = handle_tag_locked(b);
    if ((tag == MPHANDLE_TAG_UPDATE && ((const Update *)b->Object)->scenario == SC_CLOSE_HANGS) ||
        (tag == MPHANDLE_TAG_MANAGER && ((const Manager *)b->Object)->close_hangs)) {
        unlock();
        hang_until_released();
        lock();
        tag = handle_tag_locked(b);
    }
    if (tag == 0) {
        unlock();
        return standin_fail(MP_E_HANDLE);
    }
    ptr_list_remove(&g_handles, &g_handle_count, &g_handle_cap, b);
    if (tag == MPHANDLE_TAG_UPDATE) {
        u = (Update *)b->Object;
        atomic_store(&u->closing, 1);
        atomic_store(&u->abort_requested, 1);
    }
    unlock();

    if (u && u->has_thread && !u->joined) {
        if (on_notifier_thread(u)) die(CLOSE_DEADLOCK_MESSAGE); /* would wait for itself */
        start = mono_ms();
        while (!thread_join_for(u, 1000)) {
            if (mono_ms() - start >= DEADLOCK_TIMEOUT_MS) die(CLOSE_DEADLOCK_MESSAGE);
        }
        u->joined = 1;
    }
    /* A manager's updates keep their own state and go on. */
    poison(b->Object, tag == MPHANDLE_TAG_UPDATE ? sizeof(Update) : sizeof(Manager));
    free(b->Object);
    poison(b, sizeof *b);
    free(b);
    return MP_S_OK;
}

/* The shared-root and cost-check shortcuts of the real MpUpdateStart: COMPLETE
 * with S_FALSE and Data NULL, on the caller's thread, before returning S_OK
 * with a handle (an update that has already ended). */
static HRESULT complete_at_once(Update *u, MPHANDLE *phUpdateHandle)
{
    MPHANDLE_BLOCK *b;
    u->finished = 1;
    deliver(u, MPNOTIFY_SIGUPDATE_COMPLETE, MP_S_FALSE, NULL);
    lock();
    b = handle_new_locked(MPHANDLE_TAG_UPDATE, u);
    unlock();
    if (!b) {
        free(u);
        return standin_fail(MP_E_OUTOFMEMORY);
    }
    *phUpdateHandle = b;
    return MP_S_OK;
}

MPCLIENT_EXPORT HRESULT MPAPI MpUpdateStart(MPHANDLE hMpHandle, DWORD dwUpdateOptions, MPCALLBACK_INFO *pCallbackInfo,
                                            MPHANDLE *phUpdateHandle)
{
    note_call();
    DWORD source = dwUpdateOptions & MPUPDATE_OPTION_SOURCE_MASK;
    int in_process = source == MPUPDATE_OPTION_HTTP || source == MPUPDATE_OPTION_UNC;
    uint64_t owner;
    MPHANDLE_BLOCK *b;
    State s;
    int scenario;
    Update *u;

    /* The real one's order: NULL arguments, the handle's tag, the options. */
    if (!hMpHandle || !pCallbackInfo || !phUpdateHandle) return standin_fail(MP_E_INVALIDARG);
    *phUpdateHandle = NULL;
    owner = manager_serial(hMpHandle);
    if (!owner) return standin_fail(MP_E_HANDLE);
    if (!options_valid(dwUpdateOptions)) return standin_fail(MP_E_INVALIDARG);

    u = (Update *)calloc(1, sizeof *u);
    if (!u) return standin_fail(MP_E_OUTOFMEMORY);
    u->owner = owner;
    u->options = dwUpdateOptions;
    u->eType = etype_for_options(dwUpdateOptions);
    u->path = path_for_type(u->eType);
    u->step_ms = env_uint("MPCLIENT_STANDIN_STEP_MS", 15);
    u->cb = *pCallbackInfo;
    atomic_init(&u->abort_requested, 0);
    atomic_init(&u->closing, 0);
    atomic_init(&u->cb_since, 0);

    if ((dwUpdateOptions & MPUPDATE_OPTION_COST_CHECK) && env_is("MPCLIENT_STANDIN_METERED", "1"))
        return complete_at_once(u, phUpdateHandle);

    lock();
    state_load(&s);
    scenario = scenario_at(s.counter);
    s.counter++;
    s.last_options = dwUpdateOptions;
    state_save(&s);
    unlock();

    if (scenario == SC_ACCESS_DENIED || scenario == SC_MANAGER_OPEN_FAILURE ||
        (scenario == SC_SOURCE_UNSUPPORTED && (source & MPUPDATE_OPTION_SERVICE_MASK))) {
        free(u);
        return standin_fail(scenario == SC_ACCESS_DENIED       ? MP_E_ACCESSDENIED
                            : scenario == SC_SOURCE_UNSUPPORTED ? MP_E_INVALIDARG
                                                                : MP_E_SERVICE_DISABLED);
    }
    if (scenario == SC_SHARED_ROOT) return complete_at_once(u, phUpdateHandle);
    if (scenario == SC_START_HANGS) {
        free(u);
        hang_until_released();
        return standin_fail(MP_E_CANCELLED);
    }
    u->scenario = scenario;

    lock();
    b = handle_new_locked(MPHANDLE_TAG_UPDATE, u);
    if (b) g_running++;
    unlock();
    if (!b) {
        free(u);
        return standin_fail(MP_E_OUTOFMEMORY);
    }

    if (!(dwUpdateOptions & MPUPDATE_OPTION_ASYNC) && !in_process) {
        /* The real service path runs its loop on the caller's thread. The
         * update is in the handle table already, so MpUpdateControl on the
         * manager (from another thread) can abort it. */
        run_loop(u);
        *phUpdateHandle = b;
        return MP_S_OK;
    }

    u->has_thread = 1;
    if (!thread_start(u)) {
        lock();
        g_running--;
        ptr_list_remove(&g_handles, &g_handle_count, &g_handle_cap, b);
        unlock();
        free(u);
        free(b);
        return standin_fail(MP_E_FAIL);
    }

    if (!(dwUpdateOptions & MPUPDATE_OPTION_ASYNC)) {
        /* Synchronous HTTP/UNC: another thread calls back while the caller
         * waits. A callback that cannot run because the caller's thread is the
         * one it needs (koffi queues cross-thread callbacks to the JS thread)
         * is a deadlock: make it loud instead of a hang. */
        while (!thread_join_for(u, 1000)) {
            long long since = atomic_load(&u->cb_since);
            if (since && mono_ms() - (uint64_t)since >= DEADLOCK_TIMEOUT_MS) die(SYNC_DEADLOCK_MESSAGE);
        }
        u->joined = 1;
    }
    *phUpdateHandle = b;
    return MP_S_OK;
}

/* Asks the running updates of `owner` (or only `only`) to abort. S_FALSE when
 * none runs; E_ACCESSDENIED, and none is aborted, when one of them is of a
 * type whose cancel needs administrator rights (documented: all but HTTP and
 * UNC) and the caller is not one. Caller holds g_lock. */
static HRESULT abort_locked(uint64_t owner, const Update *only, int admin)
{
    size_t i;
    int pass, running = 0, refused = 0;
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < g_handle_count; i++) {
            const MPHANDLE_BLOCK *b = (const MPHANDLE_BLOCK *)g_handles[i];
            Update *u = (Update *)b->Object;
            if (b->Tag != MPHANDLE_TAG_UPDATE || (only ? u != only : u->owner != owner) || u->finished) continue;
            if (pass == 1) {
                atomic_store(&u->abort_requested, 1);
                continue;
            }
            running++;
            if (!admin && u->eType != MPSIGUPDATE_TYPE_HTTP && u->eType != MPSIGUPDATE_TYPE_UNC) refused = 1;
        }
        if (pass == 0 && (!running || refused)) return refused ? MP_E_ACCESSDENIED : MP_S_FALSE;
    }
    return MP_S_OK;
}

MPCLIENT_EXPORT HRESULT MPAPI MpUpdateControl(MPHANDLE hMpHandle, int32_t UpdateControl)
{
    note_call();
    int admin = env_is("MPCLIENT_STANDIN_ADMIN", "1");
    int by_update = env_is("MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE", "1");
    const MPHANDLE_BLOCK *b = (const MPHANDLE_BLOCK *)hMpHandle;
    HRESULT hr;
    if (!b) return standin_fail(MP_E_INVALIDARG);
    lock();
    if (handle_tag_locked(b) != (by_update ? MPHANDLE_TAG_UPDATE : MPHANDLE_TAG_MANAGER)) {
        unlock();
        return standin_fail(MP_E_HANDLE);
    }
    if ((uint32_t)UpdateControl > MPCONTROL_RESUME)
        hr = MP_E_INVALIDARG;
    else if (UpdateControl != MPCONTROL_ABORT)
        hr = MP_E_NOTIMPL;
    else if (by_update)
        hr = abort_locked(0, (const Update *)b->Object, admin);
    else
        hr = abort_locked(((const Manager *)b->Object)->serial, NULL, admin);
    unlock();
    return hr < 0 ? standin_fail(hr) : hr;
}

typedef struct {
    uint32_t code;
    const char *en;
    const char *ru;
} ErrorText;

static const ErrorText ERROR_TEXTS[] = {
    {0x00000000u, "The operation completed successfully.", "Операция успешно завершена."},
    {0x80072EE7u, "The server name or address could not be resolved.", "Не удается разрешить имя или адрес сервера."},
    {0x80072EFDu, "A connection with the server could not be established.",
     "Не удается установить соединение с сервером."},
    {0x80072EE2u, "The operation timed out.", "Время ожидания операции истекло."},
    {0x8024402Cu, "The proxy server or target server name cannot be resolved.",
     "Не удается разрешить имя прокси-сервера или целевого сервера."},
    {0x80240022u, "The operation failed for all the updates.", "Операция не выполнена ни для одного обновления."},
    {0x80070005u, "Access is denied.", "Отказано в доступе."},
    {0x80070422u,
     "The service cannot be started, either because it is disabled or because it has no enabled devices associated "
     "with it.",
     "Не удается запустить службу, так как она отключена или с ней не связаны включенные устройства."},
    {0x80070652u, "Another installation is already in progress. Complete that installation before proceeding.",
     "Уже выполняется другая установка. Завершите ее, прежде чем продолжить."},
    {0x8050A004u, "The signature database is corrupt.", "База данных сигнатур повреждена."},
    {0x80501004u, "There is no Internet connection.", "Нет подключения к Интернету."},
    {0x800106BAu, "The Microsoft Defender Antivirus service is not running or is turned off.",
     "Служба антивирусной программы Microsoft Defender не запущена или отключена."},
    {0x80070057u, "The parameter is incorrect.", "Параметр задан неверно."},
    {0x80244022u, "The update server is temporarily unavailable (HTTP 503).",
     "Сервер обновлений временно недоступен (HTTP 503)."},
    {0x800704C7u, "The operation was canceled by the user.", "Операция была отменена пользователем."},
    {0x80070006u, "The handle is invalid.", "Неверный дескриптор."},
    {0x80004001u, "Not implemented.", "Не реализовано."},
};

MPCLIENT_EXPORT HRESULT MPAPI MpErrorMessageFormat(MPHANDLE hMpHandle, HRESULT hrError, MPWCHAR **ppwszErrorDesc)
{
    note_call();
    char text[512];
    const char *found = NULL;
    int ru = env_is("MPCLIENT_STANDIN_LANG", "ru");
    size_t i;
    MPWCHAR *w;

    if (!manager_serial(hMpHandle)) return standin_fail(MP_E_HANDLE);
    if (!ppwszErrorDesc) return standin_fail(MP_E_POINTER);
    *ppwszErrorDesc = NULL;
    for (i = 0; i < sizeof ERROR_TEXTS / sizeof ERROR_TEXTS[0]; i++)
        if (ERROR_TEXTS[i].code == (uint32_t)hrError) found = ru ? ERROR_TEXTS[i].ru : ERROR_TEXTS[i].en;
    if (found)
        snprintf(text, sizeof text, "%s", found);
    else
        snprintf(text, sizeof text, ru ? "Неизвестная ошибка 0x%08X" : "Unknown error 0x%08X", (unsigned)hrError);

    w = utf8_to_utf16(text, NULL);
    if (!w) return standin_fail(MP_E_OUTOFMEMORY);
    lock();
    if (!ptr_list_add(&g_buffers, &g_buffer_count, &g_buffer_cap, w)) {
        unlock();
        free(w);
        return standin_fail(MP_E_OUTOFMEMORY);
    }
    unlock();
    *ppwszErrorDesc = w;
    return MP_S_OK;
}

MPCLIENT_EXPORT void MPAPI MpFreeMemory(void *pMemory)
{
    note_call();
    int known;
    if (!pMemory) return;
    lock();
    known = ptr_list_remove(&g_buffers, &g_buffer_count, &g_buffer_cap, pMemory);
    unlock();
    if (!known) {
        fprintf(stderr, "standin: MpFreeMemory: %p was not allocated by this library (or was already freed); ignored\n",
                pMemory);
        return;
    }
    free(pMemory);
}

MPCLIENT_EXPORT HRESULT MPAPI MpManagerVersionQuery(MPHANDLE hMpHandle, MPVERSION_INFO *pVersionInfo)
{
    note_call();
    State s;
    int hangs;
    if (!manager_serial(hMpHandle)) return standin_fail(MP_E_HANDLE);
    if (!pVersionInfo) return standin_fail(MP_E_POINTER);
    lock();
    state_load(&s);
    hangs = scenario_at(s.counter) == SC_VERSION_QUERY_HANGS;
    unlock();
    if (hangs) {
        hang_until_released();
        lock();
        state_load(&s);
        unlock();
    }
    memset(pVersionInfo, 0, sizeof *pVersionInfo);
    pVersionInfo->Product = s.comp[C_PRODUCT];
    pVersionInfo->Service = s.comp[C_SERVICE];
    pVersionInfo->FileSystemFilter = s.comp[C_FSFILTER];
    pVersionInfo->Engine = s.comp[C_ENGINE];
    pVersionInfo->ASSignature = s.comp[C_AS_SIG];
    pVersionInfo->AVSignature = s.comp[C_AV_SIG];
    pVersionInfo->NISEngine = s.comp[C_NIS_ENGINE];
    pVersionInfo->NISSignature = s.comp[C_NIS_SIG];
    return MP_S_OK;
}

MPCLIENT_EXPORT int32_t MPAPI StandinOpenHandleCount(void)
{
    int32_t n;
    lock();
    n = (int32_t)g_handle_count;
    unlock();
    return n;
}

MPCLIENT_EXPORT int32_t MPAPI StandinUnfreedBufferCount(void)
{
    int32_t n;
    lock();
    n = (int32_t)g_buffer_count;
    unlock();
    return n;
}

MPCLIENT_EXPORT int32_t MPAPI StandinRunningUpdateCount(void)
{
    int32_t n;
    lock();
    n = g_running;
    unlock();
    return n;
}

MPCLIENT_EXPORT int32_t MPAPI StandinCallbackCount(void)
{
    int32_t n;
    lock();
    n = g_callbacks;
    unlock();
    return n;
}

MPCLIENT_EXPORT int32_t MPAPI StandinFailureCount(void) { return standin_fail_count(); }

MPCLIENT_EXPORT int32_t MPAPI StandinLoaderThreadCallCount(void) { return atomic_load(&g_loader_thread_calls); }

MPCLIENT_EXPORT int32_t MPAPI StandinHungCallCount(void) { return atomic_load(&g_hung_calls); }

MPCLIENT_EXPORT int32_t MPAPI StandinReleaseHangs(void)
{
    int32_t n;
    hang_lock();
    n = atomic_load(&g_hung_calls);
    g_hang_generation++;
    hang_wake();
    hang_unlock();
    return n;
}
