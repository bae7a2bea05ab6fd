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

/**
 * The bytes held, the phase and where the walk resumes are all the state; a
 * step handles one phase and returns false when it needs more bytes.
 */
class MarkerWalkSplitter implements JpegSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private phase: Phase = 'seek_soi';
  /** Where parsing resumes inside buf (buf[0] is the image's SOI once found). */
  private pos = 0;

  constructor(private readonly options: JpegSplitterOptions) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (this.step()) {
      // Drop the oversize image; look for the next SOI after its start.
      if (this.oversize()) this.resync(2, 'too_large');
    }
    if (this.oversize()) this.resync(this.buf.length, 'too_large');
  }

  buffered(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
    this.phase = 'seek_soi';
    this.pos = 0;
  }

  private oversize(): boolean {
    return this.phase !== 'seek_soi' && this.buf.length > this.options.maxImageBytes;
  }

  private resync(from: number, reason: 'garbage' | 'too_large'): void {
    if (from > 0) this.options.onDiscard?.(from, reason);
    this.buf = this.buf.subarray(from);
    this.phase = 'seek_soi';
    this.pos = 0;
  }

  /** Returns false when more bytes are needed. */
  private step(): boolean {
    switch (this.phase) {
      case 'seek_soi':
        return this.seekSoi();
      case 'markers':
        return this.readMarker();
      case 'entropy':
        return this.skipEntropy();
    }
  }

  private seekSoi(): boolean {
    const { buf } = this;
    const at = findSoi(buf, 0);
    if (at < 0) {
      // Keep a trailing FF: it may be the first half of an SOI.
      const keep = buf.length > 0 && buf[buf.length - 1] === 0xff ? 1 : 0;
      this.resync(buf.length - keep, 'garbage');
      return false;
    }
    if (at > 0) this.resync(at, 'garbage');
    this.phase = 'markers';
    this.pos = 2;
    return true;
  }

  private readMarker(): boolean {
    const { buf, pos } = this;
    if (pos + 2 > buf.length) return false;
    if (buf[pos] !== 0xff) {
      // Not a marker where one must be: this image is corrupt.
      this.resync(1, 'garbage');
      return true;
    }
    const marker = buf[pos + 1]!;
    if (marker === 0xff) {
      this.pos += 1; // fill byte
    } else if (marker === EOI) {
      this.emitImage(pos + 2);
    } else if (marker === SOI) {
      // A new image began before this one ended: keep the new one.
      this.resync(pos, 'garbage');
    } else if (isStandalone(marker)) {
      this.pos += 2;
    } else {
      return this.skipSegment(marker);
    }
    return true;
  }

  /** A segment with a length: skipped whole; SOS starts the entropy-coded data. */
  private skipSegment(marker: number): boolean {
    const { buf, pos } = this;
    if (pos + 4 > buf.length) return false;
    const length = buf.readUInt16BE(pos + 2);
    if (length < 2) {
      this.resync(1, 'garbage');
      return true;
    }
    if (pos + 2 + length > buf.length) return false;
    this.pos = pos + 2 + length;
    if (marker === SOS) this.phase = 'entropy';
    return true;
  }

  /**
   * Entropy-coded data: FF 00 is a stuffed byte, FF D0-D7 a restart marker,
   * any other FF xx ends it.
   */
  private skipEntropy(): boolean {
    const { buf } = this;
    for (
      let i = buf.indexOf(0xff, this.pos);
      i >= 0 && i + 1 < buf.length;
      i = buf.indexOf(0xff, i + 1)
    ) {
      const next = buf[i + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
      this.pos = i;
      this.phase = 'markers';
      return true;
    }
    this.pos = Math.max(this.pos, buf.length - 1);
    return false;
  }

  /** The image is buf up to `end`, copied out of the stream's bytes. */
  private emitImage(end: number): void {
    const image = this.buf.subarray(0, end);
    this.buf = this.buf.subarray(end);
    this.phase = 'seek_soi';
    this.pos = 0;
    this.options.onImage(Buffer.from(image));
  }
}

export function createJpegSplitter(options: JpegSplitterOptions): JpegSplitter {
  return new MarkerWalkSplitter(options);
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
