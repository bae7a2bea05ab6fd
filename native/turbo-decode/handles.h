/*
 * One TurboJPEG handle of each kind per libuv pool thread, reused from frame
 * to frame (creating one costs more than decoding a 160 px preview), and the
 * promise plumbing shared by the addon's async functions.
 */
#ifndef FOREGSYTE_HANDLES_H
#define FOREGSYTE_HANDLES_H

#include <node_api.h>
#include <turbojpeg.h>

/* The calling thread's handle, created on first use; NULL when it cannot be. */
tjhandle thread_decompressor(void);
tjhandle thread_compressor(void);
/* After a failure: a fresh handle next time, whatever state this one is in. */
void reset_thread_decompressor(void);
void reset_thread_compressor(void);

/* Rejects `deferred` with an Error whose message is `message`. */
void reject_with(napi_env env, napi_deferred deferred, const char *message);
/* A Buffer over malloc'ed pixels (freed by the GC), or a copy where external buffers are refused. */
napi_value pixels_buffer(napi_env env, unsigned char *data, size_t size);
napi_value number_value(napi_env env, double value);

#endif
