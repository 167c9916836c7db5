/*
 * layout-probe: prints the C layout of the structs in mpclient.h as one JSON
 * object on stdout, for the layout test that compares it with the koffi
 * declarations. Built natively and with mingw (layout-probe.exe).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "mpclient.h"

static char out[8192];
static size_t used;

static void add(const char *fmt, ...)
{
    va_list ap;
    int n;
    if (used >= sizeof out) return;
    va_start(ap, fmt);
    n = vsnprintf(out + used, sizeof out - used, fmt, ap);
    va_end(ap);
    if (n > 0) used += (size_t)n;
}

static int first_struct = 1;
static int first_field;

#define STRUCT_BEGIN(S)                                                                       \
    do {                                                                                      \
        add("%s\"" #S "\":{\"size\":%u,\"align\":%u,\"fields\":{", first_struct ? "" : ",",   \
            (unsigned)sizeof(S), (unsigned)_Alignof(S));                                      \
        first_struct = 0;                                                                     \
        first_field = 1;                                                                      \
    } while (0)
#define FIELD(S, f)                                                                           \
    do {                                                                                      \
        add("%s\"" #f "\":%u", first_field ? "" : ",", (unsigned)offsetof(S, f));             \
        first_field = 0;                                                                      \
    } while (0)
#define STRUCT_END() add("}}")

int main(void)
{
    add("{\"pointerSize\":%u,\"structs\":{", (unsigned)sizeof(void *));

    STRUCT_BEGIN(MPCALLBACK_INFO);
    FIELD(MPCALLBACK_INFO, CallbackHandler);
    FIELD(MPCALLBACK_INFO, Context);
    STRUCT_END();

    STRUCT_BEGIN(MPCALLBACK_DATA);
    FIELD(MPCALLBACK_DATA, Notify);
    FIELD(MPCALLBACK_DATA, hResult);
    FIELD(MPCALLBACK_DATA, TimeStamp);
    FIELD(MPCALLBACK_DATA, Type);
    FIELD(MPCALLBACK_DATA, Data);
    STRUCT_END();

    STRUCT_BEGIN(MPSIGUPDATE_DATA);
    FIELD(MPSIGUPDATE_DATA, dwPercentComplete);
    FIELD(MPSIGUPDATE_DATA, dwTotalUpdates);
    FIELD(MPSIGUPDATE_DATA, dwCurrentUpdateIndex);
    FIELD(MPSIGUPDATE_DATA, eType);
    FIELD(MPSIGUPDATE_DATA, Stage);
    FIELD(MPSIGUPDATE_DATA, Path);
    STRUCT_END();

    STRUCT_BEGIN(MPCOMPONENT_VERSION);
    FIELD(MPCOMPONENT_VERSION, Version);
    FIELD(MPCOMPONENT_VERSION, UpdateTime);
    STRUCT_END();

    STRUCT_BEGIN(MPVERSION_INFO);
    FIELD(MPVERSION_INFO, Product);
    FIELD(MPVERSION_INFO, Service);
    FIELD(MPVERSION_INFO, FileSystemFilter);
    FIELD(MPVERSION_INFO, Engine);
    FIELD(MPVERSION_INFO, ASSignature);
    FIELD(MPVERSION_INFO, AVSignature);
    FIELD(MPVERSION_INFO, NISEngine);
    FIELD(MPVERSION_INFO, NISSignature);
    FIELD(MPVERSION_INFO, Reserved);
    STRUCT_END();

    add("}}\n");
    if (used >= sizeof out) return 2;
    return fputs(out, stdout) < 0 || fflush(stdout) != 0 ? 1 : 0;
}
