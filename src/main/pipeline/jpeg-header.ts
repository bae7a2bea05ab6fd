/**
 * The frame's one marker walk, in JavaScript and before any decode: SOI at the
 * start, every marker segment up to EOI (skipping the entropy-coded data of
 * each scan), a sane frame header, and bounded scan and table counts. Its
 * result (size, components, subsampling, progressive, orientation, scans)
 * travels with the frame, so nothing parses the markers again.
 *
 * The limits are what keeps a decode bounded: a progressive JPEG may repeat
 * scans (each one a pass over the whole image) thousands of times in a few
 * hundred kilobytes; real encoders write about 10.
 */
import { readExifOrientation } from './jpeg-exif';

/** Larger than any camera sensor we expect; beyond it a "JPEG" is a decompression bomb. */
export const MAX_JPEG_DIMENSION = 16_384;
export const MAX_JPEG_PIXELS = 100_000_000;
/** Scans (SOS segments) a frame may hold. Progressive encoders write ~10; baseline 1-4. */
export const MAX_JPEG_SCANS = 64;
/** Huffman (DHT) plus quantisation (DQT) table definitions a frame may hold. */
export const MAX_JPEG_TABLES = 256;
/** Marker segments of any kind (APPn, COM, tables, scans…) a frame may hold. */
export const MAX_JPEG_SEGMENTS = 1024;

export interface JpegHeader {
  width: number;
  height: number;
  /** 1 = grey, 3 = YCbCr/RGB, 4 = CMYK/YCCK. */
  components: number;
  /** `4:2:0`, `4:2:2`, `4:4:4` (also grey), `4:4:0`, `4:1:1`, `4:2:0:4` (CMYK)…; null for unusual layouts. */
  chromaSubsampling: string | null;
  progressive: boolean;
  /** EXIF orientation 1-8; 1 when absent. */
  orientation: number;
  /** Start-of-scan segments (at most MAX_JPEG_SCANS). */
  scans: number;
}

export type JpegCheck = { ok: true; header: JpegHeader } | { ok: false; detail: string };

export class JpegHeaderError extends Error {}

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
const isProgressive = (marker: number) => (marker & 0x03) === 0x02; // C2, C6, CA, CE

function subsampling(factors: readonly { h: number; v: number }[]): string | null {
  // libvips (and so most tools) call a grey JPEG 4:4:4: nothing is subsampled.
  if (factors.length === 1) return '4:4:4';
  if (factors.length < 3) return null;
  const [y, cb, cr] = factors as [
    { h: number; v: number },
    { h: number; v: number },
    { h: number; v: number },
  ];
  if (cb.h !== cr.h || cb.v !== cr.v || y.h % cb.h || y.v % cb.v) return null;
  const hRatio = y.h / cb.h;
  const vRatio = y.v / cb.v;
  // J:a:b with J = 4: a = chroma samples per row of 4, b = 0 when rows are halved.
  const a = 4 / hRatio;
  const b = vRatio === 1 ? a : vRatio === 2 ? 0 : -1;
  if (!Number.isInteger(a) || b < 0) return null;
  const base = `4:${a}:${b}`;
  return factors.length === 4 ? `${base}:4` : base;
}

type Frame = Omit<JpegHeader, 'orientation' | 'scans'>;

/** The frame header (SOFn at `pos`), or why a decoder would refuse it. */
function readFrameHeader(
  bytes: Buffer,
  pos: number,
  length: number,
  marker: number,
): Frame | string {
  if (length < 8) return 'Corrupt JPEG: frame header too short';
  const precision = bytes[pos + 4]!;
  const height = (bytes[pos + 5]! << 8) | bytes[pos + 6]!;
  const width = (bytes[pos + 7]! << 8) | bytes[pos + 8]!;
  const components = bytes[pos + 9]!;
  if (precision !== 8 && precision !== 12) {
    return `Unsupported JPEG: ${precision}-bit samples (8 or 12 expected)`;
  }
  if (components < 1 || components > 4 || length !== 8 + 3 * components) {
    return `Corrupt JPEG: frame header declares ${components} components`;
  }
  const factors: { h: number; v: number }[] = [];
  for (let c = 0; c < components; c++) {
    const sampling = bytes[pos + 11 + 3 * c]!;
    const h = sampling >> 4;
    const v = sampling & 0x0f;
    if (h < 1 || h > 4 || v < 1 || v > 4 || bytes[pos + 12 + 3 * c]! > 3) {
      return `Corrupt JPEG: invalid sampling or table of component ${c + 1}`;
    }
    factors.push({ h, v });
  }
  if (width === 0 || height === 0) return `Unsupported JPEG: dimensions ${width}x${height}`;
  if (
    width > MAX_JPEG_DIMENSION ||
    height > MAX_JPEG_DIMENSION ||
    width * height > MAX_JPEG_PIXELS
  ) {
    return `JPEG dimensions ${width}x${height} exceed the limit of ${MAX_JPEG_DIMENSION}x${MAX_JPEG_DIMENSION} (${MAX_JPEG_PIXELS / 1e6} MP)`;
  }
  return {
    width,
    height,
    components,
    chromaSubsampling: subsampling(factors),
    progressive: isProgressive(marker),
  };
}

/** Table definitions in a DHT (Huffman) segment body, or -1 when malformed. */
function countHuffmanTables(bytes: Buffer, start: number, end: number): number {
  let tables = 0;
  for (let p = start; p < end; tables++) {
    if (bytes[p]! >> 4 > 1 || (bytes[p]! & 0x0f) > 3 || p + 17 > end) return -1;
    let symbols = 0;
    for (let i = 1; i <= 16; i++) symbols += bytes[p + i]!;
    if (symbols > 256) return -1;
    p += 17 + symbols;
    if (p > end) return -1;
  }
  return tables;
}

/** Table definitions in a DQT (quantisation) segment body, or -1 when malformed. */
function countQuantTables(bytes: Buffer, start: number, end: number): number {
  let tables = 0;
  for (let p = start; p < end; tables++) {
    const precision = bytes[p]! >> 4;
    if (precision > 1 || (bytes[p]! & 0x0f) > 3) return -1;
    p += 1 + 64 * (precision + 1);
    if (p > end) return -1;
  }
  return tables;
}

/** The next marker from `p` on, byte by byte (cheaper than indexOf when FF bytes are dense). */
function nextMarkerByLoop(bytes: Buffer, p: number, end: number): number {
  for (; p + 1 < end; p++) {
    if (bytes[p] !== 0xff) continue;
    const next = bytes[p + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) p++;
    else if (next !== 0xff) return p;
  }
  return end;
}

/**
 * Where the marker after a scan's entropy-coded data starts (stuffed FF 00 and
 * RSTn skipped). memchr-speed indexOf while FF bytes are rare (as in real
 * frames: about 1 in 256); a plain loop once they are dense, so a frame
 * packed with FF 00 costs a few ns per byte, not a native call per pair.
 */
function skipEntropyData(bytes: Buffer, from: number, end: number): number {
  let p = from;
  for (let hits = 0; ; hits++) {
    if (hits >= 256 && p - from < hits * 16) return nextMarkerByLoop(bytes, p, end);
    p = bytes.indexOf(0xff, p);
    if (p < 0 || p + 1 >= end) return end;
    const next = bytes[p + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) p += 2;
    else if (next === 0xff) p += 1;
    else return p;
  }
}

/** A start-of-scan header's problem, or null when it is well-formed. */
function checkScanHeader(bytes: Buffer, pos: number, length: number, frame: Frame | null) {
  if (!frame) return 'Corrupt JPEG: no frame header (SOF) before the image data';
  const count = bytes[pos + 4]!;
  if (count < 1 || count > frame.components || length !== 6 + 2 * count) {
    return `Corrupt JPEG: scan header declares ${count} components`;
  }
  return null;
}

const fail = (detail: string): JpegCheck => ({ ok: false, detail });

/**
 * The whole structural check: every segment to EOI, at most MAX_JPEG_SCANS
 * scans, MAX_JPEG_TABLES tables and MAX_JPEG_SEGMENTS segments. Corrupt
 * entropy-coded data inside a scan surfaces later, as a pipeline failure.
 */
export function checkJpeg(bytes: Buffer): JpegCheck {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    return fail('Not a JPEG: missing SOI marker (FF D8) at the start');
  }
  // Some encoders pad after EOI; accept a few trailing zero bytes.
  let end = n;
  while (end > 2 && bytes[end - 1] === 0x00 && n - end < 16) end--;
  if (bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9) {
    return fail('Truncated JPEG: missing EOI marker (FF D9) at the end');
  }
  let frame: Frame | null = null;
  let orientation = 1;
  let scans = 0;
  let tables = 0;
  let segments = 0;
  let sawEnd = false;
  let pos = 2;
  while (pos + 2 <= end) {
    if (bytes[pos] !== 0xff) return fail(`Corrupt JPEG: expected a marker at byte ${pos}`);
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      sawEnd = true;
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // standalone markers
      continue;
    }
    if (pos + 4 > end) break;
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    const segmentEnd = pos + 2 + length;
    if (length < 2 || segmentEnd > end) {
      const name = marker.toString(16).toUpperCase();
      return fail(`Corrupt JPEG: segment FF ${name} overruns the data`);
    }
    if (++segments > MAX_JPEG_SEGMENTS) {
      return fail(`Refused JPEG: more than ${MAX_JPEG_SEGMENTS} marker segments`);
    }
    if (isStartOfFrame(marker)) {
      if (frame) return fail('Corrupt JPEG: more than one frame header');
      const read = readFrameHeader(bytes, pos, length, marker);
      if (typeof read === 'string') return fail(read);
      frame = read;
    } else if (marker === 0xc4 || marker === 0xdb) {
      const count =
        marker === 0xc4
          ? countHuffmanTables(bytes, pos + 4, segmentEnd)
          : countQuantTables(bytes, pos + 4, segmentEnd);
      if (count < 0) return fail(`Corrupt JPEG: malformed ${marker === 0xc4 ? 'DHT' : 'DQT'}`);
      tables += count;
      if (tables > MAX_JPEG_TABLES) {
        return fail(`Refused JPEG: more than ${MAX_JPEG_TABLES} Huffman/quantisation tables`);
      }
    } else if (marker === 0xe1 && orientation === 1) {
      orientation = readExifOrientation(bytes, pos + 4, segmentEnd) ?? 1;
    } else if (marker === 0xda) {
      const problem = checkScanHeader(bytes, pos, length, frame);
      if (problem) return fail(problem);
      if (++scans > MAX_JPEG_SCANS) {
        return fail(`Refused JPEG: more than ${MAX_JPEG_SCANS} scans (a decode bomb)`);
      }
      pos = skipEntropyData(bytes, segmentEnd, end);
      continue;
    }
    pos = segmentEnd;
  }
  if (!frame) return fail('Corrupt JPEG: no frame header (SOF) before the image data');
  if (scans === 0) return fail('Corrupt JPEG: no image data (SOS) after the frame header');
  if (!sawEnd) return fail('Truncated JPEG: missing EOI marker (FF D9) at the end');
  return { ok: true, header: { ...frame, orientation, scans } };
}

/** The header of a frame that has not been checked yet; throws JpegHeaderError. */
export function readJpegHeader(bytes: Buffer): JpegHeader {
  const check = checkJpeg(bytes);
  if (!check.ok) throw new JpegHeaderError(check.detail);
  return check.header;
}
