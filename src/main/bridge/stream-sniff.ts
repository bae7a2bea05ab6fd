/**
 * What an HTTP camera stream is, told from its first bytes rather than its
 * Content-Type: ffmpeg's own MJPEG server and many cheap IP cameras label
 * MJPEG `application/octet-stream` (or not at all). A multipart body starts
 * with its boundary line (`--name`), a bare JPEG stream with the SOI marker
 * (FF D8); anything else (MPEG-TS, HLS, ...) is left to ffmpeg.
 */
import { boundaryFromContentType } from './mjpeg-parser';

export type StreamGuess =
  | { kind: 'multipart'; boundary: string }
  | { kind: 'jpeg' }
  | { kind: 'other' }
  /** Too few bytes yet to tell. */
  | { kind: 'undecided' };

/** Bytes looked at before a stream with none of the markers is called `other`. */
export const SNIFF_LIMIT_BYTES = 4096;
const MAX_BOUNDARY_LINE = 200;

export function sniffStream(head: Buffer, contentType?: string): StreamGuess {
  let at = 0;
  while (at < head.length && isSpace(head[at] ?? 0)) at++;
  const rest = head.subarray(at);
  if (rest.length >= 2 && rest[0] === 0xff && rest[1] === 0xd8) return { kind: 'jpeg' };
  if (rest.length >= 2 && rest[0] === 0x2d && rest[1] === 0x2d) {
    const boundary = boundaryLine(rest);
    if (boundary !== undefined)
      return boundary ? { kind: 'multipart', boundary } : { kind: 'other' };
    return rest.length > MAX_BOUNDARY_LINE ? { kind: 'other' } : { kind: 'undecided' };
  }
  // A multipart body may open with a preamble before its first boundary.
  const declared = boundaryFromContentType(contentType);
  if (declared && head.includes(`--${declared}`, 0, 'latin1')) {
    return { kind: 'multipart', boundary: declared };
  }
  if (rest.length < 2 || (declared && head.length < SNIFF_LIMIT_BYTES))
    return { kind: 'undecided' };
  return { kind: 'other' };
}

/** The boundary named by a `--name` line; '' for a line that names none; undefined before its end. */
function boundaryLine(rest: Buffer): string | undefined {
  const eol = rest.indexOf(0x0a);
  if (eol < 0) return undefined;
  const name = rest.subarray(0, eol).toString('latin1').replace(/^-+/, '').replace(/\s+$/, '');
  return /^[\x21-\x7e][\x20-\x7e]{0,199}$/.test(name) ? name : '';
}

function isSpace(byte: number): boolean {
  return byte === 0x0d || byte === 0x0a || byte === 0x20 || byte === 0x09;
}
