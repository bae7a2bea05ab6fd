/**
 * Image measurements in plain JavaScript over raw 8-bit buffers: one pass each,
 * no copies. Inputs are small (analysis images of a few hundred pixels wide).
 */
import type { RawImage } from './image';

export interface ChannelStats {
  mean: number;
  stdev: number;
}

export function channelStats(image: RawImage): ChannelStats[] {
  const { data, channels } = image;
  const n = data.length / channels || 1;
  const result = (sum: number, squares: number): ChannelStats => {
    const mean = sum / n;
    return { mean, stdev: Math.sqrt(Math.max(0, squares / n - mean * mean)) };
  };
  if (channels === 1) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      sum += v;
      squares += v * v;
    }
    return [result(sum, squares)];
  }
  let r = 0;
  let g = 0;
  let b = 0;
  let rr = 0;
  let gg = 0;
  let bb = 0;
  for (let i = 0; i < data.length; i += 3) {
    const vr = data[i]!;
    const vg = data[i + 1]!;
    const vb = data[i + 2]!;
    r += vr;
    g += vg;
    b += vb;
    rr += vr * vr;
    gg += vg * vg;
    bb += vb * vb;
  }
  return [result(r, rr), result(g, gg), result(b, bb)];
}

/** Mean of a grey image (brightness, 0..255). */
export function meanOf(grey: RawImage): number {
  const { data } = grey;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]!;
  return data.length ? sum / data.length : 0;
}

/**
 * Variance of the 4-neighbour Laplacian over interior pixels of a grey image:
 * high on sharp detail, low on blur (a classic focus measure).
 */
export function laplacianVariance(grey: RawImage): number {
  const { data, width, height } = grey;
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let squares = 0;
  for (let y = 1; y < height - 1; y++) {
    let i = y * width + 1;
    const end = y * width + width - 1;
    for (; i < end; i++) {
      const l = data[i - width]! + data[i + width]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      sum += l;
      squares += l * l;
    }
  }
  const n = (width - 2) * (height - 2);
  const mean = sum / n;
  return squares / n - mean * mean;
}

/** Fractions of pixels at or below `dark` and at or above `bright`, and the mean, in one pass. */
export function clippedFractions(
  grey: RawImage,
  dark: number,
  bright: number,
): { dark: number; bright: number; mean: number } {
  const { data } = grey;
  let low = 0;
  let high = 0;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    sum += v;
    if (v <= dark) low++;
    if (v >= bright) high++;
  }
  const n = data.length || 1;
  return { dark: low / n, bright: high / n, mean: sum / n };
}

/** Mean absolute difference (0..1) and fraction of pixels changed by more than `threshold`. */
export function frameDifference(
  previous: RawImage,
  current: RawImage,
  threshold: number,
): { score: number; changed: number } {
  const a = previous.data;
  const b = current.data;
  let total = 0;
  let changed = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    total += d;
    if (d > threshold) changed++;
  }
  const n = b.length || 1;
  return { score: total / n / 255, changed: changed / n };
}

/** Rounds for JSON replies: enough precision, short messages. */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
