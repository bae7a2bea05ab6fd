/*
 * analyse(pixels: Buffer, width, height, channels, requests: object[])
 *   -> Promise<result[]>
 *
 * On the libuv pool, one result per request: reduce `pixels` to request.width
 * (0: as is; box filter), make it grey when request.grey, then any of:
 * per-channel statistics and mean luma (request.stats), the Laplacian's
 * variance (request.laplacian), clipped fractions (request.clip with
 * request.dark/bright), the difference to request.previous
 * (request.threshold), a JPEG of it (request.quality > 0, tjCompress2: 4:2:0
 * colour or one-component grey). request.keep returns the reduced image itself
 * (when it is not the input). Requests of the same width and greyness share
 * one reduced image: the nodes of one frame go as one batch.
 */
#ifndef FOREGSYTE_ANALYSE_H
#define FOREGSYTE_ANALYSE_H

#include <node_api.h>

#include <stdbool.h>

#include "pixels.h"

napi_value analyse(napi_env env, napi_callback_info info);

/* The same work inside another pool job (decode's `requests`): read on the JS
   thread, run on the pool against `input` (borrowed), results built and the
   batch's memory released on the JS thread. */
typedef struct analyse_batch analyse_batch;
/* False unless `array` holds 1 to 32 request objects. */
bool analyse_batch_read(napi_env env, napi_value array, analyse_batch *batch);
void analyse_batch_run(analyse_batch *batch, const image_t *input);
napi_value analyse_batch_results(napi_env env, analyse_batch *batch);
void analyse_batch_release(napi_env env, analyse_batch *batch);
/* Room for one batch (its size is private to analyse.c). */
analyse_batch *analyse_batch_new(void);

#endif
