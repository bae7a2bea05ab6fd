#include "handles.h"

#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#elif defined(_WIN32)
#include <windows.h>
#endif

#if defined(_MSC_VER)
#define THREAD_LOCAL __declspec(thread)
#else
#define THREAD_LOCAL _Thread_local
#endif

/* How much nicer than the process pool threads become (Linux nice levels). */
#define POOL_NICE 10

static THREAD_LOCAL int lowered = 0;
static THREAD_LOCAL tjhandle decompressor = NULL;
static THREAD_LOCAL tjhandle compressor = NULL;

void yield_to_main_thread(void) {
  if (lowered) return;
  lowered = 1;
#if defined(__linux__)
  /* On Linux a thread id names one thread for setpriority: only this one changes. */
  id_t tid = (id_t)syscall(SYS_gettid);
  int nice_now = getpriority(PRIO_PROCESS, tid);
  int target = nice_now + POOL_NICE > 19 ? 19 : nice_now + POOL_NICE;
  setpriority(PRIO_PROCESS, tid, target);
#elif defined(_WIN32)
  SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
#endif
}

tjhandle thread_decompressor(void) {
  if (!decompressor) decompressor = tjInitDecompress();
  return decompressor;
}

tjhandle thread_compressor(void) {
  if (!compressor) compressor = tjInitCompress();
  return compressor;
}

void reset_thread_decompressor(void) {
  if (decompressor) tjDestroy(decompressor);
  decompressor = NULL;
}

void reset_thread_compressor(void) {
  if (compressor) tjDestroy(compressor);
  compressor = NULL;
}

void reject_with(napi_env env, napi_deferred deferred, const char *message) {
  napi_value text, error;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, NULL, text, &error);
  napi_reject_deferred(env, deferred, error);
}

static void free_pixels(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

napi_value pixels_buffer(napi_env env, unsigned char *data, size_t size) {
  napi_value buffer;
  if (napi_create_external_buffer(env, size, data, free_pixels, NULL, &buffer) != napi_ok) {
    /* Electron's memory cage forbids external buffers: copy instead. */
    void *copy = NULL;
    napi_create_buffer_copy(env, size, data, &copy, &buffer);
    free(data);
  }
  return buffer;
}

napi_value number_value(napi_env env, double value) {
  napi_value out;
  napi_create_double(env, value, &out);
  return out;
}
