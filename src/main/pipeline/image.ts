/**
 * Raw 8-bit images shared between nodes, and the small-image arithmetic done in
 * plain JavaScript (cheaper than another libvips call on images of ~320 px).
 */

export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  /** 1 = grey, 3 = RGB. */
  readonly channels: 1 | 3;
}

/** Luma (BT.601) of an RGB image; a grey image is returned as is. */
export function toGrey(image: RawImage): RawImage {
  if (image.channels === 1) return image;
  const { data, width, height } = image;
  const pixels = width * height;
  const out = Buffer.allocUnsafe(pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    // Integer weights 77/150/29 (sum 256) ≈ 0.299/0.587/0.114.
    out[i] = (77 * data[j]! + 150 * data[j + 1]! + 29 * data[j + 2]!) >> 8;
  }
  return { data: out, width, height, channels: 1 };
}

/**
 * Box-filter reduction to `width` (height keeps the aspect ratio unless given);
 * never enlarges.
 */
export function reduceToWidth(image: RawImage, width: number, targetHeight?: number): RawImage {
  if (width >= image.width) return image;
  const factor = image.width / width;
  if (
    Number.isInteger(factor) &&
    image.height % factor === 0 &&
    (targetHeight === undefined || targetHeight === image.height / factor)
  )
    return reduceByFactor(image, factor);
  const { data, channels } = image;
  const srcW = image.width;
  const srcH = image.height;
  const height = targetHeight ?? Math.max(1, Math.round((srcH * width) / srcW));
  const out = Buffer.allocUnsafe(width * height * channels);
  const xStarts = new Int32Array(width + 1);
  for (let x = 0; x <= width; x++) xStarts[x] = Math.floor((x * srcW) / width);
  const sums = new Float64Array(width * channels);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * srcH) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * srcH) / height));
    sums.fill(0);
    for (let sy = y0; sy < y1; sy++) {
      const row = sy * srcW * channels;
      for (let x = 0; x < width; x++) {
        const xs = xStarts[x]!;
        const xe = Math.max(xs + 1, xStarts[x + 1]!);
        for (let c = 0; c < channels; c++) {
          let s = 0;
          for (let sx = xs; sx < xe; sx++) s += data[row + sx * channels + c]!;
          sums[x * channels + c]! += s;
        }
      }
    }
    const rows = y1 - y0;
    for (let x = 0; x < width; x++) {
      const area = rows * (Math.max(xStarts[x]! + 1, xStarts[x + 1]!) - xStarts[x]!);
      for (let c = 0; c < channels; c++) {
        out[(y * width + x) * channels + c] = Math.round(sums[x * channels + c]! / area);
      }
    }
  }
  return { data: out, width, height, channels };
}

/** Averages factor×factor blocks: the common case (e.g. 320 → 160). */
function reduceByFactor(image: RawImage, factor: number): RawImage {
  if (factor === 2) return halve(image);
  const { data, channels } = image;
  const width = image.width / factor;
  const height = image.height / factor;
  const srcRow = image.width * channels;
  const area = factor * factor;
  const half = area >> 1;
  const out = Buffer.allocUnsafe(width * height * channels);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const rowStart = y * factor * srcRow;
    for (let x = 0; x < width; x++) {
      const colStart = rowStart + x * factor * channels;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          let i = colStart + dy * srcRow + c;
          for (let dx = 0; dx < factor; dx++, i += channels) sum += data[i]!;
        }
        out[o++] = ((sum + half) / area) | 0;
      }
    }
  }
  return { data: out, width, height, channels };
}

/** 2×2 averaging with the loops unrolled (thumbnails from the analysis image). */
function halve(image: RawImage): RawImage {
  const { data, channels } = image;
  const width = image.width >> 1;
  const height = image.height >> 1;
  const stride = image.width * channels;
  const out = Buffer.allocUnsafe(width * height * channels);
  let o = 0;
  if (channels === 1) {
    for (let y = 0; y < height; y++) {
      let a = 2 * y * stride;
      let b = a + stride;
      for (let x = 0; x < width; x++, a += 2, b += 2) {
        out[o++] = (data[a]! + data[a + 1]! + data[b]! + data[b + 1]! + 2) >> 2;
      }
    }
  } else {
    for (let y = 0; y < height; y++) {
      let a = 2 * y * stride;
      let b = a + stride;
      for (let x = 0; x < width; x++, a += 6, b += 6) {
        out[o++] = (data[a]! + data[a + 3]! + data[b]! + data[b + 3]! + 2) >> 2;
        out[o++] = (data[a + 1]! + data[a + 4]! + data[b + 1]! + data[b + 4]! + 2) >> 2;
        out[o++] = (data[a + 2]! + data[a + 5]! + data[b + 2]! + data[b + 5]! + 2) >> 2;
      }
    }
  }
  return { data: out, width, height, channels };
}

/** A rectangle of whole pixels; rows copied into one new buffer. */
export function cropPixels(
  image: RawImage,
  left: number,
  top: number,
  width: number,
  height: number,
): RawImage {
  const { data, channels } = image;
  const rowBytes = width * channels;
  const out = Buffer.allocUnsafe(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const start = ((top + y) * image.width + left) * channels;
    data.copy(out, y * rowBytes, start, start + rowBytes);
  }
  return { data: out, width, height, channels };
}

/** Bilinear enlargement to `width` (aspect ratio kept), pixel centres aligned. */
export function enlargeToWidth(image: RawImage, width: number): RawImage {
  if (width <= image.width) return image;
  const { data, channels } = image;
  const srcW = image.width;
  const srcH = image.height;
  const height = Math.max(1, Math.round((srcH * width) / srcW));
  const out = Buffer.allocUnsafe(width * height * channels);
  const sx = srcW / width;
  const sy = srcH / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(srcH - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(srcH - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(srcW - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(srcW - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < channels; c++) {
        const a = data[(y0 * srcW + x0) * channels + c]!;
        const b = data[(y0 * srcW + x1) * channels + c]!;
        const d = data[(y1 * srcW + x0) * channels + c]!;
        const e = data[(y1 * srcW + x1) * channels + c]!;
        const top = a + (b - a) * wx;
        const bottom = d + (e - d) * wx;
        out[(y * width + x) * channels + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { data: out, width, height, channels };
}
