/**
 * What a bridge reads from. Network-facing callers (a dashboard adding a
 * source) may only name http(s)/rtsp(s) URLs or video devices; the local
 * technician's CLI may also name a lavfi graph or a video file with explicit
 * flags. Nothing else: a URL never becomes a path on this machine.
 */
import { redactUrl } from '../observe/logger';
import { bridgeError, type BridgeError } from './errors';

export type SourceSpec =
  /** MJPEG over HTTP, parsed in-process. */
  | { kind: 'mjpeg'; url: string }
  /** Read by ffmpeg: an RTSP stream, or an HTTP stream that is not MJPEG. */
  | { kind: 'ffmpeg_url'; url: string }
  | { kind: 'v4l2'; device: string }
  /** An ffmpeg lavfi graph such as `testsrc=size=320x240:rate=10:duration=2`. */
  | { kind: 'lavfi'; graph: string }
  | { kind: 'file'; path: string };

export type SourceKind = SourceSpec['kind'];

const DEVICE_PATTERN = /^\/dev\/video\d{1,3}$/;

export interface ParseSourceOptions {
  /** Read http(s) with ffmpeg instead of the built-in MJPEG parser. */
  viaFfmpeg?: boolean;
}

/** Parses a `--source` value: an http(s)/rtsp(s) URL or /dev/videoN. */
export function parseSource(
  input: string,
  options: ParseSourceOptions = {},
): { ok: true; spec: SourceSpec } | { ok: false; error: BridgeError } {
  const value = input.trim();
  if (DEVICE_PATTERN.test(value)) return { ok: true, spec: { kind: 'v4l2', device: value } };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, error: bridgeError('invalid_source', `not a URL: ${redactUrl(value)}`) };
  }
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return {
        ok: true,
        spec: options.viaFfmpeg
          ? { kind: 'ffmpeg_url', url: value }
          : { kind: 'mjpeg', url: value },
      };
    case 'rtsp:':
    case 'rtsps:':
      return { ok: true, spec: { kind: 'ffmpeg_url', url: value } };
    default:
      return {
        ok: false,
        error: bridgeError('invalid_source', `unsupported scheme ${url.protocol}`),
      };
  }
}

/** A description safe for logs and windows: no credentials. */
export function describeSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'mjpeg':
    case 'ffmpeg_url':
      return redactUrl(spec.url);
    case 'v4l2':
      return spec.device;
    case 'lavfi':
      return `lavfi:${spec.graph}`;
    case 'file':
      return `file:${spec.path}`;
  }
}

/** Sources that end on their own (a test pattern with a duration, a file): no reconnect at the end. */
export function isFiniteSource(spec: SourceSpec): boolean {
  return spec.kind === 'lavfi' || spec.kind === 'file';
}
