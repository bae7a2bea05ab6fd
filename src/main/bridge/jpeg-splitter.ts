/**
 * Splits a byte stream of back-to-back JPEG images (ffmpeg's image2pipe, or a
 * camera that sends bare JPEGs) into whole images. It walks the JPEG markers
 * rather than searching for FF D9, so an EOI inside an embedded thumbnail or a
 * segment's payload does not cut an image short.
 */

export interface JpegSplitterOptions {
  /** An image larger than this is discarded and the stream resynchronised. */
  maxImageBytes: number;
  onImage(image: Buffer): void;
  /** Bytes thrown away (garbage between images, oversize images). */
  onDiscard?(bytes: number, reason: 'garbage' | 'too_large'): void;
}

type Phase = 'seek_soi' | 'markers' | 'entropy';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

function isStandalone(marker: number): boolean {
  // RSTn, TEM and SOI carry no length.
  return (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === SOI;
}

export interface JpegSplitter {
  push(chunk: Buffer): void;
  /** Bytes held for an image not yet complete. */
  buffered(): number;
  reset(): void;
}

export function createJpegSplitter(options: JpegSplitterOptions): JpegSplitter {
  let buf: Buffer = Buffer.alloc(0);
  let phase: Phase = 'seek_soi';
  /** Where parsing resumes inside buf (buf[0] is the image's SOI once found). */
  let pos = 0;

  function discard(bytes: number, reason: 'garbage' | 'too_large'): void {
    if (bytes > 0) options.onDiscard?.(bytes, reason);
  }

  function resync(from: number, reason: 'garbage' | 'too_large'): void {
    discard(from, reason);
    buf = buf.subarray(from);
    phase = 'seek_soi';
    pos = 0;
  }

  /** Returns false when more bytes are needed. */
  function step(): boolean {
    if (phase === 'seek_soi') {
      const at = findSoi(buf, 0);
      if (at < 0) {
        // Keep a trailing FF: it may be the first half of an SOI.
        const keep = buf.length > 0 && buf[buf.length - 1] === 0xff ? 1 : 0;
        resync(buf.length - keep, 'garbage');
        return false;
      }
      if (at > 0) resync(at, 'garbage');
      phase = 'markers';
      pos = 2;
      return true;
    }
    if (phase === 'markers') {
      if (pos + 2 > buf.length) return false;
      if (buf[pos] !== 0xff) {
        // Not a marker where one must be: this image is corrupt.
        resync(1, 'garbage');
        return true;
      }
      const marker = buf[pos + 1]!;
      if (marker === 0xff) {
        pos += 1; // fill byte
        return true;
      }
      if (marker === EOI) {
        const image = buf.subarray(0, pos + 2);
        buf = buf.subarray(pos + 2);
        phase = 'seek_soi';
        pos = 0;
        options.onImage(Buffer.from(image));
        return true;
      }
      if (marker === SOI) {
        // A new image began before this one ended: keep the new one.
        resync(pos, 'garbage');
        return true;
      }
      if (isStandalone(marker)) {
        pos += 2;
        return true;
      }
      if (pos + 4 > buf.length) return false;
      const length = buf.readUInt16BE(pos + 2);
      if (length < 2) {
        resync(1, 'garbage');
        return true;
      }
      if (pos + 2 + length > buf.length) return false;
      pos += 2 + length;
      if (marker === SOS) phase = 'entropy';
      return true;
    }
    // Entropy-coded data: FF 00 is a stuffed byte, FF D0-D7 a restart marker,
    // any other FF xx ends it.
    for (
      let i = buf.indexOf(0xff, pos);
      i >= 0 && i + 1 < buf.length;
      i = buf.indexOf(0xff, i + 1)
    ) {
      const next = buf[i + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
      pos = i;
      phase = 'markers';
      return true;
    }
    pos = Math.max(pos, buf.length - 1);
    return false;
  }

  return {
    push(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (step()) {
        if (phase !== 'seek_soi' && buf.length > options.maxImageBytes) {
          // Drop the oversize image; look for the next SOI after its start.
          resync(2, 'too_large');
        }
      }
      if (phase !== 'seek_soi' && buf.length > options.maxImageBytes) {
        resync(buf.length, 'too_large');
      }
    },
    buffered: () => buf.length,
    reset() {
      buf = Buffer.alloc(0);
      phase = 'seek_soi';
      pos = 0;
    },
  };
}

function findSoi(buf: Buffer, from: number): number {
  let at = buf.indexOf(0xff, from);
  while (at >= 0 && at + 1 < buf.length) {
    if (buf[at + 1] === SOI) return at;
    at = buf.indexOf(0xff, at + 1);
  }
  return -1;
}

/**
 * Length of the complete JPEG image at the start of buf (SOI to EOI, walking
 * markers), or -1 when buf does not start with one whole image.
 */
export function completeJpegLength(buf: Buffer): number {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== SOI) return -1;
  let pos = 2;
  let entropy = false;
  while (pos + 1 < buf.length) {
    if (entropy) {
      if (buf[pos] !== 0xff) {
        pos = buf.indexOf(0xff, pos);
        if (pos < 0) return -1;
        continue;
      }
      const next = buf[pos + 1]!;
      if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
        pos += 1;
        continue;
      }
      entropy = false;
    }
    if (buf[pos] !== 0xff) return -1;
    const marker = buf[pos + 1]!;
    if (marker === 0xff) pos += 1;
    else if (marker === EOI) return pos + 2;
    else if (marker === SOI) return -1;
    else if (isStandalone(marker)) pos += 2;
    else {
      if (pos + 4 > buf.length) return -1;
      const length = buf.readUInt16BE(pos + 2);
      if (length < 2) return -1;
      pos += 2 + length;
      if (marker === SOS) entropy = true;
    }
  }
  return -1;
}
