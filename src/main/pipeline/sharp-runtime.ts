/**
 * libvips settings for a stream of small, unique frames (process-wide).
 * - No operation cache: no two frames are alike, so caching only costs memory
 *   (and makes RSS climb with the number of cameras).
 * - One libvips thread per image: parallelism comes from frames in flight on
 *   libuv's pool, and splitting a 320 px image across threads costs more than it
 *   saves (measured: about 8-10 % less CPU per frame on the `bench` pipeline).
 */
import sharp from 'sharp';

let tuned = false;

export function tuneSharpForFrames(): void {
  if (tuned) return;
  tuned = true;
  sharp.cache(false);
  sharp.concurrency(1);
}
