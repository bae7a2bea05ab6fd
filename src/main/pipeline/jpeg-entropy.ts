/**
 * The entropy-coded side of the JPEG encoder: the standard Huffman tables as
 * code/length lookups, the byte output with its bit accumulator (and 0xFF
 * stuffing), and one quantised block's DC difference and AC run/size codes.
 */
import {
  AC_CHROMA_COUNTS,
  AC_CHROMA_SYMBOLS,
  AC_LUMA_COUNTS,
  AC_LUMA_SYMBOLS,
  DC_CHROMA_COUNTS,
  DC_CHROMA_SYMBOLS,
  DC_LUMA_COUNTS,
  DC_LUMA_SYMBOLS,
  ZIGZAG,
} from './jpeg-tables';

export interface HuffmanTable {
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

export const DC_LUMA = buildHuffman(DC_LUMA_COUNTS, DC_LUMA_SYMBOLS);
export const AC_LUMA = buildHuffman(AC_LUMA_COUNTS, AC_LUMA_SYMBOLS);
export const DC_CHROMA = buildHuffman(DC_CHROMA_COUNTS, DC_CHROMA_SYMBOLS);
export const AC_CHROMA = buildHuffman(AC_CHROMA_COUNTS, AC_CHROMA_SYMBOLS);

/** Growing byte output with a bit accumulator for entropy-coded data. */
export class ByteWriter {
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

/** Natural index of each zigzag position. */
const ZIGZAG_INVERSE = (() => {
  const inverse = new Uint8Array(64);
  for (let i = 0; i < 64; i++) inverse[ZIGZAG[i]!] = i;
  return inverse;
})();

function bitLength(value: number): number {
  let v = value < 0 ? -value : value;
  let n = 0;
  while (v) {
    n++;
    v >>= 1;
  }
  return n;
}

export function encodeBlock(
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
