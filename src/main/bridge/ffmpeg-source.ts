/**
 * Reads anything ffmpeg reads (RTSP, a V4L2 device, a lavfi graph, a file, or
 * a stream already open, on its stdin) as back-to-back JPEGs on ffmpeg's
 * stdout, split on JPEG markers. ffmpeg's messages are kept for the error
 * report with credentials removed.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { redactUrl } from '../observe/logger';
import { bridgeError } from './errors';
import { ffmpegArgs, STDIN_URL, type FfmpegArgsOptions, type FfmpegSpec } from './ffmpeg';
import { createJpegSplitter } from './jpeg-splitter';
import { AttemptEnding } from './attempt-ending';
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

type FfmpegChild = ChildProcessByStdio<Writable, Readable, Readable>;

class FfmpegAttempt implements SourceAttempt {
  private readonly child: FfmpegChild;
  private readonly ending: AttemptEnding;
  /** Resolves when ffmpeg has exited and its pipes are closed. */
  private readonly exited: Promise<void>;
  private opened = false;
  /** The end of ffmpeg's messages, for the error report. */
  private stderrTail = '';

  constructor(
    private readonly options: FfmpegSourceOptions,
    private readonly handlers: SourceHandlers,
  ) {
    const { input } = options;
    const spec: FfmpegSpec = input ? { kind: 'ffmpeg_url', url: STDIN_URL } : options.spec;
    this.child = spawn(options.ffmpegPath, ffmpegArgs(spec, options), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.ending = new AttemptEnding(handlers, () => this.kill());
    const { child } = this;
    this.exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.feedStdin(input);
    this.readOutput();
    child.on('error', (err: NodeJS.ErrnoException) => this.onSpawnError(err));
    child.on('close', (exitCode, signal) => this.onExit(exitCode, signal));
    this.watchStall();
  }

  async close(): Promise<void> {
    this.ending.close();
    const { child } = this;
    if (child.pid === undefined || !this.running()) return;
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    await this.exited;
    clearTimeout(grace);
  }

  /** ffmpeg reads `input` (a stream already open) on its stdin, or nothing at all. */
  private feedStdin(input: Readable | undefined): void {
    const { stdin } = this.child;
    // ffmpeg may exit before reading everything: its closed stdin is not an error of ours.
    stdin.on('error', () => undefined);
    if (!input) {
      stdin.end();
      return;
    }
    input.pipe(stdin);
    void this.exited.then(() => input.destroy());
  }

  /** JPEGs from stdout; the tail of stderr kept for the error report. */
  private readOutput(): void {
    const { child, options, handlers } = this;
    const splitter = createJpegSplitter({
      maxImageBytes: options.maxPartBytes,
      onImage: (image) => this.onImage(image),
      onDiscard: (bytes, reason) => handlers.onDiscard?.(reason, bytes),
    });
    child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEEP_BYTES);
    });
  }

  private onImage(image: Buffer): void {
    if (this.ending.over) return;
    if (!this.opened) {
      this.opened = true;
      this.handlers.onOpen();
    }
    this.watchStall();
    this.handlers.onFrame(image);
  }

  private watchStall(): void {
    const { stallMs } = this.options;
    this.ending.watch(stallMs, () =>
      bridgeError('source_stalled', `no frame for ${stallMs} ms${this.lastWords()}`),
    );
  }

  private onSpawnError(err: NodeJS.ErrnoException): void {
    const code =
      err.code === 'ENOENT' || err.code === 'EACCES' ? 'ffmpeg_missing' : 'ffmpeg_failed';
    this.ending.fail(bridgeError(code, `${err.code ?? ''} ${err.message}`.trim()));
  }

  /** A finite source ends with exit 0; any other exit is a failure to retry after. */
  private onExit(exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (exitCode === 0 && isFiniteSource(this.options.spec)) {
      this.ending.end({ kind: 'finished' });
      return;
    }
    this.ending.fail(
      exitCode === 0
        ? bridgeError('source_ended', `ffmpeg ended${this.lastWords()}`)
        : bridgeError(
            'ffmpeg_failed',
            `ffmpeg exited with ${signal ?? `code ${exitCode}`}${this.lastWords()}`,
          ),
    );
  }

  /** ffmpeg's last three lines, credentials removed. */
  private lastWords(): string {
    const text = redactUrl(this.stderrTail.trim()).split('\n').slice(-3).join(' | ');
    return text ? `: ${text}` : '';
  }

  private running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private kill(): void {
    if (this.running()) this.child.kill('SIGKILL');
  }
}

export function openFfmpegSource(
  options: FfmpegSourceOptions,
  handlers: SourceHandlers,
): SourceAttempt {
  return new FfmpegAttempt(options, handlers);
}
