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

export function createMjpegParser(options: MjpegParserOptions): MjpegParser {
  if (!options.boundary) {
    const splitter: JpegSplitter = createJpegSplitter({
      maxImageBytes: options.maxPartBytes,
      onImage: (image) => options.onImage(image),
      onDiscard: (bytes, reason) =>
        options.onDiscard?.(reason === 'too_large' ? 'part_too_large' : 'garbage', bytes),
    });
    return { push: (chunk) => splitter.push(chunk) };
  }

  // Search for the boundary without its dashes: matches `--b`, `----b`, and
  // cameras that announce `--b` but send `--b` or `----b`.
  const marker = Buffer.from(options.boundary, 'latin1');
  let buf: Buffer = Buffer.alloc(0);
  let phase: Phase = 'seek_boundary';
  let contentLength: number | null = null;
  /** Bytes of an oversize Content-Length part still to skip. */
  let skipping = 0;
  /** Where the boundary search resumes in body phase (avoids rescanning). */
  let searchFrom = 0;

  function discard(reason: MjpegDiscardReason, bytes: number): void {
    if (bytes > 0) options.onDiscard?.(reason, bytes);
  }

  function emitPart(part: Buffer): void {
    if (part.length > options.maxPartBytes) {
      discard('part_too_large', part.length);
      return;
    }
    const start = part.indexOf(SOI_BYTES);
    if (start < 0 || start > 16) {
      discard('not_jpeg', part.length);
      return;
    }
    // The image ends at its EOI: whatever a camera puts between it and the
    // next boundary (line ends, padding) is not part of it.
    const length = completeJpegLength(part.subarray(start));
    if (length < 0) {
      discard('not_jpeg', part.length);
      return;
    }
    options.onImage(Buffer.from(part.subarray(start, start + length)));
  }

  /** Returns false when more bytes are needed. */
  function step(): boolean {
    if (skipping > 0) {
      const n = Math.min(skipping, buf.length);
      buf = buf.subarray(n);
      skipping -= n;
      if (skipping > 0) return false;
      phase = 'seek_boundary';
      return true;
    }
    if (phase === 'seek_boundary') {
      const at = buf.indexOf(marker);
      if (at < 0) {
        // Keep a tail that may hold the start of the boundary.
        const keep = Math.min(buf.length, marker.length - 1);
        buf = buf.subarray(buf.length - keep);
        return false;
      }
      const eol = buf.indexOf(0x0a, at + marker.length);
      if (eol < 0) {
        if (buf.length - at > MAX_HEADER_BYTES) {
          discard('headers_too_large', buf.length);
          buf = Buffer.alloc(0);
        }
        return false;
      }
      buf = buf.subarray(eol + 1);
      phase = 'headers';
      contentLength = null;
      return true;
    }
    if (phase === 'headers') {
      const end = headersEnd(buf);
      if (end < 0) {
        if (buf.length > MAX_HEADER_BYTES) {
          discard('headers_too_large', buf.length);
          buf = Buffer.alloc(0);
          phase = 'seek_boundary';
        }
        return false;
      }
      const headerText = buf.subarray(0, end).toString('latin1');
      const length = /^content-length\s*:\s*(\d+)\s*$/im.exec(headerText);
      contentLength = length ? Number(length[1]) : null;
      buf = buf.subarray(end + headerTerminatorLength(buf, end));
      phase = 'body';
      searchFrom = 0;
      if (contentLength !== null && contentLength > options.maxPartBytes) {
        discard('part_too_large', contentLength);
        skipping = contentLength;
      }
      return true;
    }
    // body
    if (contentLength !== null) {
      if (buf.length < contentLength) return false;
      emitPart(buf.subarray(0, contentLength));
      buf = buf.subarray(contentLength);
      phase = 'seek_boundary';
      return true;
    }
    const at = buf.indexOf(marker, searchFrom);
    if (at < 0 && endsWithEoi(buf)) {
      // Without Content-Length, a part that already holds a whole JPEG goes
      // out now instead of waiting for the next boundary (one frame of latency).
      const start = buf.indexOf(SOI_BYTES);
      if (start >= 0 && start <= 16) {
        const length = completeJpegLength(buf.subarray(start));
        if (length > 0) {
          emitPart(buf.subarray(0, start + length));
          buf = buf.subarray(start + length);
          phase = 'seek_boundary';
          return true;
        }
      }
    }
    if (at < 0) {
      if (buf.length > options.maxPartBytes) {
        discard('part_too_large', buf.length);
        buf = buf.subarray(buf.length - (marker.length - 1));
        phase = 'seek_boundary';
        return false;
      }
      searchFrom = Math.max(0, buf.length - marker.length);
      return false;
    }
    // The part ends before the dashes that precede the boundary.
    let partEnd = at;
    while (partEnd > 0 && buf[partEnd - 1] === 0x2d) partEnd--;
    emitPart(buf.subarray(0, partEnd));
    buf = buf.subarray(partEnd);
    phase = 'seek_boundary';
    return true;
  }

  return {
    push(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      while (step()) {
        /* keep parsing */
      }
    },
  };
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
