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

napi_value analyse(napi_env env, napi_callback_info info);

#endif
