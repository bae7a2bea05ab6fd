#include "handles.h"

#include <stdlib.h>
#include <string.h>

#if defined(_MSC_VER)
#define THREAD_LOCAL __declspec(thread)
#else
#define THREAD_LOCAL _Thread_local
#endif

static THREAD_LOCAL tjhandle decompressor = NULL;
static THREAD_LOCAL tjhandle compressor = NULL;

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
