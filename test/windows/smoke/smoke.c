// Smoke-test DLL for the Wine + node.exe + koffi chain.
// Build: x86_64-w64-mingw32-gcc -shared -O2 -o smoke.dll smoke.c
//
// SmokeRun(cb, ctx, count) starts a native thread (CreateThread) that calls the
// __stdcall callback `count` times with a pointer to a SmokeItem, sums what the
// callback returns, then makes one last call with index == -1 and value == sum.
// This mirrors how MpClient.dll reports progress from its own threads.

#include <windows.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct SmokeItem {
    int32_t index;
    int32_t total;
    uint32_t threadId; // native thread that made the call
    uint32_t reserved;
    double value;
    char tag[8];
} SmokeItem;

typedef int(__stdcall *SmokeCallback)(uint64_t ctx, void *data);

typedef struct Job {
    SmokeCallback cb;
    uint64_t ctx;
    int32_t count;
} Job;

static DWORD WINAPI Worker(LPVOID param)
{
    Job *job = (Job *)param;
    int64_t sum = 0;
    for (int32_t i = 0; i < job->count; i++) {
        SmokeItem item;
        memset(&item, 0, sizeof(item));
        item.index = i;
        item.total = job->count;
        item.threadId = GetCurrentThreadId();
        item.value = i * 0.5;
        strcpy(item.tag, "smoke");
        sum += job->cb(job->ctx, &item);
    }
    SmokeItem done;
    memset(&done, 0, sizeof(done));
    done.index = -1;
    done.total = job->count;
    done.threadId = GetCurrentThreadId();
    done.value = (double)sum;
    strcpy(done.tag, "done");
    job->cb(job->ctx, &done);
    free(job);
    return 0;
}

// Returns 0 once the thread is started, or GetLastError() on failure.
__declspec(dllexport) int32_t __stdcall SmokeRun(SmokeCallback cb, uint64_t ctx, int32_t count)
{
    Job *job = (Job *)malloc(sizeof(Job));
    if (!job)
        return ERROR_NOT_ENOUGH_MEMORY;
    job->cb = cb;
    job->ctx = ctx;
    job->count = count;
    HANDLE thread = CreateThread(NULL, 0, Worker, job, 0, NULL);
    if (!thread) {
        DWORD err = GetLastError();
        free(job);
        return (int32_t)err;
    }
    CloseHandle(thread);
    return 0;
}
