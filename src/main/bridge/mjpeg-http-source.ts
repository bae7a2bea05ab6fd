/**
 * Reads an HTTP(S) camera stream in-process: one GET, and what it is (MJPEG
 * multipart, bare JPEGs, or something else) is told from its first bytes
 * (stream-sniff.ts), whatever the Content-Type says. MJPEG is parsed here; any
 * other stream is handed, still open, to `readOther` (ffmpeg reading stdin), so
 * a camera that serves one client at a time is never spent on a probe.
 * Basic-auth credentials in the URL are sent as a header by Node and never
 * logged. Redirects are not followed.
 */
import http from 'node:http';
import https from 'node:https';
import { PassThrough, type Readable } from 'node:stream';
import { redactUrl } from '../observe/logger';
import { bridgeError } from './errors';
import { createMjpegParser, type MjpegParser } from './mjpeg-parser';
import { AttemptEnding } from './attempt-ending';
import type { SourceAttempt, SourceHandlers } from './source';
import { sniffStream, type StreamGuess } from './stream-sniff';

export interface MjpegHttpSourceOptions {
  url: string;
  maxPartBytes: number;
  /** No byte for this long ends the attempt. */
  stallMs: number;
  /** Waiting for the camera's answer, ms. */
  connectTimeoutMs: number;
  /**
   * Reads a stream that is not MJPEG from the open response (its bytes so far
   * included). Absent: the attempt ends with `source_not_mjpeg`.
   */
  readOther?(input: Readable, handlers: SourceHandlers): SourceAttempt;
}

type MjpegGuess = Extract<StreamGuess, { kind: 'multipart' | 'jpeg' }>;

const ACCEPT = 'multipart/x-mixed-replace, image/jpeg, */*';

class MjpegHttpAttempt implements SourceAttempt {
  private readonly request: http.ClientRequest;
  private readonly ending: AttemptEnding;
  /** The reader a stream that is not MJPEG went to; it owns the attempt's end from then on. */
  private delegate: SourceAttempt | null = null;

  constructor(
    private readonly options: MjpegHttpSourceOptions,
    private readonly handlers: SourceHandlers,
  ) {
    const url = new URL(options.url);
    const client = url.protocol === 'https:' ? https : http;
    this.ending = new AttemptEnding(handlers, () => this.request.destroy());
    this.request = client.get(url, { headers: { Accept: ACCEPT } }, (response) =>
      this.onResponse(response),
    );
    this.request.on('error', (err: NodeJS.ErrnoException) => this.onRequestError(err));
    this.watch(options.connectTimeoutMs, 'source_unreachable');
  }

  async close(): Promise<void> {
    this.ending.close();
    this.request.destroy();
    if (this.delegate) await this.delegate.close();
  }

  /** No byte for `ms` ends the attempt with `code`. */
  private watch(ms: number, code: 'source_stalled' | 'source_unreachable'): void {
    this.ending.watch(ms, () => bridgeError(code, `no data for ${ms} ms`));
  }

  private onRequestError(err: NodeJS.ErrnoException): void {
    if (this.delegate) return;
    const where = redactUrl(this.options.url);
    this.ending.fail(bridgeError('source_unreachable', `${err.code ?? err.message} (${where})`));
  }

  private onResponse(response: http.IncomingMessage): void {
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      response.resume();
      const detail = `HTTP ${status} from ${redactUrl(this.options.url)}`;
      this.ending.fail(bridgeError('source_http_status', detail));
      return;
    }
    this.sniff(response, response.headers['content-type'] ?? 'missing');
    response.on('end', () => {
      if (!this.delegate)
        this.ending.fail(bridgeError('source_ended', 'the camera closed the stream'));
    });
    response.on('error', (err) => {
      if (!this.delegate) this.ending.fail(bridgeError('source_ended', err.message));
    });
  }

  /** Gathers the first bytes until they tell what the stream is, then hands it to its reader. */
  private sniff(response: http.IncomingMessage, contentType: string): void {
    let head = Buffer.alloc(0);
    this.watch(this.options.stallMs, 'source_stalled');
    const onData = (chunk: Buffer) => {
      if (this.ending.over) return;
      this.watch(this.options.stallMs, 'source_stalled');
      head = Buffer.concat([head, chunk]);
      const guess = sniffStream(head, contentType);
      if (guess.kind === 'undecided') return;
      response.off('data', onData);
      if (guess.kind === 'other') this.readOther(response, head, contentType);
      else this.readMjpeg(response, guess, head);
    };
    response.on('data', onData);
  }

  private readMjpeg(response: http.IncomingMessage, guess: MjpegGuess, head: Buffer): void {
    const { handlers, ending } = this;
    const parser: MjpegParser = createMjpegParser({
      boundary: guess.kind === 'multipart' ? guess.boundary : undefined,
      maxPartBytes: this.options.maxPartBytes,
      onImage: (image) => {
        if (!ending.over) handlers.onFrame(image);
      },
      onDiscard: (reason, bytes) => handlers.onDiscard?.(reason, bytes),
    });
    handlers.onDetected?.(guess.kind === 'multipart' ? 'mjpeg_multipart' : 'jpeg_stream');
    handlers.onOpen();
    parser.push(head);
    response.on('data', (chunk: Buffer) => {
      if (ending.over) return;
      this.watch(this.options.stallMs, 'source_stalled');
      parser.push(chunk);
    });
  }

  /** The open response, its bytes so far first, to `readOther`; whose end is this attempt's. */
  private readOther(response: http.IncomingMessage, head: Buffer, contentType: string): void {
    const detail = `Content-Type ${contentType}, no MJPEG markers`;
    if (!this.options.readOther) {
      response.resume();
      this.ending.fail(bridgeError('source_not_mjpeg', detail));
      return;
    }
    this.ending.unwatch();
    const input = new PassThrough();
    input.write(head);
    response.pipe(input);
    this.handlers.onDetected?.('other', detail);
    this.delegate = this.options.readOther(input, {
      ...this.handlers,
      onEnd: (outcome) => this.ending.end(outcome),
    });
  }
}

export function openMjpegHttpSource(
  options: MjpegHttpSourceOptions,
  handlers: SourceHandlers,
): SourceAttempt {
  return new MjpegHttpAttempt(options, handlers);
}
