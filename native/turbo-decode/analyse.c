#include "analyse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "handles.h"
#include "pixels.h"

/* Requests in one call: a frame's measuring nodes (a handful). */
#define MAX_REQUESTS 32

typedef struct {
  int width, grey, stats, laplacian, clip, dark, bright, threshold, keep, quality;
  napi_ref previous_ref;
  const unsigned char *previous;
  size_t previous_size;
} request_t;

typedef struct {
  image_t view; /* the reduced / grey image measured; owned by the first request that made it */
  double means[3], stdevs[3], brightness, laplacian, dark, bright, mean, score, changed;
  int has_difference;
  unsigned char *jpeg;
  unsigned long jpeg_size;
  char error[160];
} outcome_t;

struct analyse_batch {
  image_t input;
  int count;
  request_t requests[MAX_REQUESTS];
  outcome_t outcomes[MAX_REQUESTS];
};

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref input_ref;
  analyse_batch batch;
} analyse_job;

/* The view of request i: shared with an earlier request of the same shape, else made. */
static int view_for(analyse_batch *job, int i) {
  request_t *r = &job->requests[i];
  for (int k = 0; k < i; k++) {
    request_t *other = &job->requests[k];
    if (other->width == r->width && other->grey == r->grey && job->outcomes[k].view.data) {
      job->outcomes[i].view = job->outcomes[k].view;
      job->outcomes[i].view.owned = 0;
      return 0;
    }
  }
  image_t reduced, grey;
  if (reduce_to_width(&job->input, r->width, 0, &reduced) != 0) return -1;
  if (!r->grey) {
    job->outcomes[i].view = reduced;
    return 0;
  }
  if (to_grey(&reduced, &grey) != 0) {
    image_free(&reduced);
    return -1;
  }
  if (grey.owned) image_free(&reduced);
  else grey.owned = reduced.owned;
  job->outcomes[i].view = grey;
  return 0;
}

static void measure(const request_t *r, outcome_t *o) {
  image_t *v = &o->view;
  if (r->stats) {
    channel_stats(v, o->means, o->stdevs);
    if (v->channels == 1) {
      o->brightness = o->means[0];
    } else {
      image_t grey;
      if (to_grey(v, &grey) != 0) {
        snprintf(o->error, sizeof o->error, "analyse: out of memory");
        return;
      }
      o->brightness = mean_of(grey.data, (size_t)grey.width * grey.height);
      image_free(&grey);
    }
  }
  if (r->laplacian) o->laplacian = laplacian_variance(v);
  if (r->clip) clipped_fractions(v, r->dark, r->bright, &o->dark, &o->bright, &o->mean);
  size_t size = (size_t)v->width * v->height * v->channels;
  if (r->previous && r->previous_size == size) {
    frame_difference(r->previous, v, r->threshold, &o->score, &o->changed);
    o->has_difference = 1;
  }
}

static void compress(const request_t *r, outcome_t *o) {
  tjhandle handle = thread_compressor();
  if (!handle) {
    snprintf(o->error, sizeof o->error, "analyse: cannot create a compressor");
    return;
  }
  image_t *v = &o->view;
  int grey = v->channels == 1;
  if (tjCompress2(handle, v->data, v->width, 0, v->height, grey ? TJPF_GRAY : TJPF_RGB, &o->jpeg,
                  &o->jpeg_size, grey ? TJSAMP_GRAY : TJSAMP_420, r->quality, 0) != 0) {
    const char *detail = tjGetErrorStr2(handle);
    snprintf(o->error, sizeof o->error, "analyse: JPEG encode failed: %s",
             detail ? detail : "unknown error");
    if (o->jpeg) tjFree(o->jpeg);
    o->jpeg = NULL;
    reset_thread_compressor();
  }
}

void analyse_batch_run(analyse_batch *job, const image_t *input) {
  job->input = *input;
  job->input.owned = 0;
  for (int i = 0; i < job->count; i++) {
    outcome_t *o = &job->outcomes[i];
    if (view_for(job, i) != 0) {
      snprintf(o->error, sizeof o->error, "analyse: out of memory");
      continue;
    }
    measure(&job->requests[i], o);
    if (o->error[0] == 0 && job->requests[i].quality > 0) compress(&job->requests[i], o);
  }
}

static void execute(napi_env env, void *data) {
  (void)env;
  analyse_job *job = (analyse_job *)data;
  analyse_batch_run(&job->batch, &job->batch.input);
}

static void set_number(napi_env env, napi_value object, const char *name, double value) {
  napi_set_named_property(env, object, name, number_value(env, value));
}

static napi_value number_array(napi_env env, const double *values, int count) {
  napi_value array;
  napi_create_array_with_length(env, (size_t)count, &array);
  for (int i = 0; i < count; i++) {
    napi_set_element(env, array, (uint32_t)i, number_value(env, values[i]));
  }
  return array;
}

static void set_kept_image(napi_env env, napi_value result, outcome_t *o) {
  image_t *v = &o->view;
  size_t size = (size_t)v->width * v->height * v->channels;
  napi_value buffer;
  if (v->owned) {
    buffer = pixels_buffer(env, v->data, size);
    v->owned = 0; /* the Buffer owns it now */
  } else {
    /* Shared with an earlier request's view (still alive: this runs before any GC). */
    void *copy = NULL;
    napi_create_buffer_copy(env, size, v->data, &copy, &buffer);
  }
  napi_set_named_property(env, result, "image", buffer);
}

static napi_value result_object(napi_env env, analyse_batch *job, int i) {
  napi_value result;
  const request_t *r = &job->requests[i];
  outcome_t *o = &job->outcomes[i];
  image_t *v = &o->view;
  napi_create_object(env, &result);
  if (o->error[0] != 0) {
    napi_value text;
    napi_create_string_utf8(env, o->error, NAPI_AUTO_LENGTH, &text);
    napi_set_named_property(env, result, "error", text);
    return result;
  }
  set_number(env, result, "width", v->width);
  set_number(env, result, "height", v->height);
  set_number(env, result, "channels", v->channels);
  if (r->stats) {
    napi_set_named_property(env, result, "means", number_array(env, o->means, v->channels));
    napi_set_named_property(env, result, "stdevs", number_array(env, o->stdevs, v->channels));
    set_number(env, result, "brightness", o->brightness);
  }
  if (r->laplacian) set_number(env, result, "laplacian", o->laplacian);
  if (r->clip) {
    set_number(env, result, "dark", o->dark);
    set_number(env, result, "bright", o->bright);
    set_number(env, result, "mean", o->mean);
  }
  if (o->has_difference) {
    set_number(env, result, "score", o->score);
    set_number(env, result, "changed", o->changed);
  }
  if (o->jpeg) {
    napi_value buffer;
    void *copy = NULL;
    napi_create_buffer_copy(env, o->jpeg_size, o->jpeg, &copy, &buffer);
    napi_set_named_property(env, result, "jpeg", buffer);
  }
  if (r->keep && v->data != job->input.data) set_kept_image(env, result, o);
  return result;
}

napi_value analyse_batch_results(napi_env env, analyse_batch *job) {
  napi_value results;
  napi_create_array_with_length(env, (size_t)job->count, &results);
  for (int i = 0; i < job->count; i++) {
    napi_set_element(env, results, (uint32_t)i, result_object(env, job, i));
  }
  return results;
}

void analyse_batch_release(napi_env env, analyse_batch *job) {
  for (int i = 0; i < job->count; i++) {
    image_free(&job->outcomes[i].view);
    if (job->outcomes[i].jpeg) tjFree(job->outcomes[i].jpeg);
    job->outcomes[i].jpeg = NULL;
    if (job->requests[i].previous_ref) napi_delete_reference(env, job->requests[i].previous_ref);
    job->requests[i].previous_ref = NULL;
  }
}

static void free_job(napi_env env, analyse_job *job) {
  analyse_batch_release(env, &job->batch);
  napi_delete_reference(env, job->input_ref);
  if (job->work) napi_delete_async_work(env, job->work);
  free(job);
}

static void complete(napi_env env, napi_status status, void *data) {
  analyse_job *job = (analyse_job *)data;
  if (status != napi_ok) {
    reject_with(env, job->deferred, "analyse: cancelled");
  } else {
    napi_resolve_deferred(env, job->deferred, analyse_batch_results(env, &job->batch));
  }
  free_job(env, job);
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
  napi_value previous;
  bool has = false;
  napi_has_named_property(env, object, "previous", &has);
  if (has && napi_get_named_property(env, object, "previous", &previous) == napi_ok) {
    void *bytes = NULL;
    size_t length = 0;
    if (buffer_at(env, previous, &bytes, &length)) {
      r->previous = (const unsigned char *)bytes;
      r->previous_size = length;
      napi_create_reference(env, previous, 1, &r->previous_ref);
    }
  }
}

analyse_batch *analyse_batch_new(void) { return (analyse_batch *)calloc(1, sizeof(analyse_batch)); }

bool analyse_batch_read(napi_env env, napi_value array, analyse_batch *job) {
  bool is_array = false;
  uint32_t count = 0;
  napi_is_array(env, array, &is_array);
  if (is_array) napi_get_array_length(env, array, &count);
  if (!is_array || count == 0 || count > MAX_REQUESTS) return false;
  job->count = (int)count;
  for (uint32_t i = 0; i < count; i++) {
    napi_value request;
    napi_get_element(env, array, i, &request);
    read_request(env, request, &job->requests[i]);
  }
  return true;
}

/* The pixels and their shape from argv[0..3], or a message saying what is wrong. */
static const char *read_input(napi_env env, napi_value *argv, image_t *input) {
  void *bytes = NULL;
  size_t length = 0;
  int dims[3];
  if (!buffer_at(env, argv[0], &bytes, &length)) return "analyse: pixels must be a Buffer";
  for (int i = 0; i < 3; i++) {
    if (napi_get_value_int32(env, argv[i + 1], &dims[i]) != napi_ok) {
      return "analyse: width, height and channels must be numbers";
    }
  }
  if (dims[0] <= 0 || dims[1] <= 0 || (dims[2] != 1 && dims[2] != 3) ||
      (size_t)dims[0] * (size_t)dims[1] * (size_t)dims[2] != length) {
    return "analyse: the buffer does not hold width x height x channels bytes";
  }
  image_t image = {(unsigned char *)bytes, dims[0], dims[1], dims[2], 0};
  *input = image;
  return NULL;
}

napi_value analyse(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 5) return fail(env, "analyse(pixels, width, height, channels, requests)");
  image_t input;
  const char *problem = read_input(env, argv, &input);
  if (problem) return fail(env, problem);
  analyse_job *job = (analyse_job *)calloc(1, sizeof(analyse_job));
  if (!job) return fail(env, "analyse: out of memory");
  if (!analyse_batch_read(env, argv[4], &job->batch)) {
    free(job);
    return fail(env, "analyse: requests must be an array of 1 to 32 objects");
  }
  job->batch.input = input;

  napi_value promise, name;
  napi_create_reference(env, argv[0], 1, &job->input_ref);
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "turbo-analyse", NAPI_AUTO_LENGTH, &name);
  if (napi_create_async_work(env, NULL, name, execute, complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    reject_with(env, job->deferred, "analyse: cannot queue work");
    free_job(env, job);
  }
  return promise;
}
