/*
 * decode(jpeg: Buffer, targetWidth: number | null, grey: boolean)
 *   -> Promise<{ data: Buffer, width, height, channels, sourceWidth, sourceHeight }>
 *
 * Reads the JPEG header, picks the smallest TurboJPEG scaling factor whose
 * scaled width is still >= targetWidth (full size for 0/null), and decodes to
 * 8-bit grey or RGB on the libuv thread pool. One tjhandle per call.
 */
#include <node_api.h>
#include <turbojpeg.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <math.h>

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
static void rgb_to_grey(unsigned char *pixels, size_t count) {
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
  unsigned char *out;
  int width;
  int height;
  int channels;
  int source_width;
  int source_height;
  char error[256];
} decode_job;

static void set_error(decode_job *job, const char *what, tjhandle handle) {
  const char *detail = handle ? tjGetErrorStr2(handle) : tjGetErrorStr2(NULL);
  snprintf(job->error, sizeof job->error, "turbo-decode: %s: %s", what,
           detail ? detail : "unknown error");
}

static void execute(napi_env env, void *data) {
  (void)env;
  decode_job *job = (decode_job *)data;
  if (job->jpeg_size == 0 || job->jpeg_size > (size_t)0x7fffffff) {
    snprintf(job->error, sizeof job->error, "turbo-decode: empty or oversized input");
    return;
  }
  tjhandle handle = tjInitDecompress();
  if (!handle) {
    set_error(job, "cannot create a decompressor", NULL);
    return;
  }
  int width = 0, height = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(handle, job->jpeg, (unsigned long)job->jpeg_size, &width, &height,
                          &subsamp, &colorspace) != 0) {
    set_error(job, "bad JPEG header", handle);
    tjDestroy(handle);
    return;
  }
  if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
    snprintf(job->error, sizeof job->error, "turbo-decode: CMYK/YCCK JPEG not supported");
    tjDestroy(handle);
    return;
  }
  if (width <= 0 || height <= 0) {
    snprintf(job->error, sizeof job->error, "turbo-decode: bad image size");
    tjDestroy(handle);
    return;
  }
  int out_w = width, out_h = height;
  if (job->target_width > 0 && job->target_width < width) {
    int count = 0;
    tjscalingfactor *factors = tjGetScalingFactors(&count);
    int best_w = width;
    for (int i = 0; factors && i < count; i++) {
      int sw = TJSCALED(width, factors[i]);
      int sh = TJSCALED(height, factors[i]);
      if (sw >= job->target_width && sw < best_w) {
        best_w = sw;
        out_w = sw;
        out_h = sh;
      }
    }
  }
  /* A grey JPEG decodes straight to grey; grey from a colour JPEG goes
     through RGB so it matches sharp's luminance, not the JPEG's Y. */
  int grey_source = colorspace == TJCS_GRAY;
  int pf = job->grey && grey_source ? TJPF_GRAY : TJPF_RGB;
  int channels = job->grey ? 1 : 3;
  size_t size = (size_t)out_w * (size_t)out_h * (size_t)(pf == TJPF_GRAY ? 1 : 3);
  unsigned char *out = (unsigned char *)malloc(size);
  if (!out) {
    snprintf(job->error, sizeof job->error, "turbo-decode: out of memory");
    tjDestroy(handle);
    return;
  }
  if (tjDecompress2(handle, job->jpeg, (unsigned long)job->jpeg_size, out, out_w, 0, out_h, pf,
                    0) != 0) {
    /* Warnings (e.g. a truncated but usable frame) still count as failures
       here, so the caller can fall back to another decoder. */
    set_error(job, "decode failed", handle);
    free(out);
    tjDestroy(handle);
    return;
  }
  tjDestroy(handle);
  if (job->grey && pf == TJPF_RGB) rgb_to_grey(out, (size_t)out_w * (size_t)out_h);
  job->out = out;
  job->source_width = width;
  job->source_height = height;
  job->width = out_w;
  job->height = out_h;
  job->channels = channels;
}

static void free_pixels(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void complete(napi_env env, napi_status status, void *data) {
  decode_job *job = (decode_job *)data;
  napi_value result, error_msg, error;
  if (status != napi_ok && job->error[0] == 0) {
    snprintf(job->error, sizeof job->error, "turbo-decode: cancelled");
  }
  if (job->error[0] != 0) {
    free(job->out);
    napi_create_string_utf8(env, job->error, NAPI_AUTO_LENGTH, &error_msg);
    napi_create_error(env, NULL, error_msg, &error);
    napi_reject_deferred(env, job->deferred, error);
  } else {
    napi_value buffer, w, h, c, sw, sh;
    size_t size = (size_t)job->width * job->height * job->channels;
    if (napi_create_external_buffer(env, size, job->out, free_pixels, NULL, &buffer) != napi_ok) {
      /* Some runtimes forbid external buffers: copy instead. */
      void *copy = NULL;
      napi_create_buffer_copy(env, size, job->out, &copy, &buffer);
      free(job->out);
    }
    napi_create_object(env, &result);
    napi_create_int32(env, job->width, &w);
    napi_create_int32(env, job->height, &h);
    napi_create_int32(env, job->channels, &c);
    napi_create_int32(env, job->source_width, &sw);
    napi_create_int32(env, job->source_height, &sh);
    napi_set_named_property(env, result, "data", buffer);
    napi_set_named_property(env, result, "width", w);
    napi_set_named_property(env, result, "height", h);
    napi_set_named_property(env, result, "channels", c);
    napi_set_named_property(env, result, "sourceWidth", sw);
    napi_set_named_property(env, result, "sourceHeight", sh);
    napi_resolve_deferred(env, job->deferred, result);
  }
  napi_delete_reference(env, job->input_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

static napi_value decode(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1) return throw_type(env, "decode(jpeg, targetWidth, grey): jpeg is required");
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
  bool grey = false;
  if (argc >= 3) {
    napi_value coerced;
    napi_coerce_to_bool(env, argv[2], &coerced);
    napi_get_value_bool(env, coerced, &grey);
  }

  decode_job *job = (decode_job *)calloc(1, sizeof(decode_job));
  if (!job) {
    napi_throw_error(env, NULL, "turbo-decode: out of memory");
    return NULL;
  }
  job->jpeg = (const unsigned char *)bytes;
  job->jpeg_size = length;
  job->target_width = target;
  job->grey = grey ? 1 : 0;

  napi_value promise, name;
  /* Keep the input alive (and its memory in place) until the work completes. */
  napi_create_reference(env, argv[0], 1, &job->input_ref);
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "turbo-decode", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    napi_value msg, err;
    napi_create_string_utf8(env, "turbo-decode: cannot queue work", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, job->deferred, err);
    napi_delete_reference(env, job->input_ref);
    if (job->work) napi_delete_async_work(env, job->work);
    free(job);
  }
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  init_tables();
  napi_create_function(env, "decode", NAPI_AUTO_LENGTH, decode, NULL, &fn);
  napi_set_named_property(env, exports, "decode", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
