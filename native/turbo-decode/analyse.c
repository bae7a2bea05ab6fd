#include "analyse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "handles.h"
#include "pixels.h"

typedef struct {
  int width, grey, stats, laplacian, clip, dark, bright, threshold, keep, quality;
} request_t;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref;
  napi_ref previous_ref;
  image_t input;
  const unsigned char *previous;
  size_t previous_size;
  request_t request;
  image_t view; /* the reduced / grey image measured */
  double means[3], stdevs[3], brightness, laplacian, dark, bright, mean, score, changed;
  unsigned char *jpeg;
  unsigned long jpeg_size;
  char error[200];
} analyse_job;

static int reduce_and_grey(analyse_job *job) {
  image_t reduced, grey;
  if (reduce_to_width(&job->input, job->request.width, 0, &reduced) != 0) return -1;
  if (!job->request.grey) {
    job->view = reduced;
    return 0;
  }
  if (to_grey(&reduced, &grey) != 0) {
    image_free(&reduced);
    return -1;
  }
  if (grey.owned) image_free(&reduced);
  else grey.owned = reduced.owned;
  job->view = grey;
  return 0;
}

static void measure(analyse_job *job) {
  const request_t *r = &job->request;
  image_t *v = &job->view;
  if (r->stats) {
    channel_stats(v, job->means, job->stdevs);
    if (v->channels == 1) {
      job->brightness = job->means[0];
    } else {
      image_t grey;
      if (to_grey(v, &grey) != 0) {
        snprintf(job->error, sizeof job->error, "analyse: out of memory");
        return;
      }
      job->brightness = mean_of(grey.data, (size_t)grey.width * grey.height);
      image_free(&grey);
    }
  }
  if (r->laplacian) job->laplacian = laplacian_variance(v);
  if (r->clip) clipped_fractions(v, r->dark, r->bright, &job->dark, &job->bright, &job->mean);
  size_t size = (size_t)v->width * v->height * v->channels;
  if (job->previous && job->previous_size == size) {
    frame_difference(job->previous, v, r->threshold, &job->score, &job->changed);
  }
}

static void compress(analyse_job *job) {
  tjhandle handle = thread_compressor();
  if (!handle) {
    snprintf(job->error, sizeof job->error, "analyse: cannot create a compressor");
    return;
  }
  image_t *v = &job->view;
  int grey = v->channels == 1;
  if (tjCompress2(handle, v->data, v->width, 0, v->height, grey ? TJPF_GRAY : TJPF_RGB,
                  &job->jpeg, &job->jpeg_size, grey ? TJSAMP_GRAY : TJSAMP_420,
                  job->request.quality, 0) != 0) {
    const char *detail = tjGetErrorStr2(handle);
    snprintf(job->error, sizeof job->error, "analyse: JPEG encode failed: %s",
             detail ? detail : "unknown error");
    if (job->jpeg) tjFree(job->jpeg);
    job->jpeg = NULL;
    reset_thread_compressor();
  }
}

static void execute(napi_env env, void *data) {
  (void)env;
  analyse_job *job = (analyse_job *)data;
  if (reduce_and_grey(job) != 0) {
    snprintf(job->error, sizeof job->error, "analyse: out of memory");
    return;
  }
  measure(job);
  if (job->error[0] == 0 && job->request.quality > 0) compress(job);
}

static void set_number(napi_env env, napi_value object, const char *name, double value) {
  napi_set_named_property(env, object, name, number_value(env, value));
}

static napi_value pair_array(napi_env env, const double *values, int count) {
  napi_value array;
  napi_create_array_with_length(env, (size_t)count, &array);
  for (int i = 0; i < count; i++) napi_set_element(env, array, (uint32_t)i, number_value(env, values[i]));
  return array;
}

static napi_value result_object(napi_env env, analyse_job *job) {
  napi_value result;
  const request_t *r = &job->request;
  image_t *v = &job->view;
  napi_create_object(env, &result);
  set_number(env, result, "width", v->width);
  set_number(env, result, "height", v->height);
  set_number(env, result, "channels", v->channels);
  if (r->stats) {
    napi_set_named_property(env, result, "means", pair_array(env, job->means, v->channels));
    napi_set_named_property(env, result, "stdevs", pair_array(env, job->stdevs, v->channels));
    set_number(env, result, "brightness", job->brightness);
  }
  if (r->laplacian) set_number(env, result, "laplacian", job->laplacian);
  if (r->clip) {
    set_number(env, result, "dark", job->dark);
    set_number(env, result, "bright", job->bright);
    set_number(env, result, "mean", job->mean);
  }
  if (job->previous && job->previous_size == (size_t)v->width * v->height * v->channels) {
    set_number(env, result, "score", job->score);
    set_number(env, result, "changed", job->changed);
  }
  if (job->jpeg) {
    napi_value buffer;
    void *copy = NULL;
    napi_create_buffer_copy(env, job->jpeg_size, job->jpeg, &copy, &buffer);
    napi_set_named_property(env, result, "jpeg", buffer);
  }
  if (r->keep && v->owned) {
    size_t size = (size_t)v->width * v->height * v->channels;
    napi_set_named_property(env, result, "image", pixels_buffer(env, v->data, size));
    v->owned = 0; /* the Buffer owns it now */
  }
  return result;
}

static void complete(napi_env env, napi_status status, void *data) {
  analyse_job *job = (analyse_job *)data;
  if (status != napi_ok && job->error[0] == 0) snprintf(job->error, sizeof job->error, "analyse: cancelled");
  if (job->error[0] != 0) reject_with(env, job->deferred, job->error);
  else napi_resolve_deferred(env, job->deferred, result_object(env, job));
  image_free(&job->view);
  if (job->jpeg) tjFree(job->jpeg);
  napi_delete_reference(env, job->input_ref);
  if (job->previous_ref) napi_delete_reference(env, job->previous_ref);
  napi_delete_async_work(env, job->work);
  free(job);
}

static int get_int(napi_env env, napi_value object, const char *name, int fallback) {
  napi_value v;
  napi_valuetype t;
  bool has = false;
  if (napi_has_named_property(env, object, name, &has) != napi_ok || !has) return fallback;
  napi_get_named_property(env, object, name, &v);
  napi_typeof(env, v, &t);
  if (t == napi_boolean) {
    bool b = false;
    napi_get_value_bool(env, v, &b);
    return b ? 1 : 0;
  }
  if (t != napi_number) return fallback;
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d >= -1e9 && d <= 1e9 ? (int)d : fallback;
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

/* The buffer at argv[index] with its bytes, or NULL. */
static bool buffer_at(napi_env env, napi_value value, void **bytes, size_t *length) {
  bool is_buffer = false;
  napi_is_buffer(env, value, &is_buffer);
  return is_buffer && napi_get_buffer_info(env, value, bytes, length) == napi_ok;
}

static void read_request(napi_env env, napi_value object, request_t *r) {
  r->width = get_int(env, object, "width", 0);
  r->grey = get_int(env, object, "grey", 0);
  r->stats = get_int(env, object, "stats", 0);
  r->laplacian = get_int(env, object, "laplacian", 0);
  r->clip = get_int(env, object, "clip", 0);
  r->dark = get_int(env, object, "dark", 16);
  r->bright = get_int(env, object, "bright", 239);
  r->threshold = get_int(env, object, "threshold", 25);
  r->keep = get_int(env, object, "keep", 0);
  r->quality = get_int(env, object, "quality", 0);
  if (r->quality > 100) r->quality = 100;
}

napi_value analyse(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 5) return fail(env, "analyse(pixels, width, height, channels, request)");
  void *bytes = NULL;
  size_t length = 0;
  if (!buffer_at(env, argv[0], &bytes, &length)) return fail(env, "analyse: pixels must be a Buffer");
  int dims[3];
  for (int i = 0; i < 3; i++) {
    if (napi_get_value_int32(env, argv[i + 1], &dims[i]) != napi_ok) return fail(env, "analyse: width, height and channels must be numbers");
  }
  if (dims[0] <= 0 || dims[1] <= 0 || (dims[2] != 1 && dims[2] != 3) ||
      (size_t)dims[0] * (size_t)dims[1] * (size_t)dims[2] != length) {
    return fail(env, "analyse: the buffer does not hold width x height x channels bytes");
  }
  analyse_job *job = (analyse_job *)calloc(1, sizeof(analyse_job));
  if (!job) return fail(env, "analyse: out of memory");
  image_t input = {(unsigned char *)bytes, dims[0], dims[1], dims[2], 0};
  job->input = input;
  read_request(env, argv[4], &job->request);

  napi_value previous;
  bool has_previous = false;
  napi_has_named_property(env, argv[4], "previous", &has_previous);
  if (has_previous && napi_get_named_property(env, argv[4], "previous", &previous) == napi_ok) {
    void *prev = NULL;
    size_t prev_length = 0;
    if (buffer_at(env, previous, &prev, &prev_length)) {
      job->previous = (const unsigned char *)prev;
      job->previous_size = prev_length;
      napi_create_reference(env, previous, 1, &job->previous_ref);
    }
  }

  napi_value promise, name;
  napi_create_reference(env, argv[0], 1, &job->input_ref);
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "turbo-analyse", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    reject_with(env, job->deferred, "analyse: cannot queue work");
    napi_delete_reference(env, job->input_ref);
    if (job->previous_ref) napi_delete_reference(env, job->previous_ref);
    if (job->work) napi_delete_async_work(env, job->work);
    free(job);
  }
  return promise;
}
