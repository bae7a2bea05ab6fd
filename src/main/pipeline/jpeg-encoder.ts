/**
 * A baseline JPEG encoder for small images (thumbnails), in JavaScript: for a
 * 160x90 preview it costs a fraction of a libvips call's fixed overhead.
 * Grey images give one-component JPEGs; RGB gives YCbCr 4:2:0. Standard
 * (Annex K) quantisation and Huffman tables, IJG quality scaling, AAN DCT.
 */
import type { RawImage } from './image';
import {
  AAN_SCALE,
  AC_CHROMA_COUNTS,
  AC_CHROMA_SYMBOLS,
  AC_LUMA_COUNTS,
  AC_LUMA_SYMBOLS,
  CHROMA_QUANT,
  DC_CHROMA_COUNTS,
  DC_CHROMA_SYMBOLS,
  DC_LUMA_COUNTS,
  DC_LUMA_SYMBOLS,
  LUMA_QUANT,
  ZIGZAG,
} from './jpeg-tables';

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
  // Each table: its class/id byte, 16 code counts, then its symbols.
  const tableBytes = (symbols: number[]) => 1 + 16 + symbols.length;
  let length = 2 + tableBytes(DC_LUMA_SYMBOLS) + tableBytes(AC_LUMA_SYMBOLS);
  if (colour) length += tableBytes(DC_CHROMA_SYMBOLS) + tableBytes(AC_CHROMA_SYMBOLS);
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
