/**
 * A recorded session (or a part of it) as H.264 in fragmented MP4, encoded by
 * the system's ffmpeg while it streams: the JPEGs go to ffmpeg's stdin one
 * after the other (read with backpressure), the MP4 comes out of its stdout.
 * No temporary file; the child is ended when the client goes away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { locateFfmpeg } from '../bridge/ffmpeg';
import type { SessionIndex } from './session-index';
import type { FrameSpan } from './zip-export';

export const MIN_EXPORT_FPS = 0.1;
export const MAX_EXPORT_FPS = 120;

/** The frame rate the session was recorded at (frames over time), within the export limits. */
export function recordedFps(index: SessionIndex, span: FrameSpan): number {
  const first = index.line(span.from)?.time;
  const last = index.line(span.to - 1)?.time;
  const frames = span.to - span.from;
  if (first === undefined || last === undefined || !(last > first) || frames < 2) return 10;
  const fps = (frames - 1) / ((last - first) / 1000);
  return Math.min(MAX_EXPORT_FPS, Math.max(MIN_EXPORT_FPS, Math.round(fps * 100) / 100));
}

export type Mp4Start =
  { ok: true; stream: Readable; child: ChildProcess } | { ok: false; message: string };

export function ffmpegArgsForMp4(fps: number): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    '-framerate',
    String(fps),
    '-i',
    'pipe:0',
    // Even dimensions: yuv420p needs them.
    '-vf',
    'pad=ceil(iw/2)*2:ceil(ih/2)*2',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    'frag_keyframe+empty_moov+default_base_moof',
    '-f',
    'mp4',
    'pipe:1',
  ];
}

/** Starts ffmpeg on the span; `onError` hears a failed read or encode (after headers went out). */
export function mp4Session(
  index: SessionIndex,
  span: FrameSpan,
  fps: number,
  onError: (detail: string) => void,
): Mp4Start {
  const ffmpeg = locateFfmpeg(undefined);
  if (!ffmpeg.ok) {
    return {
      ok: false,
      message:
        'MP4 export needs ffmpeg, which is not installed here (Debian/Ubuntu: apt-get install ffmpeg); the ZIP export works without it',
    };
  }
  const child = spawn(ffmpeg.path, ffmpegArgsForMp4(fps), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  child.on('error', (err) => onError(err.message));
  child.on('close', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL')
      onError(`ffmpeg exited with ${code ?? signal}: ${stderr.trim()}`);
  });
  async function* frames() {
    for (let position = span.from; position < span.to; position++) {
      const { file } = index.line(position)!;
      for await (const chunk of createReadStream(join(index.dir, file))) yield chunk as Buffer;
    }
  }
  pipeline(Readable.from(frames()), child.stdin).catch((err: Error & { code?: string }) => {
    // EPIPE: ffmpeg was ended (client gone); anything else is worth saying.
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') onError(err.message);
  });
  return { ok: true, stream: child.stdout, child };
}
