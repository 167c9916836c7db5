/*
 * selftest: drives the stand-in MpClient library from C, scenario by scenario,
 * and checks notifications, return codes, the state file and the counters,
 * then runs every row of conformance.json (what the real MpClient.dll answered)
 * against it. Built by `node scripts/build-standin.mjs --selftest` (Linux:
 * selftest, Windows: selftest.exe next to MpClient.dll), which also turns
 * conformance.json into conformance_rows.h.
 *
 * Usage: selftest [-q] [test ...]    (default: every test; -q: no per-callback lines)
 *        selftest deadlock-check     (must die with the MpHandleClose deadlock message)
 * Tests: api handles conformance conformance-variant failures updated up-to-date
 *        shared-root cost-check reboot network-failure install-failure
 *        complete-failure stalled storm slow slow-complete unknown-codes progress
 *        access-denied source-unsupported manager-open-failure sequence sync
 *        sync-abort close-running close-manager control-many control-variant
 *        admin etype messages free versions corrupt-state loop1000
 * Uses its own state file in the temp directory and MPCLIENT_STANDIN_STEP_MS=1
 * unless a test sets something else.
 */
#ifdef _WIN32
#  include <windows.h>
#else
#  define _GNU_SOURCE
#  include <pthread.h>
#  include <time.h>
#  include <unistd.h>
#endif

#include "mpclient.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTX_MAGIC 0x1122334455667788ull
#define MAX_RECS 20100
#define ASYNC_PROGRESS (MPUPDATE_OPTION_ASYNC | MPUPDATE_OPTION_PROGRESS)

typedef struct {
    int32_t notify, hr, type;
    int has_data;
    uint32_t pct, total, idx;
    int32_t etype, stage;
    char path[200];
    unsigned long tid;
} Rec;

static Rec g_rec[MAX_RECS];
static atomic_int g_n;
static atomic_int g_done;
static atomic_int g_bad; /* problems seen inside callbacks */
static int g_quiet;
static int g_failures;
static char g_state_path[1024];

/* ---- platform ----------------------------------------------------------- */
typedef struct {
    void (*fn)(void *);
    void *arg;
#ifdef _WIN32
    HANDLE h;
#else
    pthread_t t;
#endif
} Thread;

#ifdef _WIN32
static void set_env(const char *k, const char *v) { SetEnvironmentVariableA(k, v); }
static void unset_env(const char *k) { SetEnvironmentVariableA(k, NULL); }
static void sleep_ms(unsigned ms) { Sleep(ms); }
static unsigned long tid_now(void) { return (unsigned long)GetCurrentThreadId(); }
static uint64_t ms_now(void) { return (uint64_t)GetTickCount64(); }
static uint64_t filetime_now(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}
static void temp_dir(char *buf, size_t n) { GetTempPathA((DWORD)n, buf); }
static DWORD WINAPI thread_tramp(LPVOID p)
{
    Thread *t = (Thread *)p;
    t->fn(t->arg);
    return 0;
}
static int thread_spawn(Thread *t) { return (t->h = CreateThread(NULL, 0, thread_tramp, t, 0, NULL)) != NULL; }
static void thread_wait(Thread *t)
{
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
}
#else
static void set_env(const char *k, const char *v) { setenv(k, v, 1); }
static void unset_env(const char *k) { unsetenv(k); }
static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
static unsigned long tid_now(void) { return (unsigned long)pthread_self(); }
static uint64_t ms_now(void)
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
static void temp_dir(char *buf, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, n, "%s/", t && *t ? t : "/tmp");
}
static void *thread_tramp(void *p)
{
    Thread *t = (Thread *)p;
    t->fn(t->arg);
    return NULL;
}
static int thread_spawn(Thread *t) { return pthread_create(&t->t, NULL, thread_tramp, t) == 0; }
static void thread_wait(Thread *t) { pthread_join(t->t, NULL); }
#endif

/* ---- helpers ------------------------------------------------------------ */
#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            g_failures++;                                                  \
            printf("  FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);       \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
        }                                                                  \
    } while (0)
#define CHECK_HR(got, want) \
    CHECK((uint32_t)(got) == (uint32_t)(want), "got 0x%08X, want 0x%08X", (unsigned)(got), (unsigned)(want))
/* A failure the stand-in returns goes through its exception helper exactly
 * once (on Windows: one C++ exception thrown and caught inside the DLL). */
#define CHECK_FAIL(call, want)                                                                               \
    do {                                                                                                     \
        int32_t f0_ = StandinFailureCount();                                                                 \
        HRESULT got_ = (call);                                                                               \
        CHECK_HR(got_, want);                                                                                \
        CHECK(StandinFailureCount() == f0_ + 1, "%d failures raised for %s", (int)(StandinFailureCount() - f0_), \
              #call);                                                                                        \
    } while (0)

static const char *notify_name(int32_t n)
{
    switch (n) {
    case MPNOTIFY_INTERNAL_FAILURE: return "INTERNAL_FAILURE";
    case MPNOTIFY_SIGUPDATE_START: return "START";
    case MPNOTIFY_SIGUPDATE_SEARCH_START: return "SEARCH_START";
    case MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE: return "SEARCH_COMPLETE";
    case MPNOTIFY_SIGUPDATE_DOWNLOAD_START: return "DOWNLOAD_START";
    case MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS: return "DOWNLOAD_PROGRESS";
    case MPNOTIFY_SIGUPDATE_DOWNLOAD_COMPLETE: return "DOWNLOAD_COMPLETE";
    case MPNOTIFY_SIGUPDATE_INSTALL_START: return "INSTALL_START";
    case MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS: return "INSTALL_PROGRESS";
    case MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE: return "INSTALL_COMPLETE";
    case MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED: return "REBOOT_REQUIRED";
    case MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED: return "REQUEST_PROCESSED";
    case MPNOTIFY_SIGUPDATE_COMPLETE: return "COMPLETE";
    default: return "?";
    }
}

/* UTF-16 -> UTF-8 (BMP only is enough here). */
static void utf16_to_utf8(const MPWCHAR *w, char *out, size_t n)
{
    size_t o = 0;
    for (; w && *w && o + 4 < n; w++) {
        unsigned c = *w;
        if (c < 0x80) out[o++] = (char)c;
        else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | (c >> 6 & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
}

static int starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

/* Path holds the server (a URL, or the share for UNC) of the kind eType says. */
static int path_fits_type(int32_t etype, const char *path)
{
    switch (etype) {
    case MPSIGUPDATE_TYPE_UNC: return starts_with(path, "\\\\");
    case MPSIGUPDATE_TYPE_HTTP:
    case MPSIGUPDATE_TYPE_HTTP_SRV: return starts_with(path, "https://go.microsoft.com/");
    case MPSIGUPDATE_TYPE_MANAGED:
    case MPSIGUPDATE_TYPE_MANAGED_PLATFORM: return starts_with(path, "http://");
    case MPSIGUPDATE_TYPE_UNMANAGED:
    case MPSIGUPDATE_TYPE_UNMANAGED_PLATFORM: return strcmp(path, "https://fe2cr.update.microsoft.com/v6/") == 0;
    default: return path[0] == 0;
    }
}

static HRESULT MPAPI on_callback(uint64_t ctx, MPCALLBACK_DATA *d)
{
    int i = atomic_load(&g_n);
    Rec *r = &g_rec[i < MAX_RECS ? i : MAX_RECS - 1];
    uint64_t now = filetime_now();
    memset(r, 0, sizeof *r);
    r->notify = d->Notify;
    r->hr = d->hResult;
    r->type = d->Type;
    r->tid = tid_now();
    if (ctx != CTX_MAGIC) { printf("  FAIL context 0x%" PRIx64 "\n", ctx); atomic_fetch_add(&g_bad, 1); }
    if (d->Type != MPCALLBACK_SIGUPDATE) { printf("  FAIL Type %d\n", d->Type); atomic_fetch_add(&g_bad, 1); }
    if (d->TimeStamp > now + 10000000ull || d->TimeStamp + 600000000ull < now) {
        printf("  FAIL TimeStamp %" PRIu64 " vs now %" PRIu64 "\n", d->TimeStamp, now);
        atomic_fetch_add(&g_bad, 1);
    }
    if (d->Data) {
        const MPSIGUPDATE_DATA *s = (const MPSIGUPDATE_DATA *)d->Data;
        r->has_data = 1;
        r->pct = s->dwPercentComplete;
        r->total = s->dwTotalUpdates;
        r->idx = s->dwCurrentUpdateIndex;
        r->etype = s->eType;
        r->stage = s->Stage;
        utf16_to_utf8(s->Path, r->path, sizeof r->path);
        if (r->pct > 100 || (r->total && r->idx >= r->total) || r->stage < 0 || r->stage > 3 ||
            !path_fits_type(r->etype, r->path)) {
            printf("  FAIL bad data pct=%u total=%u idx=%u eType=%d stage=%d path=%s\n", (unsigned)r->pct,
                   (unsigned)r->total, (unsigned)r->idx, (int)r->etype, (int)r->stage, r->path);
            atomic_fetch_add(&g_bad, 1);
        }
    }
    if (!g_quiet && !(d->Notify == MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS && i > 100 && i % 2000 != 0)) {
        if (r->has_data)
            printf("    #%d notify=0x%04X %-17s hr=0x%08X pct=%3u total=%u idx=%u eType=%d stage=%d path=%s\n", i,
                   (unsigned)r->notify, notify_name(r->notify), (unsigned)r->hr, (unsigned)r->pct,
                   (unsigned)r->total, (unsigned)r->idx, (int)r->etype, (int)r->stage, r->path);
        else
            printf("    #%d notify=0x%04X %-17s hr=0x%08X Data=NULL\n", i, (unsigned)r->notify,
                   notify_name(r->notify), (unsigned)r->hr);
    }
    atomic_store(&g_n, i + 1);
    if (d->Notify == MPNOTIFY_SIGUPDATE_COMPLETE) atomic_store(&g_done, 1);
    return 0;
}

static HRESULT MPAPI on_ignore(uint64_t ctx, MPCALLBACK_DATA *d)
{
    (void)ctx;
    (void)d;
    return 0;
}

static void reset_log(void)
{
    atomic_store(&g_n, 0);
    atomic_store(&g_done, 0);
    atomic_store(&g_bad, 0);
}

static int wait_done(unsigned timeout_ms)
{
    uint64_t end = ms_now() + timeout_ms;
    while (!atomic_load(&g_done)) {
        if (ms_now() > end) return 0;
        sleep_ms(1);
    }
    return 1;
}

static int wait_count(int n, unsigned timeout_ms)
{
    uint64_t end = ms_now() + timeout_ms;
    while (atomic_load(&g_n) < n) {
        if (ms_now() > end) return 0;
        sleep_ms(1);
    }
    return 1;
}

static const Rec *last_rec(void) { return atomic_load(&g_n) ? &g_rec[atomic_load(&g_n) - 1] : NULL; }

static int count_notify(int32_t notify)
{
    int i, c = 0, n = atomic_load(&g_n);
    for (i = 0; i < n && i < MAX_RECS; i++) c += g_rec[i].notify == notify;
    return c;
}

static const Rec *find_notify(int32_t notify)
{
    int i, n = atomic_load(&g_n);
    for (i = 0; i < n && i < MAX_RECS; i++)
        if (g_rec[i].notify == notify) return &g_rec[i];
    return NULL;
}

static void check_counters(const char *where)
{
    int32_t h = StandinOpenHandleCount(), b = StandinUnfreedBufferCount(), r = StandinRunningUpdateCount();
    CHECK(h == 0 && b == 0 && r == 0, "%s: handles=%d buffers=%d running=%d", where, (int)h, (int)b, (int)r);
}

static void fresh_state(void)
{
    remove(g_state_path);
    set_env("MPCLIENT_STANDIN_STEP_MS", "1");
    unset_env("MPCLIENT_STANDIN_ADMIN");
    unset_env("MPCLIENT_STANDIN_LANG");
    unset_env("MPCLIENT_STANDIN_SCENARIO");
    unset_env("MPCLIENT_STANDIN_METERED");
    unset_env("MPCLIENT_STANDIN_SERVICE_TYPES");
    unset_env("MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE");
}

static uint64_t av_version(void)
{
    MPHANDLE m = NULL;
    MPVERSION_INFO vi;
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpManagerVersionQuery(m, &vi), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    return vi.AVSignature.Version;
}

static int scenario_counter(void)
{
    char line[256];
    int counter = -1;
    FILE *f = fopen(g_state_path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "ScenarioCounter=", 16) == 0) counter = atoi(line + 16);
    if (f) fclose(f);
    return counter;
}

/* Starts one update with ASYNC | PROGRESS | options; waits for COMPLETE;
 * checks that it is the last notification and the only one; closes. */
static void run_async(const char *scenario, DWORD options, HRESULT want_complete)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb;
    cb.CallbackHandler = (void *)on_callback;
    cb.Context = CTX_MAGIC;
    set_env("MPCLIENT_STANDIN_SCENARIO", scenario);
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpUpdateStart(m, options | ASYNC_PROGRESS, &cb, &u), MP_S_OK);
    CHECK(u != NULL, "no update handle");
    CHECK(wait_done(30000), "no COMPLETE within 30 s");
    CHECK(last_rec() && last_rec()->notify == MPNOTIFY_SIGUPDATE_COMPLETE, "last notification is not COMPLETE");
    if (last_rec()) CHECK_HR(last_rec()->hr, want_complete);
    CHECK(count_notify(MPNOTIFY_SIGUPDATE_COMPLETE) == 1, "COMPLETE count %d", count_notify(MPNOTIFY_SIGUPDATE_COMPLETE));
    CHECK(atomic_load(&g_bad) == 0, "%d bad callbacks", atomic_load(&g_bad));
    CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_FALSE); /* nothing runs any more */
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    check_counters(scenario);
}

/* ---- tests -------------------------------------------------------------- */

static void t_api(void)
{
    MPHANDLE m = NULL, u = (MPHANDLE)0x1234, bogus = (MPHANDLE)&g_n;
    MPCALLBACK_INFO cb = {NULL, 0};
    MPWCHAR *msg = NULL;
    MPVERSION_INFO vi;
    CHECK_HR(MpHandleClose(NULL), MP_S_FALSE);
    CHECK_FAIL(MpHandleClose(bogus), MP_E_HANDLE);
    CHECK_FAIL(MpManagerOpen(1, &m), MP_E_INVALIDARG);
    CHECK_FAIL(MpManagerOpen(0, NULL), MP_E_POINTER);
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_FAIL(MpUpdateStart(bogus, ASYNC_PROGRESS, &cb, &u), MP_E_HANDLE);
    CHECK(u == NULL, "out handle not cleared on failure");
    CHECK_FAIL(MpUpdateStart(NULL, ASYNC_PROGRESS, &cb, &u), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateStart(m, ASYNC_PROGRESS, &cb, NULL), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateStart(m, ASYNC_PROGRESS, NULL, &u), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateStart(m, ASYNC_PROGRESS | MPUPDATE_OPTION_HTTP | MPUPDATE_OPTION_UNC, &cb, &u), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateStart(m, ASYNC_PROGRESS | 0x400, &cb, &u), MP_E_INVALIDARG); /* the stand-in's own rule */
    CHECK_FAIL(MpUpdateControl(NULL, MPCONTROL_ABORT), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateControl(bogus, MPCONTROL_ABORT), MP_E_HANDLE);
    CHECK_FAIL(MpUpdateControl(m, 3), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateControl(m, -1), MP_E_INVALIDARG);
    CHECK_FAIL(MpUpdateControl(m, MPCONTROL_PAUSE), MP_E_NOTIMPL);
    CHECK_FAIL(MpUpdateControl(m, MPCONTROL_RESUME), MP_E_NOTIMPL);
    CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_FALSE); /* nothing runs */
    CHECK_FAIL(MpErrorMessageFormat(bogus, 5, &msg), MP_E_HANDLE);
    CHECK_FAIL(MpErrorMessageFormat(m, 5, NULL), MP_E_POINTER);
    CHECK_FAIL(MpManagerVersionQuery(bogus, &vi), MP_E_HANDLE);
    CHECK_FAIL(MpManagerVersionQuery(m, NULL), MP_E_POINTER);
    CHECK(StandinOpenHandleCount() == 1, "open handles %d", (int)StandinOpenHandleCount());
    /* Options 0 = synchronous, no source; a callback info without a function:
     * runs to completion, no callbacks. */
    reset_log();
    CHECK_HR(MpUpdateStart(m, 0, &cb, &u), MP_S_OK);
    CHECK(atomic_load(&g_n) == 0, "callbacks without a callback function");
    CHECK(StandinRunningUpdateCount() == 0, "still running after a synchronous start returned");
    CHECK_FAIL(MpUpdateControl(u, MPCONTROL_ABORT), MP_E_HANDLE); /* the update handle is the wrong kind */
    CHECK_FAIL(MpUpdateStart(u, ASYNC_PROGRESS, &cb, &bogus), MP_E_HANDLE);
    CHECK(bogus == NULL, "out handle not cleared on failure");
    /* The handle is checked before the options (the real one's order). */
    CHECK_FAIL(MpUpdateStart(u, ASYNC_PROGRESS | MPUPDATE_OPTION_HTTP | MPUPDATE_OPTION_UNC, &cb, &bogus), MP_E_HANDLE);
    bogus = (MPHANDLE)&g_n;
    CHECK_FAIL(MpErrorMessageFormat(u, 5, &msg), MP_E_HANDLE);
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK_FAIL(MpHandleClose(u), MP_E_HANDLE); /* already closed */
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    CHECK_FAIL(MpHandleClose(m), MP_E_HANDLE);
    check_counters("api");
}

/* Handles are blocks { DWORD tag; object }: manager 1, update 4. */
static void t_handles(void)
{
    MPHANDLE m = NULL, m2 = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_ignore, 0};
    MPHANDLE_BLOCK fake = {MPHANDLE_TAG_MANAGER, NULL};
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpManagerOpen(0, &m2), MP_S_OK);
    CHECK(m != m2, "two managers share a handle");
    CHECK(((MPHANDLE_BLOCK *)m)->Tag == MPHANDLE_TAG_MANAGER && ((MPHANDLE_BLOCK *)m)->Object != NULL, "manager block");
    CHECK_HR(MpUpdateStart(m, MPUPDATE_OPTION_PROGRESS, &cb, &u), MP_S_OK);
    CHECK(((MPHANDLE_BLOCK *)u)->Tag == MPHANDLE_TAG_UPDATE && ((MPHANDLE_BLOCK *)u)->Object != NULL, "update block");
    /* A block the caller made is never a handle of the library, whatever its tag. */
    CHECK_FAIL(MpUpdateControl(&fake, 3), MP_E_HANDLE);
    CHECK_FAIL(MpHandleClose(&fake), MP_E_HANDLE);
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK_HR(MpHandleClose(m2), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    check_counters("handles");
}

/* ---- the conformance table ---------------------------------------------- */

enum { C_MpUpdateControl, C_MpHandleClose, C_MpUpdateStart, C_HandleTag };
enum { H_NULL, H_MANAGER, H_UPDATE, H_BLOCK };
typedef struct {
    const char *name;
    int call;
    int handle;
    uint32_t tag;    /* H_BLOCK */
    int32_t control; /* MpUpdateControl */
    DWORD options;   /* MpUpdateStart */
    int callback_info;
    uint32_t expected;
} ConformanceRow;
#include "conformance_rows.h"
#define CONFORMANCE_COUNT (sizeof CONFORMANCE_ROWS / sizeof CONFORMANCE_ROWS[0])

/* One row, as conformance.json describes the runner; returns the answer. */
static uint32_t conformance_answer(const ConformanceRow *r)
{
    MPHANDLE m = NULL, u = NULL, started = NULL, h;
    MPHANDLE_BLOCK block;
    MPCALLBACK_INFO cb = {(void *)on_ignore, 0};
    uint32_t answer = 0xFFFFFFFFu;
    int closed = 0;
    block.Tag = r->tag;
    block.Object = NULL;
    set_env("MPCLIENT_STANDIN_SCENARIO", "stalled");
    if (MpManagerOpen(0, &m) != MP_S_OK) return answer;
    if (r->handle == H_UPDATE) CHECK_HR(MpUpdateStart(m, ASYNC_PROGRESS, &cb, &u), MP_S_OK);
    h = r->handle == H_MANAGER ? m : r->handle == H_UPDATE ? u : r->handle == H_BLOCK ? (MPHANDLE)&block : NULL;
    switch (r->call) {
    case C_MpUpdateControl: answer = (uint32_t)MpUpdateControl(h, r->control); break;
    case C_MpHandleClose:
        answer = (uint32_t)MpHandleClose(h);
        closed = h != NULL && answer == 0;
        break;
    case C_MpUpdateStart:
        answer = (uint32_t)MpUpdateStart(h, r->options, r->callback_info ? &cb : NULL, &started);
        break;
    case C_HandleTag: answer = h ? ((const MPHANDLE_BLOCK *)h)->Tag : 0; break;
    }
    MpUpdateControl(m, MPCONTROL_ABORT);
    if (started) MpHandleClose(started);
    if (u && !(closed && h == u)) MpHandleClose(u);
    if (!(closed && h == m)) MpHandleClose(m);
    return answer;
}

/* Runs every row; returns how many differ from the real DLL's answer. */
static int run_conformance(int print_ok)
{
    size_t i;
    int differ = 0;
    for (i = 0; i < CONFORMANCE_COUNT; i++) {
        const ConformanceRow *r = &CONFORMANCE_ROWS[i];
        uint32_t answer = conformance_answer(r);
        if (answer != r->expected) differ++;
        if (print_ok || answer != r->expected)
            printf("    %s %s: 0x%08X (real DLL: 0x%08X)\n", answer == r->expected ? "ok  " : "DIFF", r->name,
                   (unsigned)answer, (unsigned)r->expected);
    }
    return differ;
}

static void t_conformance(void)
{
    int differ = run_conformance(1);
    CHECK(differ == 0, "%d of %d rows differ from the real DLL", differ, (int)CONFORMANCE_COUNT);
    check_counters("conformance");
}

/* The table notices a DLL that cancels with the update handle, as the docs
 * say, instead of the manager handle: only MpUpdateControl rows differ. */
static void t_conformance_variant(void)
{
    size_t i;
    int control_differ = 0, other_differ = 0;
    set_env("MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE", "1");
    for (i = 0; i < CONFORMANCE_COUNT; i++) {
        const ConformanceRow *r = &CONFORMANCE_ROWS[i];
        if (conformance_answer(r) == r->expected) continue;
        printf("    differs, as it should: %s\n", r->name);
        if (r->call == C_MpUpdateControl) control_differ++;
        else other_differ++;
    }
    unset_env("MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE");
    CHECK(control_differ >= 1 && other_differ == 0, "MpUpdateControl rows differing: %d, other rows: %d",
          control_differ, other_differ);
    check_counters("conformance-variant");
}

/* Failures reported through the callback go through the exception helper too;
 * a success raises none. */
static void t_failures(void)
{
    int32_t f0 = StandinFailureCount();
    run_async("updated", 0, MP_S_OK);
    CHECK(StandinFailureCount() == f0, "a success raised %d failures", (int)(StandinFailureCount() - f0));
    f0 = StandinFailureCount();
    run_async("network-failure", 0, MP_E_NAME_NOT_RESOLVED);
    CHECK(StandinFailureCount() == f0 + 2, "INTERNAL_FAILURE + COMPLETE raised %d failures",
          (int)(StandinFailureCount() - f0));
}

static void t_updated(void)
{
    const Rec *sc, *r;
    int i, n, seen_idx1 = 0;
    uint32_t last_pct = 0;
    uint64_t before = av_version();
    run_async("updated", 0, MP_S_OK);
    n = atomic_load(&g_n);
    CHECK(g_rec[0].notify == MPNOTIFY_SIGUPDATE_START, "first is not START");
    sc = find_notify(MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE);
    CHECK(sc && sc->total == 2, "SEARCH_COMPLETE total");
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_SEARCH_START) && find_notify(MPNOTIFY_SIGUPDATE_SEARCH_START)->stage == 1,
          "SEARCH_START stage");
    for (i = 0; i < n; i++) {
        r = &g_rec[i];
        /* No source bit: the configured order, which MpCmdRun's log calls an MU/WU update. */
        CHECK(!r->has_data || r->etype == MPSIGUPDATE_TYPE_UNMANAGED, "eType %d", (int)r->etype);
        if (r->notify != MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS) continue;
        CHECK(r->pct >= last_pct, "download percent goes back");
        last_pct = r->pct;
        if (r->idx == 1) seen_idx1 = 1;
        CHECK(r->stage == MP_DOWNLOAD_UPDATE, "stage");
    }
    CHECK(last_pct == 100 && seen_idx1, "download progress did not reach 100%% / index 1");
    CHECK(count_notify(MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS) >= 3, "install progress");
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED) && find_notify(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED)->hr == 0,
          "REQUEST_PROCESSED");
    CHECK(av_version() == before + (1u << 16), "AV signature build not raised by 1");
}

static void t_up_to_date(void)
{
    uint64_t before = av_version();
    run_async("up-to-date", 0, MP_S_FALSE);
    CHECK(atomic_load(&g_n) == 4, "%d notifications", atomic_load(&g_n));
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE) && find_notify(MPNOTIFY_SIGUPDATE_SEARCH_COMPLETE)->total == 0,
          "total");
    CHECK(av_version() == before, "version changed");
}

/* Starts one update expected to end at once, inside MpUpdateStart: only
 * COMPLETE S_FALSE with Data NULL, on the calling thread, then S_OK and a
 * handle that MpHandleClose takes. */
static void check_complete_at_once(const char *where, DWORD options)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    uint64_t before = av_version();
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpUpdateStart(m, options, &cb, &u), MP_S_OK);
    CHECK(atomic_load(&g_n) == 1 && atomic_load(&g_done), "%s: %d notifications before return", where,
          atomic_load(&g_n));
    CHECK(g_rec[0].notify == MPNOTIFY_SIGUPDATE_COMPLETE && !g_rec[0].has_data, "%s: not COMPLETE with Data NULL",
          where);
    CHECK(g_rec[0].tid == tid_now(), "%s: not on the calling thread", where);
    CHECK_HR(g_rec[0].hr, MP_S_FALSE);
    CHECK(u != NULL && ((MPHANDLE_BLOCK *)u)->Tag == MPHANDLE_TAG_UPDATE, "%s: no update handle", where);
    CHECK(StandinRunningUpdateCount() == 0, "%s: something runs", where);
    CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_FALSE);
    sleep_ms(50);
    CHECK(atomic_load(&g_n) == 1, "%s: more notifications after the start returned", where);
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    CHECK(av_version() == before, "%s: version changed", where);
    check_counters(where);
}

static void t_shared_root(void)
{
    set_env("MPCLIENT_STANDIN_SCENARIO", "shared-root,updated");
    check_complete_at_once("shared-root", ASYNC_PROGRESS);
    CHECK(scenario_counter() == 1, "ScenarioCounter=%d", scenario_counter());
    run_async("shared-root,updated", 0, MP_S_OK); /* the next entry */
}

/* Option 0x4 on a metered connection (MPCLIENT_STANDIN_METERED=1): skipped
 * before the scenario choice; otherwise 0x4 changes nothing. */
static void t_cost_check(void)
{
    set_env("MPCLIENT_STANDIN_SCENARIO", "network-failure");
    set_env("MPCLIENT_STANDIN_METERED", "1");
    check_complete_at_once("cost-check", ASYNC_PROGRESS | MPUPDATE_OPTION_COST_CHECK | MPUPDATE_OPTION_HTTP);
    CHECK(scenario_counter() <= 0, "the skip used a scenario entry (ScenarioCounter=%d)", scenario_counter());
    run_async("updated", 0, MP_S_OK); /* metered, but without 0x4: runs */
    unset_env("MPCLIENT_STANDIN_METERED");
    run_async("updated", MPUPDATE_OPTION_COST_CHECK, MP_S_OK);
}

static void t_reboot(void)
{
    const Rec *r;
    run_async("reboot", MPUPDATE_OPTION_UNC, MP_S_OK);
    r = find_notify(MPNOTIFY_SIGUPDATE_REBOOT_REQUIRED);
    CHECK(r && r->hr == 0 && r->etype == MPSIGUPDATE_TYPE_UNC, "REBOOT_REQUIRED");
    CHECK(r && r > find_notify(MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE) && r < find_notify(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED),
          "REBOOT_REQUIRED order");
}

static void t_network_failure(void)
{
    const Rec *r;
    uint64_t before = av_version();
    run_async("network-failure", 0, MP_E_NAME_NOT_RESOLVED);
    r = find_notify(MPNOTIFY_INTERNAL_FAILURE);
    CHECK(r && (uint32_t)r->hr == 0x80072EE7u, "INTERNAL_FAILURE");
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS) && find_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS)->pct == 30,
          "30%%");
    CHECK(av_version() == before, "version changed");
}

static void t_install_failure(void)
{
    const Rec *r;
    run_async("install-failure", 0, MP_E_BADDB_CONTENT);
    r = find_notify(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED);
    CHECK(r && (uint32_t)r->hr == 0x8050A004u, "REQUEST_PROCESSED hr");
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS) != NULL, "no install progress");
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE) == NULL, "INSTALL_COMPLETE sent");
}

/* The failure is in COMPLETE only, as the real loop's last word. */
static void t_complete_failure(void)
{
    int i, n;
    uint64_t before = av_version();
    run_async("complete-failure", 0, MP_E_ALL_UPDATES_FAILED);
    n = atomic_load(&g_n);
    for (i = 0; i < n - 1; i++)
        CHECK(g_rec[i].hr == 0, "notification %d (%s) carries 0x%08X", i, notify_name(g_rec[i].notify),
              (unsigned)g_rec[i].hr);
    CHECK(find_notify(MPNOTIFY_INTERNAL_FAILURE) == NULL && find_notify(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED) == NULL,
          "failure announced before COMPLETE");
    CHECK(n >= 2 && g_rec[n - 2].notify == MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS && g_rec[n - 2].pct == 60, "60%% before");
    CHECK(av_version() == before, "version changed");
}

/* Cancel through the manager handle while the update runs. */
static void abort_test(const char *scenario, int wait_for, unsigned extra_sleep)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    uint64_t before = av_version();
    int n;
    set_env("MPCLIENT_STANDIN_SCENARIO", scenario);
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpUpdateStart(m, ASYNC_PROGRESS | MPUPDATE_OPTION_HTTP, &cb, &u), MP_S_OK);
    CHECK(wait_count(wait_for, 10000), "fewer than %d notifications", wait_for);
    sleep_ms(extra_sleep);
    n = atomic_load(&g_n);
    if (strcmp(scenario, "stalled") == 0) CHECK(n == 3, "stalled sent %d", n);
    CHECK(!atomic_load(&g_done), "completed before abort");
    CHECK(StandinRunningUpdateCount() == 1, "running %d", (int)StandinRunningUpdateCount());
    CHECK_FAIL(MpUpdateControl(u, MPCONTROL_ABORT), MP_E_HANDLE); /* the update handle cancels nothing */
    sleep_ms(30);
    CHECK(!atomic_load(&g_done), "the refused update handle ended the update");
    CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_OK);
    CHECK(wait_done(5000), "no COMPLETE after abort");
    CHECK(last_rec() && (uint32_t)last_rec()->hr == 0x800704C7u, "COMPLETE hr 0x%08X", last_rec() ? (unsigned)last_rec()->hr : 0u);
    CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_FALSE);
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    CHECK(av_version() == before, "version changed after abort");
    check_counters(scenario);
}

static void t_stalled(void) { abort_test("stalled", 3, 200); }
static void t_slow(void) { abort_test("slow", 8, 0); }

static void t_slow_complete(void)
{
    uint64_t t0 = ms_now();
    run_async("slow", 0, MP_S_OK);
    CHECK(count_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS) + count_notify(MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS) >= 38,
          "progress steps");
    CHECK(ms_now() - t0 >= 3800, "too fast: %u ms", (unsigned)(ms_now() - t0));
}

static void t_storm(void)
{
    int i, n, k = 0, ok = 1;
    uint64_t t0 = ms_now(), before = av_version();
    run_async("storm", 0, MP_S_OK);
    n = atomic_load(&g_n);
    CHECK(count_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS) == 10000, "%d progress",
          count_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS));
    for (i = 0; i < n; i++) {
        if (g_rec[i].notify != MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS) continue;
        if (g_rec[i].pct != (uint32_t)(k * 100 / 10000) || g_rec[i].total != 1 || g_rec[i].idx != 0) ok = 0;
        k++;
    }
    CHECK(ok, "storm percent/index/total");
    CHECK(av_version() == before + (1u << 16), "storm is a success");
    printf("  storm: %d callbacks in %u ms\n", n, (unsigned)(ms_now() - t0));
}

static void t_unknown_codes(void)
{
    run_async("unknown-codes", 0, MP_S_OK);
    CHECK(g_rec[1].notify == 0x8042 && g_rec[1].has_data && g_rec[1].stage == 2 && g_rec[1].pct == 50, "0x8042");
    CHECK(g_rec[2].notify == 0x9999 && !g_rec[2].has_data, "0x9999");
    CHECK(g_rec[3].notify == MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS && !g_rec[3].has_data, "progress with NULL data");
    CHECK(g_rec[4].notify == MPNOTIFY_SIGUPDATE_SEARCH_START, "rest of updated starts with SEARCH_START");
    CHECK(count_notify(MPNOTIFY_SIGUPDATE_START) == 1, "START sent twice");
    CHECK(find_notify(MPNOTIFY_SIGUPDATE_REQUEST_PROCESSED) != NULL, "rest of updated");
}

/* Without PROGRESS the DLL drops DOWNLOAD_PROGRESS and INSTALL_PROGRESS, and
 * nothing else. */
static void t_progress(void)
{
    static const char *const scenarios[2] = {"updated", "unknown-codes"};
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    int i;
    for (i = 0; i < 2; i++) {
        set_env("MPCLIENT_STANDIN_SCENARIO", scenarios[i]);
        reset_log();
        CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
        CHECK_HR(MpUpdateStart(m, MPUPDATE_OPTION_ASYNC, &cb, &u), MP_S_OK);
        CHECK(wait_done(10000), "%s: no COMPLETE", scenarios[i]);
        CHECK(count_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_PROGRESS) == 0 &&
                  count_notify(MPNOTIFY_SIGUPDATE_INSTALL_PROGRESS) == 0,
              "%s: progress without PROGRESS", scenarios[i]);
        CHECK(find_notify(MPNOTIFY_SIGUPDATE_DOWNLOAD_START) && find_notify(MPNOTIFY_SIGUPDATE_INSTALL_COMPLETE) &&
                  last_rec() && last_rec()->hr == 0,
              "%s: the other notifications", scenarios[i]);
        CHECK(i == 0 || count_notify(0x9999) == 1, "unknown codes dropped too");
        CHECK_HR(MpHandleClose(u), MP_S_OK);
        CHECK_HR(MpHandleClose(m), MP_S_OK);
    }
    check_counters("progress");
}

static void t_access_denied(void)
{
    MPHANDLE m = NULL, u = (MPHANDLE)1;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    set_env("MPCLIENT_STANDIN_SCENARIO", "access-denied");
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_FAIL(MpUpdateStart(m, ASYNC_PROGRESS, &cb, &u), MP_E_ACCESSDENIED);
    CHECK(u == NULL, "handle returned");
    sleep_ms(50);
    CHECK(atomic_load(&g_n) == 0, "callbacks");
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    check_counters("access-denied");
}

/* A service that does not take a service bit; HTTP and UNC never reach it. */
static void t_source_unsupported(void)
{
    static const DWORD service_bits[4] = {MPUPDATE_OPTION_SERVICE_10, MPUPDATE_OPTION_SERVICE_40,
                                          MPUPDATE_OPTION_SERVICE_80, MPUPDATE_OPTION_SERVICE_100};
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    int i;
    set_env("MPCLIENT_STANDIN_SCENARIO", "source-unsupported");
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    for (i = 0; i < 4; i++) CHECK_FAIL(MpUpdateStart(m, ASYNC_PROGRESS | service_bits[i], &cb, &u), MP_E_INVALIDARG);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    run_async("source-unsupported", MPUPDATE_OPTION_HTTP, MP_S_OK);
    run_async("source-unsupported", MPUPDATE_OPTION_UNC, MP_S_OK);
    run_async("source-unsupported", 0, MP_S_OK);
}

static void t_manager_open_failure(void)
{
    MPHANDLE m = (MPHANDLE)1;
    set_env("MPCLIENT_STANDIN_SCENARIO", "manager-open-failure");
    CHECK_FAIL(MpManagerOpen(0, &m), MP_E_SERVICE_DISABLED);
    CHECK(m == NULL, "handle returned");
    CHECK_FAIL(MpManagerOpen(0, &m), MP_E_SERVICE_DISABLED); /* last entry repeats */
    fresh_state();
    set_env("MPCLIENT_STANDIN_SCENARIO", "manager-open-failure,updated");
    CHECK_HR(MpManagerOpen(0, &m), MP_E_SERVICE_DISABLED);
    run_async("manager-open-failure,updated", 0, MP_S_OK);
    check_counters("manager-open-failure");
}

static void t_sequence(void)
{
    fresh_state();
    run_async("network-failure,updated", 0, MP_E_NAME_NOT_RESOLVED);
    run_async("network-failure,updated", 0, MP_S_OK);
    run_async("network-failure,updated", 0, MP_S_OK);
    CHECK(scenario_counter() == 3, "ScenarioCounter=%d", scenario_counter());
}

/* Without ASYNC the call returns after COMPLETE. Service updates (and the
 * default) call back on the caller's thread, HTTP and UNC from another one. */
static void t_sync(void)
{
    static const struct { DWORD source; int on_caller; } cases[] = {
        {0, 1}, {MPUPDATE_OPTION_SERVICE_40, 1}, {MPUPDATE_OPTION_HTTP, 0}, {MPUPDATE_OPTION_UNC, 0},
    };
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    size_t i;
    int n, k, same;
    set_env("MPCLIENT_STANDIN_SCENARIO", "updated");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        reset_log();
        CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
        CHECK_HR(MpUpdateStart(m, MPUPDATE_OPTION_PROGRESS | cases[i].source, &cb, &u), MP_S_OK);
        CHECK(atomic_load(&g_done) && last_rec() && last_rec()->hr == 0, "0x%X: returned before COMPLETE",
              (unsigned)cases[i].source);
        n = atomic_load(&g_n);
        for (k = 0, same = 0; k < n; k++) same += g_rec[k].tid == tid_now();
        CHECK(same == (cases[i].on_caller ? n : 0), "0x%X: %d of %d callbacks on the calling thread",
              (unsigned)cases[i].source, same, n);
        CHECK(StandinRunningUpdateCount() == 0, "still running");
        CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_FALSE);
        CHECK_HR(MpHandleClose(u), MP_S_OK);
        CHECK_HR(MpHandleClose(m), MP_S_OK);
    }
    check_counters("sync");
}

typedef struct {
    MPHANDLE m, u;
    HRESULT hr;
    unsigned long tid;
} SyncStart;

static void sync_start(void *arg)
{
    SyncStart *s = (SyncStart *)arg;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    s->tid = tid_now();
    s->hr = MpUpdateStart(s->m, MPUPDATE_OPTION_PROGRESS, &cb, &s->u);
}

/* A synchronous service update, its loop on the caller's thread, is
 * cancelled from another thread through the manager handle. */
static void t_sync_abort(void)
{
    SyncStart s = {NULL, NULL, -1, 0};
    Thread t;
    memset(&t, 0, sizeof t);
    t.fn = sync_start;
    t.arg = &s;
    set_env("MPCLIENT_STANDIN_SCENARIO", "stalled");
    set_env("MPCLIENT_STANDIN_ADMIN", "1");
    reset_log();
    CHECK_HR(MpManagerOpen(0, &s.m), MP_S_OK);
    CHECK(thread_spawn(&t), "no thread");
    CHECK(wait_count(3, 5000), "no search");
    CHECK(StandinRunningUpdateCount() == 1 && StandinOpenHandleCount() == 2, "running %d, handles %d",
          (int)StandinRunningUpdateCount(), (int)StandinOpenHandleCount());
    CHECK_HR(MpUpdateControl(s.m, MPCONTROL_ABORT), MP_S_OK);
    thread_wait(&t);
    CHECK_HR(s.hr, MP_S_OK);
    CHECK(last_rec() && (uint32_t)last_rec()->hr == 0x800704C7u && last_rec()->tid == s.tid,
          "COMPLETE cancelled on the caller's thread");
    CHECK_HR(MpHandleClose(s.u), MP_S_OK);
    CHECK_HR(MpHandleClose(s.m), MP_S_OK);
    check_counters("sync-abort");
}

static void t_close_running(void)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    int n;
    uint64_t t0, before = av_version();
    set_env("MPCLIENT_STANDIN_SCENARIO", "updated");
    set_env("MPCLIENT_STANDIN_STEP_MS", "30");
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpUpdateStart(m, ASYNC_PROGRESS, &cb, &u), MP_S_OK);
    CHECK(wait_count(3, 5000), "no progress");
    t0 = ms_now();
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK(ms_now() - t0 < 1000, "close took %u ms", (unsigned)(ms_now() - t0));
    n = atomic_load(&g_n);
    sleep_ms(100);
    CHECK(atomic_load(&g_n) == n, "callbacks after MpHandleClose returned");
    CHECK(!atomic_load(&g_done), "COMPLETE sent on close");
    CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_FALSE); /* a closed update is not running */
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    set_env("MPCLIENT_STANDIN_STEP_MS", "1");
    CHECK(av_version() == before, "version changed");
    check_counters("close-running");
}

static void t_close_manager(void)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    set_env("MPCLIENT_STANDIN_SCENARIO", "updated");
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpUpdateStart(m, ASYNC_PROGRESS, &cb, &u), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    CHECK(wait_done(10000), "update did not finish after manager close");
    CHECK(last_rec() && last_rec()->hr == 0, "COMPLETE hr");
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    check_counters("close-manager");
}

/* Several updates at once, each with its own context: which ones ended, how. */
static atomic_int g_multi_done[3];
static atomic_int g_multi_hr[3];
static HRESULT MPAPI on_multi(uint64_t ctx, MPCALLBACK_DATA *d)
{
    if (ctx < 3 && d->Notify == MPNOTIFY_SIGUPDATE_COMPLETE) {
        atomic_store(&g_multi_hr[ctx], d->hResult);
        atomic_store(&g_multi_done[ctx], 1);
    }
    return 0;
}
static int multi_wait(int i)
{
    uint64_t end = ms_now() + 5000;
    while (!atomic_load(&g_multi_done[i]) && ms_now() < end) sleep_ms(1);
    return atomic_load(&g_multi_done[i]);
}

/* MpUpdateControl(manager) aborts every running update started from that
 * manager, and only those; a refusal (admin) aborts none of them. */
static void t_control_many(void)
{
    MPHANDLE m1 = NULL, m2 = NULL, u[3] = {NULL, NULL, NULL};
    MPCALLBACK_INFO cb[3] = {{(void *)on_multi, 0}, {(void *)on_multi, 1}, {(void *)on_multi, 2}};
    DWORD source[3] = {MPUPDATE_OPTION_HTTP, MPUPDATE_OPTION_SERVICE_40, MPUPDATE_OPTION_UNC};
    int i;
    set_env("MPCLIENT_STANDIN_SCENARIO", "stalled");
    for (i = 0; i < 3; i++) atomic_store(&g_multi_done[i], 0);
    CHECK_HR(MpManagerOpen(0, &m1), MP_S_OK);
    CHECK_HR(MpManagerOpen(0, &m2), MP_S_OK);
    for (i = 0; i < 3; i++)
        CHECK_HR(MpUpdateStart(i < 2 ? m1 : m2, ASYNC_PROGRESS | source[i], &cb[i], &u[i]), MP_S_OK);
    CHECK_FAIL(MpUpdateControl(m1, MPCONTROL_ABORT), MP_E_ACCESSDENIED); /* u[1] is a service update */
    sleep_ms(50);
    CHECK(!atomic_load(&g_multi_done[0]) && !atomic_load(&g_multi_done[1]), "a refused abort ended an update");
    set_env("MPCLIENT_STANDIN_ADMIN", "1");
    CHECK_HR(MpUpdateControl(m1, MPCONTROL_ABORT), MP_S_OK);
    CHECK(multi_wait(0) && multi_wait(1), "both updates of the manager end");
    CHECK((uint32_t)atomic_load(&g_multi_hr[0]) == 0x800704C7u && (uint32_t)atomic_load(&g_multi_hr[1]) == 0x800704C7u,
          "cancelled");
    sleep_ms(50);
    CHECK(!atomic_load(&g_multi_done[2]), "the other manager's update was aborted too");
    CHECK_HR(MpUpdateControl(m1, MPCONTROL_ABORT), MP_S_FALSE);
    unset_env("MPCLIENT_STANDIN_ADMIN");
    CHECK_HR(MpUpdateControl(m2, MPCONTROL_ABORT), MP_S_OK); /* UNC: no admin needed */
    CHECK(multi_wait(2), "the other manager's update ends on its own abort");
    for (i = 0; i < 3; i++) CHECK_HR(MpHandleClose(u[i]), MP_S_OK);
    CHECK_HR(MpHandleClose(m1), MP_S_OK);
    CHECK_HR(MpHandleClose(m2), MP_S_OK);
    check_counters("control-many");
}

/* MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE=1: a DLL as the docs describe
 * it, which the real one is not. */
static void t_control_variant(void)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    set_env("MPCLIENT_STANDIN_SCENARIO", "stalled");
    set_env("MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE", "1");
    reset_log();
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpUpdateStart(m, ASYNC_PROGRESS | MPUPDATE_OPTION_HTTP, &cb, &u), MP_S_OK);
    CHECK(wait_count(3, 5000), "no search");
    CHECK_FAIL(MpUpdateControl(m, MPCONTROL_ABORT), MP_E_HANDLE);
    CHECK_HR(MpUpdateControl(u, MPCONTROL_ABORT), MP_S_OK);
    CHECK(wait_done(5000) && last_rec() && (uint32_t)last_rec()->hr == 0x800704C7u, "not cancelled");
    CHECK_HR(MpUpdateControl(u, MPCONTROL_ABORT), MP_S_FALSE);
    CHECK_HR(MpHandleClose(u), MP_S_OK);
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    unset_env("MPCLIENT_STANDIN_CONTROL_ACCEPTS_UPDATE_HANDLE");
    check_counters("control-variant");
}

/* Cancelling needs admin for every type but HTTP and UNC. */
static void t_admin(void)
{
    static const struct { DWORD source; int needs_admin; } cases[] = {
        {0, 1}, {MPUPDATE_OPTION_SERVICE_10, 1}, {MPUPDATE_OPTION_SERVICE_40, 1}, {MPUPDATE_OPTION_SERVICE_80, 1},
        {MPUPDATE_OPTION_SERVICE_100, 1}, {MPUPDATE_OPTION_HTTP, 0}, {MPUPDATE_OPTION_UNC, 0},
    };
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    size_t i;
    int q = g_quiet;
    g_quiet = 1;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_env("MPCLIENT_STANDIN_SCENARIO", "stalled");
        unset_env("MPCLIENT_STANDIN_ADMIN");
        reset_log();
        CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
        CHECK_HR(MpUpdateStart(m, ASYNC_PROGRESS | cases[i].source, &cb, &u), MP_S_OK);
        CHECK(wait_count(3, 5000), "no search");
        if (cases[i].needs_admin) {
            CHECK_FAIL(MpUpdateControl(m, MPCONTROL_ABORT), MP_E_ACCESSDENIED);
            set_env("MPCLIENT_STANDIN_ADMIN", "1");
        }
        CHECK_HR(MpUpdateControl(m, MPCONTROL_ABORT), MP_S_OK);
        CHECK(wait_done(5000), "no COMPLETE");
        CHECK(last_rec() && (uint32_t)last_rec()->hr == 0x800704C7u, "0x%X: hr", (unsigned)cases[i].source);
        CHECK_HR(MpHandleClose(u), MP_S_OK);
        CHECK_HR(MpHandleClose(m), MP_S_OK);
    }
    g_quiet = q;
    unset_env("MPCLIENT_STANDIN_ADMIN");
    check_counters("admin");
}

static void t_etype(void)
{
    static const struct { const char *types; DWORD opt; int32_t etype; } cases[] = {
        {NULL, 0, MPSIGUPDATE_TYPE_UNMANAGED},
        {NULL, MPUPDATE_OPTION_HTTP, MPSIGUPDATE_TYPE_HTTP},
        {NULL, MPUPDATE_OPTION_UNC, MPSIGUPDATE_TYPE_UNC},
        {NULL, MPUPDATE_OPTION_SERVICE_10, MPSIGUPDATE_TYPE_HTTP_SRV},
        {NULL, MPUPDATE_OPTION_SERVICE_40, MPSIGUPDATE_TYPE_UNMANAGED},
        {NULL, MPUPDATE_OPTION_SERVICE_80, MPSIGUPDATE_TYPE_MANAGED_PLATFORM},
        {NULL, MPUPDATE_OPTION_SERVICE_100, MPSIGUPDATE_TYPE_UNMANAGED_PLATFORM},
        {NULL, MPUPDATE_OPTION_X200, MPSIGUPDATE_TYPE_UNMANAGED},
        {NULL, MPUPDATE_OPTION_X200 | MPUPDATE_OPTION_SERVICE_80, MPSIGUPDATE_TYPE_MANAGED_PLATFORM},
        {NULL, MPUPDATE_OPTION_X200 | MPUPDATE_OPTION_SERVICE_100, MPSIGUPDATE_TYPE_UNMANAGED_PLATFORM},
        {"0x10=managed, 0x40=unmanaged,default=http", MPUPDATE_OPTION_SERVICE_10, MPSIGUPDATE_TYPE_MANAGED},
        {"0x10=managed, 0x40=unmanaged,default=http", MPUPDATE_OPTION_SERVICE_80, MPSIGUPDATE_TYPE_MANAGED_PLATFORM},
        {"0x10=managed, 0x40=unmanaged,default=http", 0, MPSIGUPDATE_TYPE_HTTP},
        {"0x100=managed,0x80=unmanaged", MPUPDATE_OPTION_SERVICE_100, MPSIGUPDATE_TYPE_MANAGED},
        {"0x100=managed,0x80=unmanaged", MPUPDATE_OPTION_SERVICE_80, MPSIGUPDATE_TYPE_UNMANAGED},
    };
    size_t i, n = sizeof cases / sizeof cases[0];
    int k, q = g_quiet;
    g_quiet = 1;
    for (i = 0; i < n; i++) {
        if (cases[i].types) set_env("MPCLIENT_STANDIN_SERVICE_TYPES", cases[i].types);
        else unset_env("MPCLIENT_STANDIN_SERVICE_TYPES");
        run_async("up-to-date", cases[i].opt, MP_S_FALSE);
        for (k = 0; k < atomic_load(&g_n); k++)
            CHECK(!g_rec[k].has_data || g_rec[k].etype == cases[i].etype, "%s, options 0x%X: eType %d, want %d",
                  cases[i].types ? cases[i].types : "default types", (unsigned)cases[i].opt, (int)g_rec[k].etype,
                  (int)cases[i].etype);
    }
    unset_env("MPCLIENT_STANDIN_SERVICE_TYPES");
    g_quiet = q;
}

static void t_messages(void)
{
    static const uint32_t codes[] = {0x80072EE7u, 0x80072EFDu, 0x80072EE2u, 0x8024402Cu, 0x80240022u,
                                     0x80070005u, 0x80070422u, 0x80070652u, 0x8050A004u, 0x80501004u,
                                     0x800106BAu, 0x80070057u, 0x80244022u, 0x800704C7u, 0x80070006u,
                                     0x12345678u};
    MPHANDLE m = NULL;
    MPWCHAR *msg;
    char text[1024];
    size_t i;
    int lang, cyr;
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    for (lang = 0; lang < 2; lang++) {
        if (lang) set_env("MPCLIENT_STANDIN_LANG", "ru");
        else unset_env("MPCLIENT_STANDIN_LANG");
        for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
            const MPWCHAR *p;
            msg = NULL;
            CHECK_HR(MpErrorMessageFormat(m, (HRESULT)codes[i], &msg), MP_S_OK);
            if (!msg) continue;
            CHECK(StandinUnfreedBufferCount() == 1, "unfreed %d", (int)StandinUnfreedBufferCount());
            for (cyr = 0, p = msg; *p; p++) cyr += *p >= 0x410 && *p <= 0x44F;
            utf16_to_utf8(msg, text, sizeof text);
            printf("    %s 0x%08X %s\n", lang ? "ru" : "en", (unsigned)codes[i], text);
            CHECK(lang ? cyr > 3 : cyr == 0, "language of the text");
            CHECK(codes[i] != 0x12345678u || strstr(text, "0x12345678") != NULL, "unknown code text");
            CHECK(codes[i] == 0x12345678u || strstr(text, "0x") == NULL, "known code %08X not found", (unsigned)codes[i]);
            MpFreeMemory(msg);
        }
    }
    unset_env("MPCLIENT_STANDIN_LANG");
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    check_counters("messages");
}

static void t_free(void)
{
    MPHANDLE m = NULL;
    MPWCHAR *msg = NULL;
    int local = 0;
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    MpFreeMemory(NULL);
    printf("    (two 'not allocated by this library' messages expected on stderr)\n");
    fflush(stdout);
    MpFreeMemory(&local); /* not ours: ignored with a message */
    CHECK_HR(MpErrorMessageFormat(m, 5, &msg), MP_S_OK);
    MpFreeMemory(msg);
    MpFreeMemory(msg); /* double free: ignored with a message */
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    check_counters("free");
}

static void t_versions(void)
{
    MPHANDLE m = NULL;
    MPVERSION_INFO vi;
    uint64_t now = filetime_now(), age;
    fresh_state();
    memset(&vi, 0x5A, sizeof vi);
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpManagerVersionQuery(m, &vi), MP_S_OK);
    CHECK(vi.AVSignature.Version == ((1ull << 48) | (421ull << 32) | (1700ull << 16)), "AV default %016" PRIx64,
          vi.AVSignature.Version);
    CHECK(vi.ASSignature.Version == vi.AVSignature.Version, "AS default");
    CHECK(vi.Product.Version == ((4ull << 48) | (18ull << 32) | (25010ull << 16) | 11), "product");
    CHECK(vi.Engine.Version == ((1ull << 48) | (1ull << 32) | (25010ull << 16) | 7), "engine");
    CHECK(vi.Reserved[3].Version == 0 && vi.Reserved[0].UpdateTime == 0, "reserved not zero");
    age = now - vi.AVSignature.UpdateTime;
    CHECK(age > 3 * 864000000000ull - 600000000ull && age < 3 * 864000000000ull + 600000000ull, "AV age not 3 days");
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    run_async("updated", 0, MP_S_OK);
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    CHECK_HR(MpManagerVersionQuery(m, &vi), MP_S_OK);
    CHECK(vi.AVSignature.Version == ((1ull << 48) | (421ull << 32) | (1701ull << 16)), "AV after update");
    CHECK(vi.ASSignature.Version == vi.AVSignature.Version, "AS after update");
    CHECK(filetime_now() - vi.AVSignature.UpdateTime < 600000000ull, "AV UpdateTime not now");
    printf("    AV %u.%u.%u.%u\n", (unsigned)(vi.AVSignature.Version >> 48), (unsigned)(vi.AVSignature.Version >> 32 & 0xFFFF),
           (unsigned)(vi.AVSignature.Version >> 16 & 0xFFFF), (unsigned)(vi.AVSignature.Version & 0xFFFF));
    CHECK_HR(MpHandleClose(m), MP_S_OK);
}

static void t_corrupt_state(void)
{
    FILE *f = fopen(g_state_path, "w");
    if (f) {
        fputs("\x01\x02 garbage\nnot=a=state\n", f);
        fclose(f);
    }
    CHECK(av_version() == ((1ull << 48) | (421ull << 32) | (1700ull << 16)), "defaults after corrupt file");
}

static void t_loop1000(void)
{
    MPHANDLE m = NULL, u = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback, CTX_MAGIC};
    MPWCHAR *msg;
    int i, bad = 0, q = g_quiet;
    int32_t cb0 = StandinCallbackCount();
    uint64_t t0 = ms_now();
    g_quiet = 1;
    set_env("MPCLIENT_STANDIN_SCENARIO", "updated");
    set_env("MPCLIENT_STANDIN_STEP_MS", "0");
    CHECK_HR(MpManagerOpen(0, &m), MP_S_OK);
    for (i = 0; i < 1000; i++) {
        reset_log();
        if (MpUpdateStart(m, ASYNC_PROGRESS, &cb, &u) != MP_S_OK) bad++;
        if (!wait_done(10000)) bad++;
        if (!last_rec() || last_rec()->hr != 0) bad++;
        if (MpHandleClose(u) != MP_S_OK) bad++;
        msg = NULL;
        if (MpErrorMessageFormat(m, (HRESULT)0x80072EE7u, &msg) != MP_S_OK) bad++;
        MpFreeMemory(msg);
    }
    CHECK_HR(MpHandleClose(m), MP_S_OK);
    g_quiet = q;
    set_env("MPCLIENT_STANDIN_STEP_MS", "1");
    CHECK(bad == 0, "%d failures in the loop", bad);
    printf("  loop1000: %d callbacks in %u ms\n", (int)(StandinCallbackCount() - cb0), (unsigned)(ms_now() - t0));
    check_counters("loop1000");
}

/* Closing the update handle from inside its own callback must die loudly. */
static MPHANDLE g_deadlock_handle;
static atomic_int g_deadlock_ready;
static HRESULT MPAPI on_callback_close(uint64_t ctx, MPCALLBACK_DATA *d)
{
    (void)ctx;
    (void)d;
    while (!atomic_load(&g_deadlock_ready)) sleep_ms(1);
    MpHandleClose(g_deadlock_handle);
    return 0;
}
static int deadlock_check(void)
{
    MPHANDLE m = NULL;
    MPCALLBACK_INFO cb = {(void *)on_callback_close, 0};
    set_env("MPCLIENT_STANDIN_SCENARIO", "updated");
    MpManagerOpen(0, &m);
    MpUpdateStart(m, MPUPDATE_OPTION_ASYNC, &cb, &g_deadlock_handle);
    atomic_store(&g_deadlock_ready, 1);
    sleep_ms(20000);
    printf("deadlock-check: still alive, the stand-in did not abort\n");
    return 1;
}


typedef struct {
    const char *name;
    void (*fn)(void);
} Test;

static const Test TESTS[] = {
    {"api", t_api},
    {"handles", t_handles},
    {"conformance", t_conformance},
    {"conformance-variant", t_conformance_variant},
    {"failures", t_failures},
    {"updated", t_updated},
    {"up-to-date", t_up_to_date},
    {"shared-root", t_shared_root},
    {"cost-check", t_cost_check},
    {"reboot", t_reboot},
    {"network-failure", t_network_failure},
    {"install-failure", t_install_failure},
    {"complete-failure", t_complete_failure},
    {"stalled", t_stalled},
    {"storm", t_storm},
    {"slow", t_slow},
    {"slow-complete", t_slow_complete},
    {"unknown-codes", t_unknown_codes},
    {"progress", t_progress},
    {"access-denied", t_access_denied},
    {"source-unsupported", t_source_unsupported},
    {"manager-open-failure", t_manager_open_failure},
    {"sequence", t_sequence},
    {"sync", t_sync},
    {"sync-abort", t_sync_abort},
    {"close-running", t_close_running},
    {"close-manager", t_close_manager},
    {"control-many", t_control_many},
    {"control-variant", t_control_variant},
    {"admin", t_admin},
    {"etype", t_etype},
    {"messages", t_messages},
    {"free", t_free},
    {"versions", t_versions},
    {"corrupt-state", t_corrupt_state},
    {"loop1000", t_loop1000},
};


int main(int argc, char **argv)
{
    size_t i;
    int a, selected = 0, ran = 0;
    char dir[900];
    temp_dir(dir, sizeof dir);
#ifdef _WIN32
    snprintf(g_state_path, sizeof g_state_path, "%smpclient-standin-selftest-%lu.txt", dir, (unsigned long)GetCurrentProcessId());
#else
    snprintf(g_state_path, sizeof g_state_path, "%smpclient-standin-selftest-%lu.txt", dir, (unsigned long)getpid());
#endif
    set_env("MPCLIENT_STANDIN_STATE", g_state_path);
    fresh_state();
    setvbuf(stdout, NULL, _IOLBF, 0);

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "-q") == 0) g_quiet = 1;
        else if (strcmp(argv[a], "deadlock-check") == 0) return deadlock_check();
        else selected++;
    }
    for (i = 0; i < sizeof TESTS / sizeof TESTS[0]; i++) {
        int want = !selected;
        int before = g_failures;
        for (a = 1; a < argc && !want; a++) want = strcmp(argv[a], TESTS[i].name) == 0;
        if (!want) continue;
        printf("== %s\n", TESTS[i].name);
        fresh_state();
        TESTS[i].fn();
        printf("%s %s\n", g_failures == before ? "ok  " : "FAIL", TESTS[i].name);
        ran++;
    }
    remove(g_state_path);
    if (ran == 0) {
        printf("no such test\n");
        return 2;
    }
    printf("%d test(s), %d failure(s); callbacks delivered: %d\n", ran, g_failures, (int)StandinCallbackCount());
    return g_failures ? 1 : 0;
}
