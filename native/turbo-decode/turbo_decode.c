/*
 * decode(jpeg: Buffer, targetWidth: number | null, grey: boolean, luma: boolean,
 *        requests?: object[])
 *   -> Promise<{ data: Buffer, width, height, channels, sourceWidth, sourceHeight,
 *                analyses?: result[] }>
 *
 * Reads the JPEG header, picks the smallest TurboJPEG scaling factor whose
 * scaled width is still >= targetWidth (full size for 0/null), decodes to
 * 8-bit grey or RGB, and box-reduces the rest of the way to targetWidth
 * (height from the full-size aspect ratio), all on the libuv thread pool.
 *
 * Grey from a colour JPEG: with `luma`, TurboJPEG decodes the Y component
 * only (no chroma IDCT, upsampling or colour conversion); without it, through
 * RGB to the luminance sharp computes (toColourspace('b-w')).
 *
 * analyse(...) (analyse.c) measures and encodes decoded images on the pool too;
 * decode's `requests` (analyse's, 1 to 32) run on the decoded image in the same
 * pool job, their results in `analyses`: one job per frame instead of two.
 */
#include <math.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "analyse.h"
#include "handles.h"
#include "pixels.h"

/* Grey from colour the way libvips (sharp's toColourspace('b-w')) does it:
   Rec. 709 luminance of linear-light RGB, encoded back with the sRGB curve.
   Tables are filled once at module load, on the JS thread. */
#define ENCODE_STEPS 65535
static float srgb_to_linear[256];
static unsigned char linear_to_srgb[ENCODE_STEPS + 1];

static void init_tables(void) {
  static int ready = 0;
  if (ready) return;
  for (int i = 0; i < 256; i++) {
    double v = i / 255.0;
    srgb_to_linear[i] = (float)(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4));
  }
  for (int i = 0; i <= ENCODE_STEPS; i++) {
    double y = (double)i / ENCODE_STEPS;
    double v = y <= 0.0031308 ? 12.92 * y : 1.055 * pow(y, 1 / 2.4) - 0.055;
    int level = (int)lround(v * 255.0);
    linear_to_srgb[i] = (unsigned char)(level < 0 ? 0 : level > 255 ? 255 : level);
  }
  ready = 1;
}

/* In place: packed RGB -> grey (the first third of the buffer). */
static void rgb_to_luminance(unsigned char *pixels, size_t count) {
  for (size_t i = 0, j = 0; i < count; i++, j += 3) {
    float y = 0.2126f * srgb_to_linear[pixels[j]] + 0.7152f * srgb_to_linear[pixels[j + 1]] +
              0.0722f * srgb_to_linear[pixels[j + 2]];
    int index = (int)(y * ENCODE_STEPS + 0.5f);
    pixels[i] = linear_to_srgb[index < 0 ? 0 : index > ENCODE_STEPS ? ENCODE_STEPS : index];
  }
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref;
  const unsigned char *jpeg;
  size_t jpeg_size;
  int target_width;
  int grey;
  int luma;
  image_t out;
  int source_width;
  int source_height;
  analyse_batch *batch;
  char error[256];
} decode_job;

static void set_error(decode_job *job, const char *what, tjhandle handle) {
  const char *detail = tjGetErrorStr2(handle);
  snprintf(job->error, sizeof job->error, "turbo-decode: %s: %s", what,
           detail ? detail : "unknown error");
}

/* The smallest DCT-scaled size whose width is still >= target (full size for 0). */
static void scaled_size(int width, int height, int target, int *out_w, int *out_h) {
  *out_w = width;
  *out_h = height;
  if (target <= 0 || target >= width) return;
  int count = 0;
  tjscalingfactor *factors = tjGetScalingFactors(&count);
  for (int i = 0; factors && i < count; i++) {
    int sw = TJSCALED(width, factors[i]);
    if (sw >= target && sw < *out_w) {
      *out_w = sw;
      *out_h = TJSCALED(height, factors[i]);
    }
  }
}

/* The station's marker walk (checkJpeg) refuses frames with many scans before
   they get here; TurboJPEG's own scan limit bounds a frame that arrives anyway. */
#ifdef TJFLAG_LIMITSCANS
#define DECODE_FLAGS TJFLAG_LIMITSCANS
#else
#define DECODE_FLAGS 0
#endif

static int decompress(decode_job *job, tjhandle handle, int *colorspace) {
  int width = 0, height = 0, subsamp = 0;
  unsigned long size = (unsigned long)job->jpeg_size;
  if (tjDecompressHeader3(handle, job->jpeg, size, &width, &height, &subsamp, colorspace) != 0) {
    set_error(job, "bad JPEG header", handle);
    return -1;
  }
  if (*colorspace == TJCS_CMYK || *colorspace == TJCS_YCCK) {
    snprintf(job->error, sizeof job->error, "turbo-decode: CMYK/YCCK JPEG not supported");
    return -1;
  }
  if (width <= 0 || height <= 0) {
    snprintf(job->error, sizeof job->error, "turbo-decode: bad image size");
    return -1;
  }
  int out_w, out_h;
  scaled_size(width, height, job->target_width, &out_w, &out_h);
  int direct_grey = job->grey && (*colorspace == TJCS_GRAY || job->luma);
  int pf = direct_grey ? TJPF_GRAY : TJPF_RGB;
  size_t bytes = (size_t)out_w * (size_t)out_h * (size_t)(pf == TJPF_GRAY ? 1 : 3);
  unsigned char *pixels = (unsigned char *)malloc(bytes);
  if (!pixels) {
    snprintf(job->error, sizeof job->error, "turbo-decode: out of memory");
    return -1;
  }
  /* Warnings (e.g. a truncated but usable frame) count as failures here, so the
     caller can decide with another decoder. */
  if (tjDecompress2(handle, job->jpeg, size, pixels, out_w, 0, out_h, pf, DECODE_FLAGS) != 0) {
    set_error(job, "decode failed", handle);
    free(pixels);
    return -1;
  }
  if (job->grey && pf == TJPF_RGB) rgb_to_luminance(pixels, (size_t)out_w * (size_t)out_h);
  image_t decoded = {pixels, out_w, out_h, job->grey ? 1 : 3, 1};
  job->out = decoded;
  job->source_width = width;
  job->source_height = height;
  return 0;
}

/* The rest of the way to the exact width, at the height sharp's resize gives. */
static void reduce_to_target(decode_job *job) {
  int target = job->target_width;
  if (target <= 0 || target >= job->out.width) return;
  double h = floor((double)job->source_height * target / job->source_width + 0.5);
  image_t reduced;
  if (reduce_to_width(&job->out, target, h < 1 ? 1 : (int)h, &reduced) != 0) {
    snprintf(job->error, sizeof job->error, "turbo-decode: out of memory");
    image_free(&job->out);
    return;
  }
  image_free(&job->out);
  job->out = reduced;
}

static void execute(napi_env env, void *data) {
  (void)env;
  decode_job *job = (decode_job *)data;
  if (job->jpeg_size == 0 || job->jpeg_size > (size_t)0x7fffffff) {
    snprintf(job->error, sizeof job->error, "turbo-decode: empty or oversized input");
    return;
  }
  tjhandle handle = thread_decompressor();
  if (!handle) {
    snprintf(job->error, sizeof job->error, "turbo-decode: cannot create a decompressor");
    return;
  }
  int colorspace = 0;
  if (decompress(job, handle, &colorspace) != 0) {
    reset_thread_decompressor();
    return;
  }
  reduce_to_target(job);
  if (job->error[0] == 0 && job->batch) analyse_batch_run(job->batch, &job->out);
}

static void set_int(napi_env env, napi_value object, const char *name, int value) {
  napi_value v;
  napi_create_int32(env, value, &v);
  napi_set_named_property(env, object, name, v);
}

static void free_decode_job(napi_env env, decode_job *job) {
  if (job->batch) {
    analyse_batch_release(env, job->batch);
    free(job->batch);
  }
  if (job->input_ref) napi_delete_reference(env, job->input_ref);
  if (job->work) napi_delete_async_work(env, job->work);
  free(job);
}

static void complete(napi_env env, napi_status status, void *data) {
  decode_job *job = (decode_job *)data;
  if (status != napi_ok && job->error[0] == 0) {
    snprintf(job->error, sizeof job->error, "turbo-decode: cancelled");
  }
  if (job->error[0] != 0) {
    image_free(&job->out);
    reject_with(env, job->deferred, job->error);
  } else {
    napi_value result;
    size_t size = (size_t)job->out.width * job->out.height * job->out.channels;
    napi_create_object(env, &result);
    napi_set_named_property(env, result, "data", pixels_buffer(env, job->out.data, size));
    set_int(env, result, "width", job->out.width);
    set_int(env, result, "height", job->out.height);
    set_int(env, result, "channels", job->out.channels);
    set_int(env, result, "sourceWidth", job->source_width);
    set_int(env, result, "sourceHeight", job->source_height);
    if (job->batch) {
      napi_set_named_property(env, result, "analyses", analyse_batch_results(env, job->batch));
    }
    napi_resolve_deferred(env, job->deferred, result);
  }
  free_decode_job(env, job);
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static bool bool_arg(napi_env env, size_t argc, napi_value *argv, size_t index) {
  bool value = false;
  if (argc > index) {
    napi_value coerced;
    napi_coerce_to_bool(env, argv[index], &coerced);
    napi_get_value_bool(env, coerced, &value);
  }
  return value;
}

/* decode's optional fifth argument: analyse requests, or NULL (a TypeError is pending on failure). */
static bool read_requests(napi_env env, size_t argc, napi_value *argv, analyse_batch **out) {
  *out = NULL;
  if (argc < 5) return true;
  napi_valuetype t;
  napi_typeof(env, argv[4], &t);
  if (t == napi_undefined || t == napi_null) return true;
  analyse_batch *batch = analyse_batch_new();
  if (!batch || !analyse_batch_read(env, argv[4], batch)) {
    if (batch) analyse_batch_release(env, batch);
    free(batch);
    napi_throw_type_error(env, NULL, "decode: requests must be an array of 1 to 32 objects");
    return false;
  }
  *out = batch;
  return true;
}

static napi_value decode(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1) return throw_type(env, "decode(jpeg, targetWidth, grey, luma): jpeg is required");
  bool is_buffer = false;
  napi_is_buffer(env, argv[0], &is_buffer);
  if (!is_buffer) return throw_type(env, "decode: jpeg must be a Buffer");
  void *bytes = NULL;
  size_t length = 0;
  if (napi_get_buffer_info(env, argv[0], &bytes, &length) != napi_ok) return NULL;

  int target = 0;
  if (argc >= 2) {
    napi_valuetype t;
    napi_typeof(env, argv[1], &t);
    if (t == napi_number) {
      double d = 0;
      napi_get_value_double(env, argv[1], &d);
      if (d > 0 && d < 1e9) target = (int)d;
    } else if (t != napi_null && t != napi_undefined) {
      return throw_type(env, "decode: targetWidth must be a number or null");
    }
  }

  analyse_batch *batch = NULL;
  if (!read_requests(env, argc, argv, &batch)) return NULL;
  decode_job *job = (decode_job *)calloc(1, sizeof(decode_job));
  if (!job) {
    if (batch) analyse_batch_release(env, batch);
    free(batch);
    napi_throw_error(env, NULL, "turbo-decode: out of memory");
    return NULL;
  }
  job->batch = batch;
  job->jpeg = (const unsigned char *)bytes;
  job->jpeg_size = length;
  job->target_width = target;
  job->grey = bool_arg(env, argc, argv, 2) ? 1 : 0;
  job->luma = bool_arg(env, argc, argv, 3) ? 1 : 0;

  napi_value promise, name;
  /* Keep the input alive (and its memory in place) until the work completes. */
  napi_create_reference(env, argv[0], 1, &job->input_ref);
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "turbo-decode", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    reject_with(env, job->deferred, "turbo-decode: cannot queue work");
    free_decode_job(env, job);
  }
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  init_tables();
  napi_create_function(env, "decode", NAPI_AUTO_LENGTH, decode, NULL, &fn);
  napi_set_named_property(env, exports, "decode", fn);
  napi_create_function(env, "analyse", NAPI_AUTO_LENGTH, analyse, NULL, &fn);
  napi_set_named_property(env, exports, "analyse", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
