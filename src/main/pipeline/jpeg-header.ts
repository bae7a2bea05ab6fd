/**
 * Reads a JPEG's header in JavaScript: size, components, chroma subsampling,
 * progressive or not, and the EXIF orientation. No pixels are decoded and no
 * libvips call is made (on the hot path every sharp call counts).
 */

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
}

export class JpegHeaderError extends Error {}

const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);
const PROGRESSIVE_MARKERS = new Set([0xc2, 0xc6, 0xca, 0xce]);

function subsampling(factors: { h: number; v: number }[]): string | null {
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

function exifOrientation(data: Buffer, start: number, end: number): number | null {
  // "Exif\0\0" then a TIFF header.
  if (end - start < 14 || data.toString('latin1', start, start + 6) !== 'Exif\0\0') return null;
  const tiff = start + 6;
  const order = data.toString('latin1', tiff, tiff + 2);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  const u16 = (at: number) => (little ? data.readUInt16LE(at) : data.readUInt16BE(at));
  const u32 = (at: number) => (little ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

export function readJpegHeader(data: Buffer): JpegHeader {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) {
    throw new JpegHeaderError('not a JPEG: no start-of-image marker');
  }
  let orientation = 1;
  let pos = 2;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) throw new JpegHeaderError(`not a JPEG: no marker at byte ${pos}`);
    let marker = data[pos + 1]!;
    // Fill bytes.
    while (marker === 0xff && pos + 2 < data.length) marker = data[++pos + 1]!;
    pos += 2;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xda) break;
    const length = data.readUInt16BE(pos);
    const end = pos + length;
    if (length < 2 || end > data.length) throw new JpegHeaderError('not a JPEG: truncated header');
    if (marker === 0xe1) orientation = exifOrientation(data, pos + 2, end) ?? orientation;
    if (SOF_MARKERS.has(marker)) {
      if (length < 8) throw new JpegHeaderError('not a JPEG: short frame header');
      const height = data.readUInt16BE(pos + 3);
      const width = data.readUInt16BE(pos + 5);
      const components = data[pos + 7]!;
      if (pos + 8 + components * 3 > end)
        throw new JpegHeaderError('not a JPEG: short frame header');
      const factors = [];
      for (let i = 0; i < components; i++) {
        const sampling = data[pos + 8 + i * 3 + 1]!;
        factors.push({ h: sampling >> 4, v: sampling & 15 });
      }
      if (!width || !height) throw new JpegHeaderError('not a JPEG: zero width or height');
      return {
        width,
        height,
        components,
        chromaSubsampling: subsampling(factors),
        progressive: PROGRESSIVE_MARKERS.has(marker),
        orientation,
      };
    }
    pos = end;
  }
  throw new JpegHeaderError('not a JPEG: no frame header before the image data');
}
