/**
 * Finding the system's ffmpeg and building its command line. The bridge never
 * downloads ffmpeg: it uses the one the technician installed (Debian: the
 * `ffmpeg` package, /usr/bin/ffmpeg) or the one named with --ffmpeg.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { bridgeError, type BridgeError } from './errors';
import type { SourceSpec } from './source-spec';

export type FfmpegSpec = Exclude<SourceSpec, { kind: 'mjpeg' }>;

/** Resolves the ffmpeg executable: an explicit path, $FFMPEG_PATH, or `ffmpeg` on $PATH. */
export function locateFfmpeg(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; path: string } | { ok: false; error: BridgeError } {
  const wanted = explicit ?? env.FFMPEG_PATH;
  if (wanted) {
    if (isExecutable(wanted)) return { ok: true, path: wanted };
    return { ok: false, error: bridgeError('ffmpeg_missing', `not an executable file: ${wanted}`) };
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    if (isExecutable(candidate)) return { ok: true, path: candidate };
  }
  return { ok: false, error: bridgeError('ffmpeg_missing', 'no ffmpeg on PATH') };
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * ffmpeg does not pace: `--fps` is kept by the bridge's pacer on the wall
 * clock. ffmpeg's `fps` filter trusts the input's timestamps, and an MJPEG
 * stream has none (ffmpeg assumes 25 fps, so `fps=10` kept 40 % of a real
 * 10 fps camera), and it duplicates frames of a source slower than asked.
 */
export interface FfmpegArgsOptions {
  /** JPEG quality, ffmpeg's -q:v scale: 2 (best) .. 31. Default 5. */
  quality?: number;
  /** For RTSP; TCP survives lossy networks better. Default tcp. */
  rtspTransport?: 'tcp' | 'udp';
  /** For V4L2 devices, e.g. 1280x720. */
  videoSize?: string;
}

/**
 * What ffmpeg may open for a network source: the protocols of the URL's own
 * scheme, and for HTTP only stream formats, never a playlist (HLS, DASH,
 * concat…) whose entries could point at other hosts, this machine included.
 */
/** ffmpeg's name for its stdin, where a stream already open is handed over. */
export const STDIN_URL = 'pipe:0';
const HTTP_STREAM_FORMATS = 'mpjpeg,mjpeg,mpegts,flv,matroska,mov,avi,h264,hevc,mpeg';
function urlInputLimits(url: string): string[] {
  // An HTTP response already open, handed over on stdin: the same stream formats, no network.
  if (url === STDIN_URL)
    return ['-protocol_whitelist', 'pipe', '-format_whitelist', HTTP_STREAM_FORMATS];
  if (/^rtsps?:/i.test(url)) return ['-protocol_whitelist', 'rtsp,rtsps,rtp,srtp,udp,tcp,tls'];
  return ['-protocol_whitelist', 'http,https,tcp,tls', '-format_whitelist', HTTP_STREAM_FORMATS];
}

/** Arguments that make ffmpeg write back-to-back JPEGs to stdout. */
export function ffmpegArgs(spec: FfmpegSpec, options: FfmpegArgsOptions = {}): string[] {
  const input: string[] = [];
  switch (spec.kind) {
    case 'ffmpeg_url':
      input.push(...urlInputLimits(spec.url));
      if (/^rtsps?:/i.test(spec.url)) input.push('-rtsp_transport', options.rtspTransport ?? 'tcp');
      input.push('-i', spec.url);
      break;
    case 'v4l2':
      input.push('-f', 'v4l2');
      if (options.videoSize) input.push('-video_size', options.videoSize);
      input.push('-i', spec.device);
      break;
    case 'lavfi':
      // -re: produce frames at the graph's own rate, like a camera would.
      input.push('-re', '-f', 'lavfi', '-i', spec.graph);
      break;
    case 'file':
      input.push('-re', '-i', spec.path);
      break;
  }
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...input,
    '-an',
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    '-q:v',
    String(options.quality ?? 5),
    'pipe:1',
  ];
}
