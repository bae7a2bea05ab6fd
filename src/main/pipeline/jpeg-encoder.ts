/**
 * A baseline JPEG encoder for small images (thumbnails), in JavaScript: for a
 * 160x90 preview it costs a fraction of a libvips call's fixed overhead.
 * Grey images give one-component JPEGs; RGB gives YCbCr 4:2:0. Standard
 * (Annex K) quantisation and Huffman tables, IJG quality scaling, AAN DCT.
 */
import type { RawImage } from './image';

const ZIGZAG = [
  0, 1, 5, 6, 14, 15, 27, 28, 2, 4, 7, 13, 16, 26, 29, 42, 3, 8, 12, 17, 25, 30, 41, 43, 9, 11, 18,
  24, 31, 40, 44, 53, 10, 19, 23, 32, 39, 45, 52, 54, 20, 22, 33, 38, 46, 51, 55, 60, 21, 34, 37,
  47, 50, 56, 59, 61, 35, 36, 48, 49, 57, 58, 62, 63,
];
const LUMA_QUANT = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113,
  92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_QUANT = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];
// Huffman specs: code counts per length 1..16, then symbols.
const DC_LUMA_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_LUMA_SYMBOLS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const DC_CHROMA_COUNTS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_CHROMA_SYMBOLS = DC_LUMA_SYMBOLS;
const AC_LUMA_COUNTS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_LUMA_SYMBOLS = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
  0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
];
const AC_CHROMA_COUNTS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const AC_CHROMA_SYMBOLS = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
  0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
  0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
  0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
  0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
  0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
  0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
  0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
];
const AAN_SCALE = [
  1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379,
];

interface HuffmanTable {
  codes: Uint16Array;
  lengths: Uint8Array;
}

function buildHuffman(counts: number[], symbols: number[]): HuffmanTable {
  const codes = new Uint16Array(256);
  const lengths = new Uint8Array(256);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < counts[length - 1]!; i++) {
      const symbol = symbols[k++]!;
      codes[symbol] = code++;
      lengths[symbol] = length;
    }
    code <<= 1;
  }
  return { codes, lengths };
}

const DC_LUMA = buildHuffman(DC_LUMA_COUNTS, DC_LUMA_SYMBOLS);
const AC_LUMA = buildHuffman(AC_LUMA_COUNTS, AC_LUMA_SYMBOLS);
const DC_CHROMA = buildHuffman(DC_CHROMA_COUNTS, DC_CHROMA_SYMBOLS);
const AC_CHROMA = buildHuffman(AC_CHROMA_COUNTS, AC_CHROMA_SYMBOLS);

interface QuantTables {
  /** Zigzag-ordered tables as written to the file. */
  luma: Uint8Array;
  chroma: Uint8Array;
  /** Natural-order reciprocals with the AAN scale folded in. */
  lumaDivisors: Float64Array;
  chromaDivisors: Float64Array;
}

const quantCache = new Map<number, QuantTables>();

function quantTables(quality: number): QuantTables {
  const cached = quantCache.get(quality);
  if (cached) return cached;
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  const make = (base: number[]) => {
    const zig = new Uint8Array(64);
    const divisors = new Float64Array(64);
    for (let i = 0; i < 64; i++) {
      const q = Math.min(255, Math.max(1, Math.floor((base[i]! * scale + 50) / 100)));
      zig[ZIGZAG[i]!] = q;
      const row = i >> 3;
      const col = i & 7;
      divisors[i] = 1 / (q * AAN_SCALE[row]! * AAN_SCALE[col]! * 8);
    }
    return { zig, divisors };
  };
  const l = make(LUMA_QUANT);
  const c = make(CHROMA_QUANT);
  const tables = {
    luma: l.zig,
    chroma: c.zig,
    lumaDivisors: l.divisors,
    chromaDivisors: c.divisors,
  };
  quantCache.set(quality, tables);
  return tables;
}

/** Growing byte output with a bit accumulator for entropy-coded data. */
class ByteWriter {
  bytes: Uint8Array;
  length = 0;
  private bitBuffer = 0;
  private bitCount = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  private ensure(extra: number) {
    if (this.length + extra <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(value: number) {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  word(value: number) {
    this.byte(value >> 8);
    this.byte(value & 255);
  }

  array(values: ArrayLike<number>) {
    for (let i = 0; i < values.length; i++) this.byte(values[i]!);
  }

  bits(code: number, count: number) {
    this.bitBuffer = (this.bitBuffer << count) | code;
    this.bitCount += count;
    while (this.bitCount >= 8) {
      const b = (this.bitBuffer >> (this.bitCount - 8)) & 255;
      this.byte(b);
      if (b === 255) this.byte(0); // byte stuffing
      this.bitCount -= 8;
    }
    this.bitBuffer &= (1 << this.bitCount) - 1;
  }

  flushBits() {
    if (this.bitCount > 0) this.bits((1 << (8 - this.bitCount)) - 1, 8 - this.bitCount);
  }
}

/** Forward AAN DCT in place on 64 values (level-shifted), then quantised into `out` (natural order). */
function dctQuantise(block: Float64Array, divisors: Float64Array, out: Int32Array) {
  for (let r = 0; r < 64; r += 8) rowOrColumn(block, r, 1);
  for (let c = 0; c < 8; c++) rowOrColumn(block, c, 8);
  for (let i = 0; i < 64; i++) out[i] = Math.round(block[i]! * divisors[i]!);
}

function rowOrColumn(d: Float64Array, o: number, s: number) {
  const d0 = d[o]!;
  const d1 = d[o + s]!;
  const d2 = d[o + 2 * s]!;
  const d3 = d[o + 3 * s]!;
  const d4 = d[o + 4 * s]!;
  const d5 = d[o + 5 * s]!;
  const d6 = d[o + 6 * s]!;
  const d7 = d[o + 7 * s]!;
  const t0 = d0 + d7;
  const t7 = d0 - d7;
  const t1 = d1 + d6;
  const t6 = d1 - d6;
  const t2 = d2 + d5;
  const t5 = d2 - d5;
  const t3 = d3 + d4;
  const t4 = d3 - d4;
  let t10 = t0 + t3;
  const t13 = t0 - t3;
  let t11 = t1 + t2;
  let t12 = t1 - t2;
  d[o] = t10 + t11;
  d[o + 4 * s] = t10 - t11;
  const z1 = (t12 + t13) * 0.707106781;
  d[o + 2 * s] = t13 + z1;
  d[o + 6 * s] = t13 - z1;
  t10 = t4 + t5;
  t11 = t5 + t6;
  t12 = t6 + t7;
  const z5 = (t10 - t12) * 0.382683433;
  const z2 = 0.5411961 * t10 + z5;
  const z4 = 1.306562965 * t12 + z5;
  const z3 = t11 * 0.707106781;
  const z11 = t7 + z3;
  const z13 = t7 - z3;
  d[o + 5 * s] = z13 + z2;
  d[o + 3 * s] = z13 - z2;
  d[o + s] = z11 + z4;
  d[o + 7 * s] = z11 - z4;
}

function bitLength(value: number): number {
  let v = value < 0 ? -value : value;
  let n = 0;
  while (v) {
    n++;
    v >>= 1;
  }
  return n;
}

function encodeBlock(
  w: ByteWriter,
  q: Int32Array,
  previousDc: number,
  dc: HuffmanTable,
  ac: HuffmanTable,
): number {
  const diff = q[0]! - previousDc;
  const dcSize = bitLength(diff);
  w.bits(dc.codes[dcSize]!, dc.lengths[dcSize]!);
  if (dcSize) w.bits(diff < 0 ? diff + (1 << dcSize) - 1 : diff, dcSize);
  let run = 0;
  for (let k = 1; k < 64; k++) {
    const v = q[ZIGZAG_INVERSE[k]!]!;
    if (v === 0) {
      run++;
      continue;
    }
    while (run > 15) {
      w.bits(ac.codes[0xf0]!, ac.lengths[0xf0]!);
      run -= 16;
    }
    const size = bitLength(v);
    const symbol = (run << 4) | size;
    w.bits(ac.codes[symbol]!, ac.lengths[symbol]!);
    w.bits(v < 0 ? v + (1 << size) - 1 : v, size);
    run = 0;
  }
  if (run > 0) w.bits(ac.codes[0]!, ac.lengths[0]!);
  return q[0]!;
}

/** Natural index of each zigzag position. */
const ZIGZAG_INVERSE = (() => {
  const inverse = new Uint8Array(64);
  for (let i = 0; i < 64; i++) inverse[ZIGZAG[i]!] = i;
  return inverse;
})();

function writeHuffmanTable(w: ByteWriter, classAndId: number, counts: number[], symbols: number[]) {
  w.byte(classAndId);
  w.array(counts);
  w.array(symbols);
}

function writeHeaders(w: ByteWriter, image: RawImage, tables: QuantTables) {
  const colour = image.channels === 3;
  w.word(0xffd8);
  // JFIF APP0.
  w.word(0xffe0);
  w.word(16);
  w.array([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  // Quantisation tables.
  w.word(0xffdb);
  w.word(colour ? 132 : 67);
  w.byte(0);
  w.array(tables.luma);
  if (colour) {
    w.byte(1);
    w.array(tables.chroma);
  }
  // Frame header (baseline).
  w.word(0xffc0);
  w.word(colour ? 17 : 11);
  w.byte(8);
  w.word(image.height);
  w.word(image.width);
  if (colour) {
    w.array([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  } else {
    w.array([1, 1, 0x11, 0]);
  }
  // Huffman tables.
  const dhtLength = (counts: number[], symbols: number[]) =>
    17 + symbols.length + 0 * counts.length;
  let length =
    2 + dhtLength(DC_LUMA_COUNTS, DC_LUMA_SYMBOLS) + dhtLength(AC_LUMA_COUNTS, AC_LUMA_SYMBOLS);
  if (colour) {
    length +=
      dhtLength(DC_CHROMA_COUNTS, DC_CHROMA_SYMBOLS) +
      dhtLength(AC_CHROMA_COUNTS, AC_CHROMA_SYMBOLS);
  }
  w.word(0xffc4);
  w.word(length);
  writeHuffmanTable(w, 0x00, DC_LUMA_COUNTS, DC_LUMA_SYMBOLS);
  writeHuffmanTable(w, 0x10, AC_LUMA_COUNTS, AC_LUMA_SYMBOLS);
  if (colour) {
    writeHuffmanTable(w, 0x01, DC_CHROMA_COUNTS, DC_CHROMA_SYMBOLS);
    writeHuffmanTable(w, 0x11, AC_CHROMA_COUNTS, AC_CHROMA_SYMBOLS);
  }
  // Start of scan.
  w.word(0xffda);
  if (colour) {
    w.word(12);
    w.array([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  } else {
    w.word(8);
    w.array([1, 1, 0x00, 0, 63, 0]);
  }
}

/** Encodes an 8-bit grey or RGB image as a baseline JPEG (quality 1-100). */
export function encodeJpeg(image: RawImage, quality: number): Buffer {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const tables = quantTables(q);
  const { data, width, height, channels } = image;
  const w = new ByteWriter(1024 + width * height);
  writeHeaders(w, image, tables);

  const block = new Float64Array(64);
  const quantised = new Int32Array(64);
  // Sample offsets with the edges repeated into the padding of partial blocks.
  const cols = new Int32Array(width + 16);
  for (let x = 0; x < cols.length; x++) cols[x] = Math.min(x, width - 1) * channels;
  const rows = new Int32Array(height + 16);
  for (let y = 0; y < rows.length; y++) rows[y] = Math.min(y, height - 1) * width * channels;

  if (channels === 1) {
    let dc = 0;
    for (let by = 0; by < height; by += 8) {
      for (let bx = 0; bx < width; bx += 8) {
        for (let y = 0; y < 8; y++) {
          const row = rows[by + y]!;
          for (let x = 0; x < 8; x++) block[y * 8 + x] = data[row + cols[bx + x]!]! - 128;
        }
        dctQuantise(block, tables.lumaDivisors, quantised);
        dc = encodeBlock(w, quantised, dc, DC_LUMA, AC_LUMA);
      }
    }
  } else {
    // 16x16 MCUs: four Y blocks, then Cb and Cr of each 2x2 pixel average
    // (the colour transform is linear: averaging first is the same, 4x cheaper).
    const ys = new Float64Array(256);
    const cb = new Float64Array(64);
    const cr = new Float64Array(64);
    const rs = new Float64Array(64);
    const gs = new Float64Array(64);
    const bs = new Float64Array(64);
    let dcY = 0;
    let dcCb = 0;
    let dcCr = 0;
    for (let my = 0; my < height; my += 16) {
      for (let mx = 0; mx < width; mx += 16) {
        rs.fill(0);
        gs.fill(0);
        bs.fill(0);
        for (let y = 0; y < 16; y++) {
          const row = rows[my + y]!;
          const half = (y >> 1) * 8;
          for (let x = 0; x < 16; x++) {
            const i = row + cols[mx + x]!;
            const r = data[i]!;
            const g = data[i + 1]!;
            const b = data[i + 2]!;
            ys[y * 16 + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
            const k = half + (x >> 1);
            rs[k]! += r;
            gs[k]! += g;
            bs[k]! += b;
          }
        }
        for (let k = 0; k < 64; k++) {
          const r = rs[k]! / 4;
          const g = gs[k]! / 4;
          const b = bs[k]! / 4;
          cb[k] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          cr[k] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
        for (let sub = 0; sub < 4; sub++) {
          const ox = (sub & 1) * 8;
          const oy = (sub >> 1) * 8;
          for (let y = 0; y < 8; y++) {
            for (let x = 0; x < 8; x++) block[y * 8 + x] = ys[(oy + y) * 16 + ox + x]!;
          }
          dctQuantise(block, tables.lumaDivisors, quantised);
          dcY = encodeBlock(w, quantised, dcY, DC_LUMA, AC_LUMA);
        }
        block.set(cb);
        dctQuantise(block, tables.chromaDivisors, quantised);
        dcCb = encodeBlock(w, quantised, dcCb, DC_CHROMA, AC_CHROMA);
        block.set(cr);
        dctQuantise(block, tables.chromaDivisors, quantised);
        dcCr = encodeBlock(w, quantised, dcCr, DC_CHROMA, AC_CHROMA);
      }
    }
  }
  w.flushBits();
  w.word(0xffd9);
  return Buffer.from(w.bytes.buffer, w.bytes.byteOffset, w.length);
}
