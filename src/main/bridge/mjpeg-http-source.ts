/**
 * Reads MJPEG over HTTP(S) in-process: one GET, the multipart body parsed into
 * JPEGs as it streams. Basic-auth credentials in the URL are sent as a header
 * by Node and never logged. Redirects are not followed.
 */
import http from 'node:http';
import https from 'node:https';
import { redactUrl } from '../observe/logger';
import { bridgeError, type BridgeError } from './errors';
import { boundaryFromContentType, createMjpegParser, isMultipartContentType } from './mjpeg-parser';
import type { SourceAttempt, SourceHandlers } from './source';

export interface MjpegHttpSourceOptions {
  url: string;
  maxPartBytes: number;
  /** No byte for this long ends the attempt. */
  stallMs: number;
  /** Waiting for the camera's answer, ms. */
  connectTimeoutMs: number;
}

export function openMjpegHttpSource(
  options: MjpegHttpSourceOptions,
  handlers: SourceHandlers,
): SourceAttempt {
  const url = new URL(options.url);
  const client = url.protocol === 'https:' ? https : http;
  let ended = false;
  let stallTimer: NodeJS.Timeout | undefined;

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

  const request = client.get(
    url,
    { headers: { Accept: 'multipart/x-mixed-replace, image/jpeg' } },
    (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        end(bridgeError('source_http_status', `HTTP ${status} from ${redactUrl(options.url)}`));
        return;
      }
      const contentType = response.headers['content-type'];
      const multipart = isMultipartContentType(contentType);
      if (!multipart && !/^\s*image\/jpeg/i.test(contentType ?? '')) {
        response.resume();
        end(bridgeError('source_not_mjpeg', `Content-Type ${contentType ?? 'missing'}`));
        return;
      }
      const parser = createMjpegParser({
        boundary: multipart ? boundaryFromContentType(contentType) : undefined,
        maxPartBytes: options.maxPartBytes,
        onImage: (image) => {
          if (!ended) handlers.onFrame(image);
        },
        onDiscard: (reason, bytes) => handlers.onDiscard?.(reason, bytes),
      });
      handlers.onOpen();
      armStall(options.stallMs, 'source_stalled');
      response.on('data', (chunk: Buffer) => {
        if (ended) return;
        armStall(options.stallMs, 'source_stalled');
        parser.push(chunk);
      });
      response.on('end', () => end(bridgeError('source_ended', 'the camera closed the stream')));
      response.on('error', (err) => end(bridgeError('source_ended', err.message)));
    },
  );
  request.on('error', (err: NodeJS.ErrnoException) =>
    end(
      bridgeError('source_unreachable', `${err.code ?? err.message} (${redactUrl(options.url)})`),
    ),
  );
  armStall(options.connectTimeoutMs, 'source_unreachable');

  return {
    close() {
      ended = true;
      clearTimeout(stallTimer);
      request.destroy();
      return Promise.resolve();
    },
  };
}
