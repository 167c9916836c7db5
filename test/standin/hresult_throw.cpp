/*
 * The Windows stand-in reports every failure the way Microsoft's MpClient.dll
 * does: the HRESULT is thrown as a C++ exception (the real one's class is
 * CHResultException) and caught inside the DLL, and only then returned or
 * passed to the callback. That matters to the caller, not to the result:
 * under Wine, a synchronous koffi call into a DLL that throws and catches is
 * not safe, while a koffi `.async` call is (docs/mpclient.md). With the real
 * DLL the process dies at once. With this file, Wine first reports
 * "Unhandled exception 0x20474343" (the code g++ throws with) and tries to
 * start its debugger, then the catch below runs and the call returns the
 * right value. So the Windows test suite runs the binding against a DLL that
 * does this, and a synchronous call shows up on stderr.
 *
 * Windows build only (mingw g++, libstdc++ and libgcc linked statically so the
 * DLL needs no extra DLL). The Linux build has a plain C standin_fail.
 */
#include <windows.h>

#include <cstdint>

namespace {

class CHResultException {
public:
    explicit CHResultException(HRESULT hr) : hr_(hr) {}
    HRESULT hr() const { return hr_; }

private:
    HRESULT hr_;
};

volatile LONG g_caught;

// Not inlined, so the throw really leaves a frame and unwinds it.
__attribute__((noinline)) void throw_hresult(HRESULT hr) { throw CHResultException(hr); }

}  // namespace

extern "C" HRESULT standin_fail(HRESULT hr)
{
    try {
        throw_hresult(hr);
    } catch (const CHResultException &e) {
        InterlockedIncrement(&g_caught);
        return e.hr();
    }
    return hr; // not reached: throw_hresult always throws
}

extern "C" int32_t standin_fail_count(void) { return (int32_t)g_caught; }
