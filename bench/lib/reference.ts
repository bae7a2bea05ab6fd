/**
 * The original design (single-threaded Python, Pillow's draft-mode decode)
 * on the `bench` work, 8 closed-loop cameras, measured side by side with the
 * station on this 2-core machine: 330-345 frames/s (328-341 with one camera,
 * its best). It is not re-run here (it is not part of this repository): the
 * figure is the reference the ratios are taken against.
 */
export const ORIGINAL = {
  framesPerSecond: 337.5,
  range: '330-345 frames/s',
} as const;

/** Its best: one closed-loop camera, measured side by side the same day. */
export const ORIGINAL_ONE_CAMERA = {
  framesPerSecond: 334.5,
  range: '328-341 frames/s with one camera, its best',
} as const;
