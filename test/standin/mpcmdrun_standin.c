/*
 * Stand-in MpCmdRun: a test double of Microsoft Defender's command-line tool, for the two jobs the app gives it:
 *   MpCmdRun.exe -SignatureUpdate [-UNC [-Path <folder>] | -MMPC]
 *   MpCmdRun.exe -RemoveDefinitions [-All | -DynamicSignatures | -Engine]
 * One source, two builds (scripts/build-standin.mjs): .build/standin/mpcmdrun-standin (Linux, cc) and
 * .build/standin/MpCmdRun.exe (mingw-w64). It shares the MpClient stand-in's state file, so an update through it
 * raises the versions that MpManagerVersionQuery reports.
 *
 * Where each behaviour comes from (Microsoft documents the arguments, not the output; see also
 * ../shared/reference/mpclient-api.md §13.4):
 *   Arguments: the page "Configure and manage Microsoft Defender Antivirus with the mpcmdrun.exe command-line tool"
 *     and the tool's own -? text (platform 4.18.2006.10): "-SignatureUpdate [-UNC [-Path <path>] | -MMPC]", "if -Path
 *     is not specified, update will be performed directly from the preconfigured UNC location",
 *     "-RemoveDefinitions [-All] | [-Engine] | [-DynamicSignatures]". Commands are matched without regard to case, with
 *     a leading '-' or '/' or none: the scheduled task runs "MpCmdRun.exe SignatureUpdate -ScheduleJob", and a
 *     public argument-obfuscation report shows "/RemoveDefinitions -All" working.
 *   Console lines, as captured in public reports: "Signature update started . . .", the version block ("Service
 *     Version:", "Engine Version:", "AntiSpyware Signature Version:", "AntiVirus Signature Version:"), "Signature
 *     update finished." / "Signature update finished. No updates needed", "ERROR: Signature Update failed with
 *     hr=0x800704e8", "CmdTool: Failed with hr = 0x800704e8. Check <log> for more information", "Starting engine
 *     and signature rollback to none...", "Done!".
 *   MpCmdRun.log (in %TEMP%; %WINDIR%\Temp for SYSTEM): UTF-16LE (a public log checker decodes it so); sections framed
 *     by a line of 85 dashes, "MpCmdRun: Command Line: <command line>", " Start Time: <date, U+200E before each
 *     part>", the lines, "MpCmdRun: End Time: <date>". Signature-update lines from public logs: "Update Started",
 *     "Search Started (WSUS update) (Path: <url>)...", "Search Completed ", "Update completed succesfully. no updates
 *     needed" (sic), "Update failed with hr: 0x...", and the command's result "MpCmdRun.exe: hr = 0x....". A BOM is
 *     written because PowerShell's Get-Content shows public logs as text, which it only does for UTF-16 with one.
 *   Exit codes: documented for -Scan only (0; 2 when "there is error in scanning"). For -SignatureUpdate and
 *     -RemoveDefinitions nothing is documented: public scripts treat 0 as success and a public capture shows 2 for
 *     a failed command, so this returns 0 on success and 2 on every failure, bad arguments included (after the
 *     usage text); -? and -h return 0.
 * Not from any source (the stand-in's own choices, so the app can tell cases apart): a -Path folder that does not
 * exist fails with 0x80070003, one without <arch>\mpam-fe.exe with 0x80070002; the console line before "Done!" for
 * -DynamicSignatures and -Engine is unknown and left out.
 *
 * Environment:
 *   MPCMDRUN_STANDIN_SCENARIO  success (default) | up-to-date | bad-package | access-denied | slow
 *     success        the update installs: AV and AS signature build +1 in the state file
 *     up-to-date     "no updates needed"; versions unchanged
 *     bad-package    the package is refused with 0x8050A004 (ERROR_MP_BADDB_CONTENT)
 *     access-denied  every command fails with 0x80070005
 *     slow           as success, lines paced by MPCMDRUN_STANDIN_STEP_MS over about 14 steps; it also starts a
 *                    helper copy of itself (the real tool can re-invoke itself: "-Reinvoke" is seen in process
 *                    lists), so stopping it takes ending the process tree
 *   MPCMDRUN_STANDIN_LOG_DIR   folder of MpCmdRun.log (default: the temp folder)
 *   MPCMDRUN_STANDIN_STEP_MS   pace of the slow scenario, ms (default 400)
 *   MPCMDRUN_STANDIN_ARCH      x64 (default) | arm64: the sub-folder -UNC -Path must hold
 *   MPCMDRUN_STANDIN_PIDFILE   the slow scenario writes "<its pid> <helper pid>" there
 *   MPCMDRUN_STANDIN_ARGS_FILE each run appends one line there: its arguments (the program's name left out),
 *                              UTF-8, separated by tabs, exactly as it received them, so tests can check what the app
 *                              asked for (the log's "Command Line:" is one string, and on Linux not quoted)
 *   MPCLIENT_STANDIN_STATE     state file shared with mpclient_standin.c (format in its header comment)
 */
#ifdef _WIN32
#  ifndef _WIN32_WINNT
#    define _WIN32_WINNT 0x0601
#  endif
#  define WIN32_LEAN_AND_MEAN
#  include <windows.h>
#  include <shellapi.h>
#else
#  define _GNU_SOURCE
#  include <errno.h>
#  include <fcntl.h>
#  include <signal.h>
#  include <sys/stat.h>
#  include <sys/wait.h>
#  include <time.h>
#  include <unistd.h>
#endif

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_OK 0
#define EXIT_FAILED 2

#define HR_OK 0x00000000u
#define HR_FILE_NOT_FOUND 0x80070002u
#define HR_PATH_NOT_FOUND 0x80070003u
#define HR_ACCESS_DENIED 0x80070005u
#define HR_BADDB_CONTENT 0x8050A004u

#define HELPER_ENV "MPCMDRUN_STANDIN_HELPER"
#define HELPER_LIFETIME_MS 60000u
#define PATH_MAX_UTF8 2048
#define LINE_MAX_UTF8 4096

static const char LOG_RULE[] = "-------------------------------------------------------------------------------------";

/* ======================================================================== */
/* Platform layer                                                           */
/* ======================================================================== */

static const char *const DAY_NAMES[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const MONTH_NAMES[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
/* U+200E LEFT-TO-RIGHT MARK in UTF-8: the real log puts one before each part of its dates. */
#define LRM "\xE2\x80\x8E"

#ifdef _WIN32
#  define PATH_SEP '\\'
static void sleep_ms(unsigned ms) { Sleep(ms); }
static int to_wide(const char *utf8, wchar_t *out, int n)
{
    return MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, n) > 0;
}
static int to_utf8(const wchar_t *w, char *out, int n) { return WideCharToMultiByte(CP_UTF8, 0, w, -1, out, n, NULL, NULL) > 0; }
/* Not getenv: that is the CRT's copy in the ANSI code page; a path in another script would not survive it. */
static int env_get(const char *name, char *buf, size_t size)
{
    wchar_t wname[128], wval[PATH_MAX_UTF8];
    DWORD n;
    buf[0] = 0;
    if (!to_wide(name, wname, 128)) return 0;
    n = GetEnvironmentVariableW(wname, wval, PATH_MAX_UTF8);
    if (n == 0 || n >= PATH_MAX_UTF8) return 0;
    return to_utf8(wval, buf, (int)size);
}
static FILE *open_file(const char *path, const char *mode)
{
    wchar_t wpath[PATH_MAX_UTF8], wmode[8];
    if (!to_wide(path, wpath, PATH_MAX_UTF8) || !to_wide(mode, wmode, 8)) return NULL;
    return _wfopen(wpath, wmode);
}
static int path_kind(const char *path) /* 0 missing, 1 file, 2 folder */
{
    wchar_t wpath[PATH_MAX_UTF8];
    DWORD a;
    if (!to_wide(path, wpath, PATH_MAX_UTF8)) return 0;
    a = GetFileAttributesW(wpath);
    if (a == INVALID_FILE_ATTRIBUTES) return 0;
    return (a & FILE_ATTRIBUTE_DIRECTORY) ? 2 : 1;
}
static int replace_file(const char *from, const char *to)
{
    wchar_t wfrom[PATH_MAX_UTF8], wto[PATH_MAX_UTF8];
    if (!to_wide(from, wfrom, PATH_MAX_UTF8) || !to_wide(to, wto, PATH_MAX_UTF8)) return -1;
    return MoveFileExW(wfrom, wto, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) ? 0 : -1;
}
static void default_tmpdir(char *buf, size_t size)
{
    wchar_t w[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, w);
    if (n == 0 || n > MAX_PATH || !to_utf8(w, buf, (int)size)) snprintf(buf, size, "C:\\Windows\\Temp\\");
}
static unsigned long process_id(void) { return (unsigned long)GetCurrentProcessId(); }
static uint64_t filetime_now(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}
static void local_date(char *buf, size_t size)
{
    SYSTEMTIME t;
    GetLocalTime(&t);
    snprintf(buf, size, LRM "%s " LRM "%s " LRM "%02u " LRM "%04u %02u:%02u:%02u", DAY_NAMES[t.wDayOfWeek % 7],
             MONTH_NAMES[(t.wMonth + 11) % 12], t.wDay, t.wYear, t.wHour, t.wMinute, t.wSecond);
}
static void command_line(char *buf, size_t size, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!to_utf8(GetCommandLineW(), buf, (int)size)) snprintf(buf, size, "MpCmdRun.exe");
}

typedef struct {
    HANDLE process;
    unsigned long pid;
} Helper;
/* The helper is this program again, told by an environment variable to only wait. Handles are not inherited, so
 * it never holds the caller's pipes. */
static int helper_start(Helper *h)
{
    wchar_t exe[MAX_PATH + 1], cmd[MAX_PATH + 3];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD n = GetModuleFileNameW(NULL, exe, MAX_PATH + 1);
    if (n == 0 || n > MAX_PATH) return 0;
    _snwprintf(cmd, MAX_PATH + 3, L"\"%ls\"", exe);
    cmd[MAX_PATH + 2] = 0;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    SetEnvironmentVariableW(L"" HELPER_ENV, L"1");
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
        SetEnvironmentVariableW(L"" HELPER_ENV, NULL);
        return 0;
    }
    SetEnvironmentVariableW(L"" HELPER_ENV, NULL);
    CloseHandle(pi.hThread);
    h->process = pi.hProcess;
    h->pid = pi.dwProcessId;
    return 1;
}
static void helper_stop(Helper *h)
{
    if (!h->process) return;
    TerminateProcess(h->process, 0);
    WaitForSingleObject(h->process, 5000);
    CloseHandle(h->process);
    h->process = NULL;
}
static char **utf8_argv(int *argc, char **argv)
{
    int n, i;
    wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
    char **out;
    if (!w) return argv;
    out = calloc((size_t)n + 1, sizeof *out);
    for (i = 0; out && i < n; i++) {
        out[i] = malloc(PATH_MAX_UTF8);
        if (!out[i] || !to_utf8(w[i], out[i], PATH_MAX_UTF8)) {
            LocalFree(w);
            return argv;
        }
    }
    LocalFree(w);
    if (!out) return argv;
    *argc = n;
    return out;
}
#else
#  define PATH_SEP '/'
static void sleep_ms(unsigned ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
static int env_get(const char *name, char *buf, size_t size)
{
    const char *v = getenv(name);
    buf[0] = 0;
    if (!v || strlen(v) >= size) return 0;
    memcpy(buf, v, strlen(v) + 1);
    return 1;
}
static FILE *open_file(const char *path, const char *mode) { return fopen(path, mode); }
static int path_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    return S_ISDIR(st.st_mode) ? 2 : 1;
}
static int replace_file(const char *from, const char *to) { return rename(from, to); }
static void default_tmpdir(char *buf, size_t size)
{
    const char *t = getenv("TMPDIR");
    snprintf(buf, size, "%s/", t && *t && strlen(t) < size - 2 ? t : "/tmp");
}
static unsigned long process_id(void) { return (unsigned long)getpid(); }
static uint64_t filetime_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100u;
}
static void local_date(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm t;
    localtime_r(&now, &t);
    snprintf(buf, size, LRM "%s " LRM "%s " LRM "%02d " LRM "%04d %02d:%02d:%02d", DAY_NAMES[t.tm_wday % 7],
             MONTH_NAMES[t.tm_mon % 12], t.tm_mday, t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
}
/* What Windows would hand the program: its own path quoted, then the arguments as typed. */
static void command_line(char *buf, size_t size, int argc, char **argv)
{
    int i;
    snprintf(buf, size, "\"%s\"", argv[0]);
    for (i = 1; i < argc; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, " %s", argv[i]);
    }
}

typedef struct {
    pid_t process;
    unsigned long pid;
} Helper;
static int helper_start(Helper *h)
{
    pid_t pid;
    fflush(NULL);
    pid = fork();
    if (pid < 0) return 0;
    if (pid == 0) {
        /* The helper waits without holding the caller's pipes; it does not watch its parent, so only ending the
         * process group (or tree) ends it early. */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        sleep_ms(HELPER_LIFETIME_MS);
        _exit(0);
    }
    h->process = pid;
    h->pid = (unsigned long)pid;
    return 1;
}
static void helper_stop(Helper *h)
{
    if (h->process <= 0) return;
    kill(h->process, SIGKILL);
    waitpid(h->process, NULL, 0);
    h->process = 0;
}
static char **utf8_argv(int *argc, char **argv)
{
    (void)argc;
    return argv;
}
#endif

static int env_is(const char *name, const char *value)
{
    char buf[64];
    return env_get(name, buf, sizeof buf) && strcmp(buf, value) == 0;
}

static unsigned env_uint(const char *name, unsigned dflt)
{
    char buf[32], *end;
    unsigned long v;
    if (!env_get(name, buf, sizeof buf) || !buf[0]) return dflt;
    v = strtoul(buf, &end, 10);
    return (*end || v > 60000ul) ? dflt : (unsigned)v;
}

static int same_text(const char *a, const char *b) /* ASCII, case-insensitive */
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;
        if (x != y) return 0;
    }
    return *a == *b;
}

static void join_path(char *out, size_t size, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    int has_sep = n > 0 && (dir[n - 1] == PATH_SEP || dir[n - 1] == '/');
    snprintf(out, size, "%s%s%s", dir, has_sep ? "" : (const char[]){PATH_SEP, 0}, name);
}

/* ======================================================================== */
/* Console and MpCmdRun.log                                                 */
/* ======================================================================== */

static char g_log_path[PATH_MAX_UTF8];

static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
}

static size_t utf8_to_utf16le(const char *s, unsigned char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n + 4 <= cap) {
        uint32_t c;
        if (*p < 0x80) c = *p++;
        else if ((*p & 0xE0) == 0xC0 && p[1]) c = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F), p += 2;
        else if ((*p & 0xF0) == 0xE0 && p[1] && p[2])
            c = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F), p += 3;
        else if ((*p & 0xF8) == 0xF0 && p[1] && p[2] && p[3])
            c = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) |
                (p[3] & 0x3F),
            p += 4;
        else c = 0xFFFD, p++;
        if (c >= 0x10000) {
            uint32_t v = c - 0x10000, hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
            out[n++] = (unsigned char)hi, out[n++] = (unsigned char)(hi >> 8);
            out[n++] = (unsigned char)lo, out[n++] = (unsigned char)(lo >> 8);
        } else {
            out[n++] = (unsigned char)c, out[n++] = (unsigned char)(c >> 8);
        }
    }
    return n;
}

/* One line per open-append-close, written whole, so a reader tailing the file sees complete lines or none. */
static void log_line(const char *fmt, ...)
{
    char text[LINE_MAX_UTF8];
    unsigned char bytes[2 * LINE_MAX_UTF8 + 8];
    size_t n = 0;
    FILE *f;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    f = open_file(g_log_path, "ab");
    if (!f) return;
    fseek(f, 0, SEEK_END);
    if (ftell(f) == 0) bytes[n++] = 0xFF, bytes[n++] = 0xFE;
    n += utf8_to_utf16le(text, bytes + n, sizeof bytes - n - 4);
    bytes[n++] = '\r', bytes[n++] = 0, bytes[n++] = '\n', bytes[n++] = 0;
    fwrite(bytes, 1, n, f);
    fclose(f);
}

static void log_open_section(int argc, char **argv)
{
    char cmd[LINE_MAX_UTF8 - 64], date[96];
    command_line(cmd, sizeof cmd, argc, argv);
    local_date(date, sizeof date);
    log_line("%s", LOG_RULE);
    log_line("MpCmdRun: Command Line: %s", cmd);
    log_line(" Start Time: %s", date);
    log_line("");
    log_line("MpEnsureProcessMitigationPolicy: hr = 0x1");
}

static int log_close_section(uint32_t hr)
{
    char date[96];
    local_date(date, sizeof date);
    log_line("MpCmdRun.exe: hr = 0x%" PRIx32 ".", hr);
    log_line("MpCmdRun: End Time: %s", date);
    log_line("%s", LOG_RULE);
    log_line("");
    return hr == HR_OK ? EXIT_OK : EXIT_FAILED;
}

static int cmdtool_failed(uint32_t hr)
{
    say("CmdTool: Failed with hr = 0x%08" PRIx32 ". Check %s for more information", hr, g_log_path);
    return log_close_section(hr);
}

/* ======================================================================== */
/* State file shared with the MpClient stand-in                             */
/* ======================================================================== */

#define STATE_LINES 128
#define STATE_LINE_LEN 512

typedef struct {
    char line[STATE_LINES][STATE_LINE_LEN];
    int count;
} StateFile;

typedef struct {
    unsigned part[4];
} Version;

static void state_path(char *buf, size_t size)
{
    if (env_get("MPCLIENT_STANDIN_STATE", buf, size) && buf[0]) return;
    default_tmpdir(buf, size);
    if (strlen(buf) + 32 < size) strcat(buf, "mpclient-standin-state.txt");
}

/* Every line is kept as it was, so keys this program does not know survive its writes. */
static void state_read(StateFile *s)
{
    char path[PATH_MAX_UTF8];
    FILE *f;
    s->count = 0;
    state_path(path, sizeof path);
    f = open_file(path, "r");
    if (!f) {
        strcpy(s->line[s->count++], "# Defender Updater MpClient stand-in state (key=value)");
        return;
    }
    while (s->count < STATE_LINES && fgets(s->line[s->count], STATE_LINE_LEN, f)) {
        char *l = s->line[s->count];
        size_t n = strlen(l);
        while (n && (l[n - 1] == '\n' || l[n - 1] == '\r')) l[--n] = 0;
        s->count++;
    }
    fclose(f);
}

static const char *state_get(const StateFile *s, const char *key)
{
    size_t k = strlen(key);
    int i;
    for (i = 0; i < s->count; i++)
        if (strncmp(s->line[i], key, k) == 0 && s->line[i][k] == '=') return s->line[i] + k + 1;
    return NULL;
}

static void state_set(StateFile *s, const char *key, const char *value)
{
    size_t k = strlen(key);
    int i;
    for (i = 0; i < s->count; i++)
        if (strncmp(s->line[i], key, k) == 0 && s->line[i][k] == '=') break;
    if (i == s->count) {
        if (s->count == STATE_LINES) return;
        s->count++;
    }
    snprintf(s->line[i], STATE_LINE_LEN, "%s=%s", key, value);
}

static int state_write(const StateFile *s)
{
    char path[PATH_MAX_UTF8], tmp[PATH_MAX_UTF8 + 64];
    FILE *f;
    int i, ok;
    state_path(path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.tmp-mpcmdrun-%lu", path, process_id());
    f = open_file(tmp, "w");
    if (!f) return 0;
    for (i = 0, ok = 1; ok && i < s->count; i++) ok = fprintf(f, "%s\n", s->line[i]) > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || replace_file(tmp, path) != 0) {
        remove(tmp);
        return 0;
    }
    return 1;
}

/* The MpClient stand-in's defaults (mpclient_standin.c state_defaults), so either program may create the file. */
static Version version_default(const char *component)
{
    Version v = {{1, 421, 1700, 0}};
    if (strcmp(component, "Service") == 0 || strcmp(component, "Product") == 0) v = (Version){{4, 18, 25010, 11}};
    else if (strcmp(component, "Engine") == 0) v = (Version){{1, 1, 25010, 7}};
    return v;
}

static Version version_get(const StateFile *s, const char *component)
{
    char key[64];
    const char *text;
    Version v = version_default(component);
    unsigned a, b, c, d;
    snprintf(key, sizeof key, "%s.Version", component);
    text = state_get(s, key);
    if (text && sscanf(text, "%u.%u.%u.%u", &a, &b, &c, &d) == 4 && a < 65536 && b < 65536 && c < 65536 && d < 65536)
        v = (Version){{a, b, c, d}};
    return v;
}

static void version_set(StateFile *s, const char *component, Version v, int touch_time)
{
    char key[64], value[64];
    snprintf(key, sizeof key, "%s.Version", component);
    snprintf(value, sizeof value, "%u.%u.%u.%u", v.part[0], v.part[1], v.part[2], v.part[3]);
    state_set(s, key, value);
    if (touch_time) {
        snprintf(key, sizeof key, "%s.UpdateTime", component);
        snprintf(value, sizeof value, "%" PRIu64, filetime_now());
        state_set(s, key, value);
    }
}

static void say_versions(void)
{
    StateFile s;
    Version v;
    state_read(&s);
    v = version_get(&s, "Service");
    say("Service Version: %u.%u.%u.%u", v.part[0], v.part[1], v.part[2], v.part[3]);
    v = version_get(&s, "Engine");
    say("Engine Version: %u.%u.%u.%u", v.part[0], v.part[1], v.part[2], v.part[3]);
    v = version_get(&s, "ASSignature");
    say("AntiSpyware Signature Version: %u.%u.%u.%u", v.part[0], v.part[1], v.part[2], v.part[3]);
    v = version_get(&s, "AVSignature");
    say("AntiVirus Signature Version: %u.%u.%u.%u", v.part[0], v.part[1], v.part[2], v.part[3]);
}

/* build += delta (the third part, as the MpClient stand-in counts updates), clamped at 0. */
static void shift_build(StateFile *s, const char *component, int delta)
{
    Version v = version_get(s, component);
    int build = (int)v.part[2] + delta;
    v.part[2] = build < 0 ? 0u : (unsigned)build & 0xFFFFu;
    version_set(s, component, v, 1);
}

/* ======================================================================== */
/* Commands                                                                 */
/* ======================================================================== */

typedef enum { SCN_SUCCESS, SCN_UP_TO_DATE, SCN_BAD_PACKAGE, SCN_ACCESS_DENIED, SCN_SLOW } Scenario;

static Scenario scenario(void)
{
    if (env_is("MPCMDRUN_STANDIN_SCENARIO", "up-to-date")) return SCN_UP_TO_DATE;
    if (env_is("MPCMDRUN_STANDIN_SCENARIO", "bad-package")) return SCN_BAD_PACKAGE;
    if (env_is("MPCMDRUN_STANDIN_SCENARIO", "access-denied")) return SCN_ACCESS_DENIED;
    if (env_is("MPCMDRUN_STANDIN_SCENARIO", "slow")) return SCN_SLOW;
    return SCN_SUCCESS;
}

static const char *option_name(const char *arg)
{
    return (arg[0] == '-' || arg[0] == '/') ? arg + 1 : arg;
}

static int usage(int code)
{
    /* Shortened; the syntax lines follow the real tool's -? text for the commands this stand-in knows. */
    say("Microsoft Antimalware Service Command Line Utility (stand-in for tests)");
    say("");
    say("Usage:");
    say("MpCmdRun.exe [command] [-options]");
    say("");
    say("Command Description");
    say("   -? / -h                                    Displays all available options for this tool");
    say("   -RemoveDefinitions [-All]                  Restores the installed signature definitions to a previous");
    say("                                              backup copy or to the original default set of signatures");
    say("                      [-Engine]               Restores the previous installed engine");
    say("                      [-DynamicSignatures]    Removes only the dynamically downloaded signatures");
    say("   -SignatureUpdate [-UNC [-Path <path>] | -MMPC]");
    say("                                              Checks for new definition updates");
    return code;
}

static void write_pidfile(unsigned long helper_pid)
{
    char path[PATH_MAX_UTF8], tmp[PATH_MAX_UTF8 + 32];
    FILE *f;
    if (!env_get("MPCMDRUN_STANDIN_PIDFILE", path, sizeof path) || !path[0]) return;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = open_file(tmp, "w");
    if (!f) return;
    fprintf(f, "%lu %lu\n", process_id(), helper_pid);
    if (fclose(f) == 0) replace_file(tmp, path);
}

static void record_arguments(int argc, char **argv)
{
    char path[PATH_MAX_UTF8];
    FILE *f;
    int i;
    if (!env_get("MPCMDRUN_STANDIN_ARGS_FILE", path, sizeof path) || !path[0]) return;
    f = open_file(path, "ab");
    if (!f) return;
    for (i = 1; i < argc; i++) fprintf(f, "%s%s", i > 1 ? "\t" : "", argv[i]);
    fputc('\n', f);
    fclose(f);
}

static int signature_update_failed(uint32_t hr, Helper *helper)
{
    if (helper) helper_stop(helper);
    log_line("Update failed with hr: 0x%08" PRIx32, hr);
    say("ERROR: Signature Update failed with hr=0x%08" PRIx32, hr);
    return cmdtool_failed(hr);
}

/* -SignatureUpdate [-UNC [-Path <folder>] | -MMPC] */
static int signature_update(int argc, char **argv, int first)
{
    int unc = 0, mmpc = 0, i;
    const char *folder = NULL;
    char arch[16], package[PATH_MAX_UTF8], archdir[PATH_MAX_UTF8];
    Scenario scn = scenario();
    unsigned step = scn == SCN_SLOW ? env_uint("MPCMDRUN_STANDIN_STEP_MS", 400) : 0;
    Helper helper = {0};
    int have_helper = 0;

    for (i = first; i < argc; i++) {
        const char *o = option_name(argv[i]);
        if (same_text(o, "UNC") && !unc) unc = 1;
        else if (same_text(o, "MMPC") && !mmpc) mmpc = 1;
        else if (same_text(o, "Path") && !folder && i + 1 < argc) folder = argv[++i];
        else return usage(EXIT_FAILED);
    }
    if ((unc && mmpc) || (folder && !unc) || (folder && !folder[0])) return usage(EXIT_FAILED);

    say("Signature update started . . .");
    log_open_section(argc, argv);
    if (scn == SCN_ACCESS_DENIED) return signature_update_failed(HR_ACCESS_DENIED, NULL);
    if (scn == SCN_SLOW) {
        have_helper = helper_start(&helper);
        write_pidfile(have_helper ? helper.pid : 0ul);
    }
    log_line("Update Started");
    sleep_ms(step);
    if (unc && folder) log_line("Search Started (UNC share update) (Path: %s)...", folder);
    else if (unc) log_line("Search Started (UNC share update)...");
    else if (mmpc) log_line("Search Started (Direct HTTP update) (Path: https://go.microsoft.com/fwlink/)...");
    else log_line("Search Started (MU/WU update) (Path: https://fe2cr.update.microsoft.com/v6/)...");

    if (folder) {
        /* As the real tool: the sub-folder for this PC's architecture is added to the path given. */
        if (!env_get("MPCMDRUN_STANDIN_ARCH", arch, sizeof arch) || !(same_text(arch, "arm64"))) strcpy(arch, "x64");
        join_path(archdir, sizeof archdir, folder, arch);
        join_path(package, sizeof package, archdir, "mpam-fe.exe");
        if (path_kind(folder) != 2) return signature_update_failed(HR_PATH_NOT_FOUND, have_helper ? &helper : NULL);
        if (path_kind(package) != 1) return signature_update_failed(HR_FILE_NOT_FOUND, have_helper ? &helper : NULL);
    }
    for (i = 0; i < 8; i++) sleep_ms(step);
    log_line("Search Completed ");
    for (i = 0; i < 4; i++) sleep_ms(step);
    if (have_helper) helper_stop(&helper);

    if (scn == SCN_BAD_PACKAGE) return signature_update_failed(HR_BADDB_CONTENT, NULL);
    if (scn == SCN_UP_TO_DATE) {
        log_line("Update completed succesfully. no updates needed");
        say_versions();
        say("Signature update finished. No updates needed");
    } else {
        StateFile s;
        state_read(&s);
        shift_build(&s, "AVSignature", 1);
        shift_build(&s, "ASSignature", 1);
        if (!state_write(&s)) return signature_update_failed(HR_ACCESS_DENIED, NULL);
        log_line("Update completed succesfully");
        say_versions();
        say("Signature update finished.");
    }
    return log_close_section(HR_OK);
}

/* -RemoveDefinitions [-All | -DynamicSignatures | -Engine] */
static int remove_definitions(int argc, char **argv, int first)
{
    enum { PREVIOUS, ALL, DYNAMIC, ENGINE } what = PREVIOUS;
    StateFile s;
    if (argc - first > 1) return usage(EXIT_FAILED);
    if (argc - first == 1) {
        const char *o = option_name(argv[first]);
        if (same_text(o, "All")) what = ALL;
        else if (same_text(o, "DynamicSignatures")) what = DYNAMIC;
        else if (same_text(o, "Engine")) what = ENGINE;
        else return usage(EXIT_FAILED);
    }
    log_open_section(argc, argv);
    if (scenario() == SCN_ACCESS_DENIED) return cmdtool_failed(HR_ACCESS_DENIED);

    say("");
    say_versions();
    say("");
    state_read(&s);
    if (what == ALL) {
        say("Starting engine and signature rollback to none...");
        version_set(&s, "AVSignature", (Version){{0, 0, 0, 0}}, 1);
        version_set(&s, "ASSignature", (Version){{0, 0, 0, 0}}, 1);
        version_set(&s, "NISSignature", (Version){{0, 0, 0, 0}}, 1);
    } else if (what == PREVIOUS) {
        say("Starting engine and signature rollback to last known good signature...");
        shift_build(&s, "AVSignature", -1);
        shift_build(&s, "ASSignature", -1);
    } else if (what == ENGINE) {
        shift_build(&s, "Engine", -1);
    }
    if (what != DYNAMIC && !state_write(&s)) return cmdtool_failed(HR_ACCESS_DENIED);
    say("Done!");
    if (what == PREVIOUS) {
        say("");
        say_versions();
    }
    return log_close_section(HR_OK);
}

int main(int argc, char **argv)
{
    char dir[PATH_MAX_UTF8];
    const char *command;

    if (env_is(HELPER_ENV, "1")) {
        sleep_ms(HELPER_LIFETIME_MS);
        return 0;
    }
    argv = utf8_argv(&argc, argv);
    record_arguments(argc, argv);
    if (!env_get("MPCMDRUN_STANDIN_LOG_DIR", dir, sizeof dir) || !dir[0]) default_tmpdir(dir, sizeof dir);
    join_path(g_log_path, sizeof g_log_path, dir, "MpCmdRun.log");

    if (argc < 2) return usage(EXIT_FAILED);
    command = option_name(argv[1]);
    if (same_text(command, "?") || same_text(command, "h")) return usage(EXIT_OK);
    if (same_text(command, "SignatureUpdate")) return signature_update(argc, argv, 2);
    if (same_text(command, "RemoveDefinitions")) return remove_definitions(argc, argv, 2);
    return usage(EXIT_FAILED);
}
