/**
 * Parses an MJPEG-over-HTTP body (`multipart/x-mixed-replace`) into JPEG
 * images. Cameras differ: the boundary may be quoted, may or may not repeat
 * the leading `--`, parts may or may not carry Content-Length, lines may end
 * in CRLF or LF. Parts are capped in size; non-JPEG parts are skipped. Without
 * a usable boundary the body is split as back-to-back JPEGs.
 */
import { completeJpegLength, createJpegSplitter, type JpegSplitter } from './jpeg-splitter';

export type MjpegDiscardReason = 'part_too_large' | 'not_jpeg' | 'headers_too_large' | 'garbage';

export interface MjpegParserOptions {
  /** From the response's Content-Type; undefined: split on JPEG markers. */
  boundary: string | undefined;
  maxPartBytes: number;
  onImage(image: Buffer): void;
  onDiscard?(reason: MjpegDiscardReason, bytes: number): void;
}

export interface MjpegParser {
  push(chunk: Buffer): void;
}

const MAX_HEADER_BYTES = 16 * 1024;
const SOI_BYTES = Buffer.from([0xff, 0xd8]);

/** True when buf, ignoring trailing CR/LF, ends with the JPEG EOI marker. */
function endsWithEoi(buf: Buffer): boolean {
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end--;
  return end >= 2 && buf[end - 2] === 0xff && buf[end - 1] === 0xd9;
}

/** The boundary parameter of a multipart Content-Type, without quotes and leading dashes. */
export function boundaryFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const raw = match?.[1] ?? match?.[2];
  if (!raw) return undefined;
  const trimmed = raw.replace(/^-+/, '');
  return trimmed.length > 0 ? trimmed : undefined;
}

type Phase = 'seek_boundary' | 'headers' | 'body';

/** The body as back-to-back JPEGs, for a stream without a usable boundary. */
function splitOnMarkers(options: MjpegParserOptions): MjpegParser {
  const splitter: JpegSplitter = createJpegSplitter({
    maxImageBytes: options.maxPartBytes,
    onImage: (image) => options.onImage(image),
    onDiscard: (bytes, reason) =>
      options.onDiscard?.(reason === 'too_large' ? 'part_too_large' : 'garbage', bytes),
  });
  return { push: (chunk) => splitter.push(chunk) };
}

/**
 * A multipart body, part by part: find the boundary line, read the part's
 * headers, then its body (by Content-Length, or up to the next boundary).
 * Each step handles one phase and returns false when it needs more bytes.
 */
class MultipartParser implements MjpegParser {
  // Search for the boundary without its dashes: matches `--b`, `----b`, and
  // cameras that announce `--b` but send `--b` or `----b`.
  private readonly marker: Buffer;
  private buf: Buffer = Buffer.alloc(0);
  private phase: Phase = 'seek_boundary';
  private contentLength: number | null = null;
  /** Bytes of an oversize Content-Length part still to skip. */
  private skipping = 0;
  /** Where the boundary search resumes in body phase (avoids rescanning). */
  private searchFrom = 0;

  constructor(
    private readonly options: MjpegParserOptions,
    boundary: string,
  ) {
    this.marker = Buffer.from(boundary, 'latin1');
  }

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (this.step()) {
      /* keep parsing */
    }
  }

  private discard(reason: MjpegDiscardReason, bytes: number): void {
    if (bytes > 0) this.options.onDiscard?.(reason, bytes);
  }

  private step(): boolean {
    if (this.skipping > 0) return this.skipOversizePart();
    switch (this.phase) {
      case 'seek_boundary':
        return this.seekBoundary();
      case 'headers':
        return this.readHeaders();
      case 'body':
        return this.contentLength !== null
          ? this.readSizedBody(this.contentLength)
          : this.readUntilBoundary();
    }
  }

  private skipOversizePart(): boolean {
    const n = Math.min(this.skipping, this.buf.length);
    this.buf = this.buf.subarray(n);
    this.skipping -= n;
    if (this.skipping > 0) return false;
    this.phase = 'seek_boundary';
    return true;
  }

  private seekBoundary(): boolean {
    const { buf, marker } = this;
    const at = buf.indexOf(marker);
    if (at < 0) {
      // Keep a tail that may hold the start of the boundary.
      const keep = Math.min(buf.length, marker.length - 1);
      this.buf = buf.subarray(buf.length - keep);
      return false;
    }
    const eol = buf.indexOf(0x0a, at + marker.length);
    if (eol < 0) {
      if (buf.length - at > MAX_HEADER_BYTES) {
        this.discard('headers_too_large', buf.length);
        this.buf = Buffer.alloc(0);
      }
      return false;
    }
    this.buf = buf.subarray(eol + 1);
    this.phase = 'headers';
    this.contentLength = null;
    return true;
  }

  private readHeaders(): boolean {
    const { buf } = this;
    const end = headersEnd(buf);
    if (end < 0) {
      if (buf.length > MAX_HEADER_BYTES) {
        this.discard('headers_too_large', buf.length);
        this.buf = Buffer.alloc(0);
        this.phase = 'seek_boundary';
      }
      return false;
    }
    const length = contentLengthOf(buf.subarray(0, end).toString('latin1'));
    this.contentLength = length;
    this.buf = buf.subarray(end + headerTerminatorLength(buf, end));
    this.phase = 'body';
    this.searchFrom = 0;
    if (length !== null && length > this.options.maxPartBytes) {
      this.discard('part_too_large', length);
      this.skipping = length;
    }
    return true;
  }

  private readSizedBody(length: number): boolean {
    if (this.buf.length < length) return false;
    this.endPart(length);
    return true;
  }

  private readUntilBoundary(): boolean {
    const { buf, marker } = this;
    const at = buf.indexOf(marker, this.searchFrom);
    if (at >= 0) {
      // The part ends before the dashes that precede the boundary.
      let partEnd = at;
      while (partEnd > 0 && buf[partEnd - 1] === 0x2d) partEnd--;
      this.endPart(partEnd);
      return true;
    }
    // Without Content-Length, a part that already holds a whole JPEG goes
    // out now instead of waiting for the next boundary (one frame of latency).
    if (endsWithEoi(buf) && this.endPartAtEoi()) return true;
    if (buf.length > this.options.maxPartBytes) {
      this.discard('part_too_large', buf.length);
      this.buf = buf.subarray(buf.length - (marker.length - 1));
      this.phase = 'seek_boundary';
      return false;
    }
    this.searchFrom = Math.max(0, buf.length - marker.length);
    return false;
  }

  /** Ends the part at the EOI of the JPEG it holds; false when it holds no whole one yet. */
  private endPartAtEoi(): boolean {
    const { buf } = this;
    const start = buf.indexOf(SOI_BYTES);
    if (start < 0 || start > 16) return false;
    const length = completeJpegLength(buf.subarray(start));
    if (length <= 0) return false;
    this.endPart(start + length);
    return true;
  }

  /** The part is buf up to `end`: handed on, and the next boundary sought after it. */
  private endPart(end: number): void {
    this.emitPart(this.buf.subarray(0, end));
    this.buf = this.buf.subarray(end);
    this.phase = 'seek_boundary';
  }

  /** A part's JPEG, from its SOI to its EOI, to onImage; anything else discarded. */
  private emitPart(part: Buffer): void {
    if (part.length > this.options.maxPartBytes) {
      this.discard('part_too_large', part.length);
      return;
    }
    const start = part.indexOf(SOI_BYTES);
    if (start < 0 || start > 16) {
      this.discard('not_jpeg', part.length);
      return;
    }
    // The image ends at its EOI: whatever a camera puts between it and the
    // next boundary (line ends, padding) is not part of it.
    const length = completeJpegLength(part.subarray(start));
    if (length < 0) {
      this.discard('not_jpeg', part.length);
      return;
    }
    this.options.onImage(Buffer.from(part.subarray(start, start + length)));
  }
}

export function createMjpegParser(options: MjpegParserOptions): MjpegParser {
  return options.boundary
    ? new MultipartParser(options, options.boundary)
    : splitOnMarkers(options);
}

function contentLengthOf(headerText: string): number | null {
  const length = /^content-length\s*:\s*(\d+)\s*$/im.exec(headerText);
  return length ? Number(length[1]) : null;
}

/** Index of the blank line ending the part headers (CRLFCRLF or LFLF), or -1. */
function headersEnd(buf: Buffer): number {
  // A part may have no headers at all: the body starts right after the boundary line.
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xd8) return 0;
  if (buf.length >= 1 && buf[0] === 0x0a) return 0;
  if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) return 0;
  const crlf = buf.indexOf('\r\n\r\n', 0, 'latin1');
  const lf = buf.indexOf('\n\n', 0, 'latin1');
  if (crlf < 0) return lf;
  if (lf < 0) return crlf;
  return Math.min(crlf, lf);
}

function headerTerminatorLength(buf: Buffer, end: number): number {
  if (end === 0) {
    if (buf[0] === 0xff) return 0;
    return buf[0] === 0x0d ? 2 : 1;
  }
  return buf[end] === 0x0d ? 4 : 2;
}
