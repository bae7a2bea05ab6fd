/**
 * Reads anything ffmpeg reads (RTSP, a V4L2 device, a lavfi graph, a file, or
 * a stream already open, on its stdin) as back-to-back JPEGs on ffmpeg's
 * stdout, split on JPEG markers. ffmpeg's messages are kept for the error
 * report with credentials removed.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { redactUrl } from '../observe/logger';
import { bridgeError, type BridgeError } from './errors';
import { ffmpegArgs, STDIN_URL, type FfmpegArgsOptions, type FfmpegSpec } from './ffmpeg';
import { createJpegSplitter } from './jpeg-splitter';
import type { SourceAttempt, SourceHandlers } from './source';
import { isFiniteSource } from './source-spec';

export interface FfmpegSourceOptions extends FfmpegArgsOptions {
  ffmpegPath: string;
  spec: FfmpegSpec;
  maxPartBytes: number;
  /** No frame for this long ends the attempt (also covers a slow start). */
  stallMs: number;
  /** Bytes to read instead of opening `spec` (an HTTP response already open); ffmpeg reads them on stdin. */
  input?: Readable;
}

const STDERR_KEEP_BYTES = 4096;
const KILL_GRACE_MS = 2000;

export function openFfmpegSource(
  options: FfmpegSourceOptions,
  handlers: SourceHandlers,
): SourceAttempt {
  const input = options.input;
  const spec: FfmpegSpec = input ? { kind: 'ffmpeg_url', url: STDIN_URL } : options.spec;
  const child = spawn(options.ffmpegPath, ffmpegArgs(spec, options), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // ffmpeg may exit before reading everything: its closed stdin is not an error of ours.
  child.stdin.on('error', () => undefined);
  if (input) input.pipe(child.stdin);
  else child.stdin.end();
  let ended = false;
  let closing = false;
  let opened = false;
  let stderrTail = '';
  let stallTimer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  if (input) void exited.then(() => input.destroy());

  function end(outcome: { kind: 'finished' } | { kind: 'failed'; error: BridgeError }): void {
    if (ended) return;
    ended = true;
    clearTimeout(stallTimer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (!closing) handlers.onEnd(outcome);
  }

  function armStall(): void {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      end({
        kind: 'failed',
        error: bridgeError('source_stalled', `no frame for ${options.stallMs} ms${lastWords()}`),
      });
    }, options.stallMs);
  }

  function lastWords(): string {
    const text = redactUrl(stderrTail.trim()).split('\n').slice(-3).join(' | ');
    return text ? `: ${text}` : '';
  }

  const splitter = createJpegSplitter({
    maxImageBytes: options.maxPartBytes,
    onImage: (image) => {
      if (ended) return;
      if (!opened) {
        opened = true;
        handlers.onOpen();
      }
      armStall();
      handlers.onFrame(image);
    },
    onDiscard: (bytes, reason) => handlers.onDiscard?.(reason, bytes),
  });

  child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    stderrTail = (stderrTail + text).slice(-STDERR_KEEP_BYTES);
  });
  child.on('error', (err: NodeJS.ErrnoException) => {
    const code =
      err.code === 'ENOENT' || err.code === 'EACCES' ? 'ffmpeg_missing' : 'ffmpeg_failed';
    end({ kind: 'failed', error: bridgeError(code, `${err.code ?? ''} ${err.message}`.trim()) });
  });
  child.on('close', (exitCode, signal) => {
    if (exitCode === 0 && isFiniteSource(options.spec)) return end({ kind: 'finished' });
    if (exitCode === 0) {
      return end({
        kind: 'failed',
        error: bridgeError('source_ended', `ffmpeg ended${lastWords()}`),
      });
    }
    end({
      kind: 'failed',
      error: bridgeError(
        'ffmpeg_failed',
        `ffmpeg exited with ${signal ?? `code ${exitCode}`}${lastWords()}`,
      ),
    });
  });
  armStall();

  return {
    async close() {
      closing = true;
      ended = true;
      clearTimeout(stallTimer);
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const grace = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        await exited;
        clearTimeout(grace);
      }
    },
  };
}
