/**
 * Hand-built JPEGs for tests, the fuzzer and benchmarks: SOI, an optional
 * quantisation table, a baseline frame header (SOF0) declaring the given size,
 * a scan header, one byte of scan data, EOI. Enough for the structural check and
 * the header reader; a decoder finds no picture in them.
 */
export interface HeaderJpegOptions {
  /** 3 (Y sampled 2x2, Cb, Cr: 4:2:0) or 1 (grey). Default 3. */
  components?: 1 | 3;
  /** A DQT segment before the frame header. Default false. */
  quantTable?: boolean;
}

export function headerJpeg(width: number, height: number, options: HeaderJpegOptions = {}): Buffer {
  const components = options.components ?? 3;
  const ids = components === 3 ? [1, 2, 3] : [1];
  const size = [height >> 8, height & 0xff, width >> 8, width & 0xff];
  const sof = [0xff, 0xc0, 0x00, 8 + 3 * components, 0x08, ...size, components];
  const sos = [0xff, 0xda, 0x00, 6 + 2 * components, components];
  for (const id of ids) {
    const luma = id === 1;
    sof.push(id, luma && components === 3 ? 0x22 : 0x11, luma ? 0 : 1);
    sos.push(id, luma ? 0x00 : 0x11);
  }
  sos.push(0x00, 0x3f, 0x00);
  const dqt = options.quantTable
    ? [0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1)]
    : [];
  return Buffer.from([0xff, 0xd8, ...dqt, ...sof, ...sos, 0x00, 0xff, 0xd9]);
}
