/**
 * Cheap structural check of a JPEG before it costs a decode: SOI at the start,
 * EOI at the end, and a frame header (SOF) with sane dimensions. Walks the
 * marker segments only up to the SOF, so it reads a few hundred bytes.
 */

/** Larger than any camera sensor we expect; beyond it a "JPEG" is a decompression bomb. */
export const MAX_JPEG_DIMENSION = 16_384;
export const MAX_JPEG_PIXELS = 100_000_000;

export type JpegCheck = { ok: true; width: number; height: number } | { ok: false; detail: string };

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Checks the frame header fields a decoder would refuse. */
function checkFrameHeader(bytes: Uint8Array, pos: number, length: number): JpegCheck {
  if (length < 8) return { ok: false, detail: 'Corrupt JPEG: frame header too short' };
  const precision = bytes[pos + 4]!;
  const height = (bytes[pos + 5]! << 8) | bytes[pos + 6]!;
  const width = (bytes[pos + 7]! << 8) | bytes[pos + 8]!;
  const components = bytes[pos + 9] ?? 0;
  if (precision !== 8 && precision !== 12) {
    return { ok: false, detail: `Unsupported JPEG: ${precision}-bit samples (8 or 12 expected)` };
  }
  if (components < 1 || components > 4 || length !== 8 + 3 * components) {
    return { ok: false, detail: `Corrupt JPEG: frame header declares ${components} components` };
  }
  for (let c = 0; c < components; c++) {
    const sampling = bytes[pos + 11 + 3 * c]!;
    const h = sampling >> 4;
    const v = sampling & 0x0f;
    if (h < 1 || h > 4 || v < 1 || v > 4 || bytes[pos + 12 + 3 * c]! > 3) {
      return { ok: false, detail: `Corrupt JPEG: invalid sampling or table of component ${c + 1}` };
    }
  }
  if (width === 0 || height === 0) {
    return { ok: false, detail: `Unsupported JPEG: dimensions ${width}x${height}` };
  }
  if (
    width > MAX_JPEG_DIMENSION ||
    height > MAX_JPEG_DIMENSION ||
    width * height > MAX_JPEG_PIXELS
  ) {
    return {
      ok: false,
      detail: `JPEG dimensions ${width}x${height} exceed the limit of ${MAX_JPEG_DIMENSION}x${MAX_JPEG_DIMENSION} (${MAX_JPEG_PIXELS / 1e6} MP)`,
    };
  }
  return { ok: true, width, height };
}

/**
 * Structural check: SOI, EOI, a valid frame header, then a start of scan.
 * Corrupt entropy-coded data past the headers surfaces as a pipeline failure.
 */
export function checkJpeg(bytes: Uint8Array): JpegCheck {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    return { ok: false, detail: 'Not a JPEG: missing SOI marker (FF D8) at the start' };
  }
  // Some encoders pad after EOI; accept a few trailing zero bytes.
  let end = n;
  while (end > 2 && bytes[end - 1] === 0x00 && n - end < 16) end--;
  if (bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9) {
    return { ok: false, detail: 'Truncated JPEG: missing EOI marker (FF D9) at the end' };
  }
  let frame: JpegCheck | null = null;
  let pos = 2;
  while (pos + 4 <= end) {
    if (bytes[pos] !== 0xff)
      return { ok: false, detail: `Corrupt JPEG: expected a marker at byte ${pos}` };
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd9) break;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // standalone markers
      continue;
    }
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (length < 2 || pos + 2 + length > end) {
      return {
        ok: false,
        detail: `Corrupt JPEG: segment FF ${marker.toString(16).toUpperCase()} overruns the data`,
      };
    }
    if (marker === 0xda) {
      return (
        frame ?? { ok: false, detail: 'Corrupt JPEG: no frame header (SOF) before the image data' }
      );
    }
    if (isStartOfFrame(marker)) {
      if (frame) return { ok: false, detail: 'Corrupt JPEG: more than one frame header' };
      frame = checkFrameHeader(bytes, pos, length);
      if (!frame.ok) return frame;
    }
    pos += 2 + length;
  }
  return frame
    ? { ok: false, detail: 'Corrupt JPEG: no image data (SOS) after the frame header' }
    : { ok: false, detail: 'Corrupt JPEG: no frame header (SOF) before the image data' };
}
