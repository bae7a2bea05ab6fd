/*
 * Raw 8-bit pixel arithmetic on the libuv pool: the same results, bit for
 * bit, as src/main/pipeline/image.ts and measure.ts (the JavaScript path).
 */
#ifndef FOREGSYTE_PIXELS_H
#define FOREGSYTE_PIXELS_H

#include <stddef.h>

typedef struct {
  unsigned char *data;
  int width;
  int height;
  int channels; /* 1 = grey, 3 = RGB */
  int owned;    /* data was malloc'ed here and must be freed */
} image_t;

void image_free(image_t *image);

/* Box-filter reduction to `width` and `height` (<= 0: the aspect ratio kept),
   never enlarging; `out` borrows `in`'s pixels when nothing is to be done.
   Returns 0, or -1 out of memory. */
int reduce_to_width(const image_t *in, int width, int height, image_t *out);

/* BT.601 luma with the integer weights 77/150/29 (>> 8). */
int to_grey(const image_t *in, image_t *out);

/* Per channel mean and standard deviation (population). */
void channel_stats(const image_t *image, double means[3], double stdevs[3]);
double mean_of(const unsigned char *data, size_t length);
double laplacian_variance(const image_t *grey);
void clipped_fractions(const image_t *grey, int dark, int bright, double *dark_out,
                       double *bright_out, double *mean_out);
void frame_difference(const unsigned char *previous, const image_t *current, int threshold,
                      double *score, double *changed);

#endif
