#include "pixels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void image_free(image_t *image) {
  if (image->owned) free(image->data);
  image->data = NULL;
  image->owned = 0;
}

static int alloc_image(image_t *out, int width, int height, int channels) {
  out->data = (unsigned char *)malloc((size_t)width * (size_t)height * (size_t)channels);
  if (!out->data) return -1;
  out->width = width;
  out->height = height;
  out->channels = channels;
  out->owned = 1;
  return 0;
}

/* Grey halving, the preview's usual step (320 -> 160): the general loop below, unrolled. */
static void halve_grey(const image_t *in, image_t *out) {
  const unsigned char *src = in->data;
  size_t stride = (size_t)in->width;
  unsigned char *o = out->data;
  for (int y = 0; y < out->height; y++) {
    const unsigned char *a = src + (size_t)y * 2 * stride, *b = a + stride;
    for (int x = 0; x < out->width; x++, a += 2, b += 2) {
      *o++ = (unsigned char)(((unsigned)a[0] + a[1] + b[0] + b[1] + 2) >> 2);
    }
  }
}

/* Averages factor x factor blocks, rounding half up (image.ts reduceByFactor/halve). */
static int reduce_by_factor(const image_t *in, int factor, image_t *out) {
  int channels = in->channels;
  int width = in->width / factor, height = in->height / factor;
  if (alloc_image(out, width, height, channels) != 0) return -1;
  if (factor == 2 && channels == 1) {
    halve_grey(in, out);
    return 0;
  }
  size_t src_row = (size_t)in->width * channels;
  unsigned area = (unsigned)(factor * factor), half = area >> 1;
  unsigned char *o = out->data;
  for (int y = 0; y < height; y++) {
    const unsigned char *row = in->data + (size_t)y * factor * src_row;
    for (int x = 0; x < width; x++) {
      const unsigned char *col = row + (size_t)x * factor * channels;
      for (int c = 0; c < channels; c++) {
        unsigned sum = 0;
        for (int dy = 0; dy < factor; dy++) {
          const unsigned char *p = col + dy * src_row + c;
          for (int dx = 0; dx < factor; dx++, p += channels) sum += *p;
        }
        *o++ = (unsigned char)((sum + half) / area);
      }
    }
  }
  return 0;
}

/* Any ratio: each output pixel averages the source pixels its box covers (image.ts reduceToWidth). */
static int reduce_general(const image_t *in, int width, int height, image_t *out) {
  int channels = in->channels, src_w = in->width, src_h = in->height;
  if (alloc_image(out, width, height, channels) != 0) return -1;
  int *starts = (int *)malloc(sizeof(int) * (size_t)(width + 1));
  double *sums = (double *)malloc(sizeof(double) * (size_t)width * channels);
  if (!starts || !sums) {
    free(starts);
    free(sums);
    image_free(out);
    return -1;
  }
  for (int x = 0; x <= width; x++) starts[x] = (int)(((int64_t)x * src_w) / width);
  for (int y = 0; y < height; y++) {
    int y0 = (int)(((int64_t)y * src_h) / height);
    int y1 = (int)(((int64_t)(y + 1) * src_h) / height);
    if (y1 < y0 + 1) y1 = y0 + 1;
    memset(sums, 0, sizeof(double) * (size_t)width * channels);
    for (int sy = y0; sy < y1; sy++) {
      const unsigned char *row = in->data + (size_t)sy * src_w * channels;
      for (int x = 0; x < width; x++) {
        int xs = starts[x], xe = starts[x + 1] > xs + 1 ? starts[x + 1] : xs + 1;
        for (int c = 0; c < channels; c++) {
          unsigned s = 0;
          for (int sx = xs; sx < xe; sx++) s += row[sx * channels + c];
          sums[x * channels + c] += s;
        }
      }
    }
    int rows = y1 - y0;
    for (int x = 0; x < width; x++) {
      int xe = starts[x + 1] > starts[x] + 1 ? starts[x + 1] : starts[x] + 1;
      double area = (double)rows * (xe - starts[x]);
      for (int c = 0; c < channels; c++) {
        out->data[((size_t)y * width + x) * channels + c] =
            (unsigned char)floor(sums[x * channels + c] / area + 0.5);
      }
    }
  }
  free(starts);
  free(sums);
  return 0;
}

int reduce_to_width(const image_t *in, int width, int height, image_t *out) {
  if (width <= 0 || width >= in->width) {
    *out = *in;
    out->owned = 0;
    return 0;
  }
  if (in->width % width == 0) {
    int factor = in->width / width;
    if (in->height % factor == 0 && (height <= 0 || height == in->height / factor))
      return reduce_by_factor(in, factor, out);
  }
  if (height <= 0) {
    double h = floor((double)in->height * width / in->width + 0.5);
    height = h < 1 ? 1 : (int)h;
  }
  return reduce_general(in, width, height, out);
}

int to_grey(const image_t *in, image_t *out) {
  if (in->channels == 1) {
    *out = *in;
    out->owned = 0;
    return 0;
  }
  size_t pixels = (size_t)in->width * in->height;
  if (alloc_image(out, in->width, in->height, 1) != 0) return -1;
  const unsigned char *p = in->data;
  for (size_t i = 0; i < pixels; i++, p += 3) {
    out->data[i] = (unsigned char)((77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8);
  }
  return 0;
}

void channel_stats(const image_t *image, double means[3], double stdevs[3]) {
  int channels = image->channels;
  size_t length = (size_t)image->width * image->height * channels;
  uint64_t sum[3] = {0, 0, 0}, squares[3] = {0, 0, 0};
  if (channels == 1) {
    for (size_t i = 0; i < length; i++) {
      unsigned v = image->data[i];
      sum[0] += v;
      squares[0] += v * v;
    }
  } else {
    for (size_t i = 0; i < length; i += 3) {
      for (int c = 0; c < 3; c++) {
        unsigned v = image->data[i + c];
        sum[c] += v;
        squares[c] += v * v;
      }
    }
  }
  double n = length / channels ? (double)(length / channels) : 1.0;
  for (int c = 0; c < channels; c++) {
    double mean = (double)sum[c] / n;
    double variance = (double)squares[c] / n - mean * mean;
    means[c] = mean;
    stdevs[c] = sqrt(variance > 0 ? variance : 0);
  }
}

double mean_of(const unsigned char *data, size_t length) {
  uint64_t sum = 0;
  for (size_t i = 0; i < length; i++) sum += data[i];
  return length ? (double)sum / (double)length : 0;
}

double laplacian_variance(const image_t *grey) {
  int w = grey->width, h = grey->height;
  if (w < 3 || h < 3) return 0;
  const unsigned char *d = grey->data;
  int64_t sum = 0;
  uint64_t squares = 0;
  for (int y = 1; y < h - 1; y++) {
    const unsigned char *p = d + (size_t)y * w + 1;
    const unsigned char *end = d + (size_t)y * w + w - 1;
    for (; p < end; p++) {
      int l = p[-w] + p[w] + p[-1] + p[1] - 4 * p[0];
      sum += l;
      squares += (uint64_t)(l * l);
    }
  }
  double n = (double)(w - 2) * (h - 2);
  double mean = (double)sum / n;
  return (double)squares / n - mean * mean;
}

void clipped_fractions(const image_t *grey, int dark, int bright, double *dark_out,
                       double *bright_out, double *mean_out) {
  size_t length = (size_t)grey->width * grey->height * grey->channels;
  size_t low = 0, high = 0;
  uint64_t sum = 0;
  for (size_t i = 0; i < length; i++) {
    int v = grey->data[i];
    sum += (unsigned)v;
    low += v <= dark;
    high += v >= bright;
  }
  double n = length ? (double)length : 1.0;
  *dark_out = (double)low / n;
  *bright_out = (double)high / n;
  *mean_out = (double)sum / n;
}

void frame_difference(const unsigned char *previous, const image_t *current, int threshold,
                      double *score, double *changed) {
  size_t length = (size_t)current->width * current->height * current->channels;
  uint64_t total = 0;
  size_t moved = 0;
  for (size_t i = 0; i < length; i++) {
    int d = (int)previous[i] - (int)current->data[i];
    if (d < 0) d = -d;
    total += (unsigned)d;
    moved += d > threshold;
  }
  double n = length ? (double)length : 1.0;
  *score = (double)total / n / 255;
  *changed = (double)moved / n;
}
