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
import { bridgeError, type BridgeError } from './errors';
import { createMjpegParser, type MjpegParser } from './mjpeg-parser';
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

export function openMjpegHttpSource(
  options: MjpegHttpSourceOptions,
  handlers: SourceHandlers,
): SourceAttempt {
  const url = new URL(options.url);
  const client = url.protocol === 'https:' ? https : http;
  let ended = false;
  let stallTimer: NodeJS.Timeout | undefined;
  let delegate: SourceAttempt | null = null;

  function end(error: BridgeError): void {
    if (ended) return;
    ended = true;
    clearTimeout(stallTimer);
    request.destroy();
    handlers.onEnd({ kind: 'failed', error });
  }

  function armStall(ms: number, code: 'source_stalled' | 'source_unreachable'): void {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => end(bridgeError(code, `no data for ${ms} ms`)), ms);
  }

  function readMjpeg(response: http.IncomingMessage, guess: StreamGuess, head: Buffer): void {
    const parser: MjpegParser = createMjpegParser({
      boundary: guess.kind === 'multipart' ? guess.boundary : undefined,
      maxPartBytes: options.maxPartBytes,
      onImage: (image) => {
        if (!ended) handlers.onFrame(image);
      },
      onDiscard: (reason, bytes) => handlers.onDiscard?.(reason, bytes),
    });
    handlers.onDetected?.(guess.kind === 'multipart' ? 'mjpeg_multipart' : 'jpeg_stream');
    handlers.onOpen();
    parser.push(head);
    response.on('data', (chunk: Buffer) => {
      if (ended) return;
      armStall(options.stallMs, 'source_stalled');
      parser.push(chunk);
    });
  }

  function readOther(response: http.IncomingMessage, head: Buffer, contentType: string): void {
    if (!options.readOther) {
      response.resume();
      end(bridgeError('source_not_mjpeg', `Content-Type ${contentType}, no MJPEG markers`));
      return;
    }
    clearTimeout(stallTimer);
    const input = new PassThrough();
    input.write(head);
    response.pipe(input);
    handlers.onDetected?.('other', `Content-Type ${contentType}, no MJPEG markers`);
    delegate = options.readOther(input, {
      ...handlers,
      onEnd(outcome) {
        if (ended) return;
        ended = true;
        request.destroy();
        handlers.onEnd(outcome);
      },
    });
  }

  function onResponse(response: http.IncomingMessage): void {
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      response.resume();
      end(bridgeError('source_http_status', `HTTP ${status} from ${redactUrl(options.url)}`));
      return;
    }
    const contentType = response.headers['content-type'] ?? 'missing';
    let head = Buffer.alloc(0);
    armStall(options.stallMs, 'source_stalled');
    const sniff = (chunk: Buffer) => {
      if (ended) return;
      armStall(options.stallMs, 'source_stalled');
      head = Buffer.concat([head, chunk]);
      const guess = sniffStream(head, contentType);
      if (guess.kind === 'undecided') return;
      response.off('data', sniff);
      if (guess.kind === 'other') readOther(response, head, contentType);
      else readMjpeg(response, guess, head);
    };
    response.on('data', sniff);
    response.on('end', () => {
      if (!delegate) end(bridgeError('source_ended', 'the camera closed the stream'));
    });
    response.on('error', (err) => {
      if (!delegate) end(bridgeError('source_ended', err.message));
    });
  }

  const request = client.get(
    url,
    { headers: { Accept: 'multipart/x-mixed-replace, image/jpeg, */*' } },
    onResponse,
  );
  request.on('error', (err: NodeJS.ErrnoException) => {
    if (delegate) return;
    end(
      bridgeError('source_unreachable', `${err.code ?? err.message} (${redactUrl(options.url)})`),
    );
  });
  armStall(options.connectTimeoutMs, 'source_unreachable');

  return {
    async close() {
      ended = true;
      clearTimeout(stallTimer);
      request.destroy();
      if (delegate) await delegate.close();
    },
  };
}
