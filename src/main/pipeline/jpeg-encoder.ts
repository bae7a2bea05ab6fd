/**
 * A baseline JPEG encoder for small images (thumbnails), in JavaScript: for a
 * 160x90 preview it costs a fraction of a libvips call's fixed overhead.
 * Grey images give one-component JPEGs; RGB gives YCbCr 4:2:0. Standard
 * (Annex K) quantisation and Huffman tables, IJG quality scaling, AAN DCT.
 */
import type { RawImage } from './image';
import {
  AC_CHROMA,
  AC_LUMA,
  ByteWriter,
  DC_CHROMA,
  DC_LUMA,
  encodeBlock,
  type HuffmanTable,
} from './jpeg-entropy';
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

/** What every block of one image's scan shares: the output, the tables, the samples and scratch. */
interface Scan {
  readonly w: ByteWriter;
  readonly tables: QuantTables;
  readonly image: RawImage;
  /** Sample offset of each column and row, the edges repeated into the padding of partial blocks. */
  readonly cols: Int32Array;
  readonly rows: Int32Array;
  /** The block being transformed, then its quantised coefficients. */
  readonly block: Float64Array;
  readonly quantised: Int32Array;
}

/** Offsets `min(i, count - 1) * stride` for `count` samples plus a partial block's padding. */
function edgeRepeatedOffsets(count: number, stride: number): Int32Array {
  const offsets = new Int32Array(count + 16);
  for (let i = 0; i < offsets.length; i++) offsets[i] = Math.min(i, count - 1) * stride;
  return offsets;
}

/** Transforms, quantises and entropy-codes `scan.block`; returns its DC for the next one. */
function encodeScanBlock(
  scan: Scan,
  divisors: Float64Array,
  previousDc: number,
  dc: HuffmanTable,
  ac: HuffmanTable,
): number {
  dctQuantise(scan.block, divisors, scan.quantised);
  return encodeBlock(scan.w, scan.quantised, previousDc, dc, ac);
}

/** A grey image: one component, 8x8 blocks left to right, top to bottom. */
function encodeGreyScan(scan: Scan) {
  const { image, cols, rows, block } = scan;
  const { data, width, height } = image;
  let dc = 0;
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let y = 0; y < 8; y++) {
        const row = rows[by + y]!;
        for (let x = 0; x < 8; x++) block[y * 8 + x] = data[row + cols[bx + x]!]! - 128;
      }
      dc = encodeScanBlock(scan, scan.tables.lumaDivisors, dc, DC_LUMA, AC_LUMA);
    }
  }
}

/**
 * One 16x16 MCU of an RGB image: luma per pixel, Cb and Cr of each 2x2 pixel
 * average (the colour transform is linear: averaging first is the same, 4x cheaper).
 */
class McuSamples {
  readonly ys = new Float64Array(256);
  readonly cb = new Float64Array(64);
  readonly cr = new Float64Array(64);
  private readonly rs = new Float64Array(64);
  private readonly gs = new Float64Array(64);
  private readonly bs = new Float64Array(64);

  /** Reads the MCU whose top left pixel is (mx, my). */
  sample(scan: Scan, mx: number, my: number) {
    const { ys, rs, gs, bs } = this;
    const { cols, rows } = scan;
    const data = scan.image.data;
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
    this.chroma();
  }

  private chroma() {
    const { cb, cr, rs, gs, bs } = this;
    for (let k = 0; k < 64; k++) {
      const r = rs[k]! / 4;
      const g = gs[k]! / 4;
      const b = bs[k]! / 4;
      cb[k] = -0.168736 * r - 0.331264 * g + 0.5 * b;
      cr[k] = 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }

  /** Copies luma block `sub` (0-3: top left, top right, bottom left, bottom right) into `block`. */
  lumaBlock(sub: number, block: Float64Array) {
    const ys = this.ys;
    const ox = (sub & 1) * 8;
    const oy = (sub >> 1) * 8;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) block[y * 8 + x] = ys[(oy + y) * 16 + ox + x]!;
    }
  }
}

/** An RGB image in 16x16 MCUs: four Y blocks, then Cb, then Cr. */
function encodeColourScan(scan: Scan) {
  const { image, tables, block } = scan;
  const mcu = new McuSamples();
  let dcY = 0;
  let dcCb = 0;
  let dcCr = 0;
  for (let my = 0; my < image.height; my += 16) {
    for (let mx = 0; mx < image.width; mx += 16) {
      mcu.sample(scan, mx, my);
      for (let sub = 0; sub < 4; sub++) {
        mcu.lumaBlock(sub, block);
        dcY = encodeScanBlock(scan, tables.lumaDivisors, dcY, DC_LUMA, AC_LUMA);
      }
      block.set(mcu.cb);
      dcCb = encodeScanBlock(scan, tables.chromaDivisors, dcCb, DC_CHROMA, AC_CHROMA);
      block.set(mcu.cr);
      dcCr = encodeScanBlock(scan, tables.chromaDivisors, dcCr, DC_CHROMA, AC_CHROMA);
    }
  }
}

/** Encodes an 8-bit grey or RGB image as a baseline JPEG (quality 1-100). */
export function encodeJpeg(image: RawImage, quality: number): Buffer {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const tables = quantTables(q);
  const { width, height, channels } = image;
  const w = new ByteWriter(1024 + width * height);
  writeHeaders(w, image, tables);
  const scan: Scan = {
    w,
    tables,
    image,
    cols: edgeRepeatedOffsets(width, channels),
    rows: edgeRepeatedOffsets(height, width * channels),
    block: new Float64Array(64),
    quantised: new Int32Array(64),
  };
  if (channels === 1) encodeGreyScan(scan);
  else encodeColourScan(scan);
  w.flushBits();
  w.word(0xffd9);
  return Buffer.from(w.bytes.buffer, w.bytes.byteOffset, w.length);
}
