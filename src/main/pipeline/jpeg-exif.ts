/** The EXIF orientation tag of an APP1 segment, read without a library. */

/** Orientation 1-8 from an APP1 body (`start`..`end`), or null when absent or malformed. */
export function readExifOrientation(data: Buffer, start: number, end: number): number | null {
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
