/**
 * What a camera client makes of a refused upgrade: the status, `Retry-After`
 * and, from a full station's JSON body, the peers it names (docs/protocol.md).
 * Only ws:// and wss:// alternatives are kept.
 */
import type { IncomingMessage } from 'node:http';

export interface Refusal {
  status: number;
  /** The body's `error` (e.g. `station_full`), or null. */
  error: string | null;
  /** Seconds to wait before trying this station again, when it said. */
  retryAfterS: number | null;
  /** Camera URLs of peers with room, best first. */
  alternatives: string[];
}

/** Bodies larger than this are not read. */
const MAX_BODY_BYTES = 16 * 1024;
const MAX_ALTERNATIVES = 8;
const READ_TIMEOUT_MS = 2000;

/** The peers of a refusal body, keeping only web-socket URLs. */
export function parseRefusal(
  status: number,
  retryAfterHeader: string | undefined,
  body: string,
): Refusal {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    data = null;
  }
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const alternatives = Array.isArray(record.alternatives)
    ? record.alternatives.filter(isStreamUrl).slice(0, MAX_ALTERNATIVES)
    : [];
  const fromBody = typeof record.retry_after === 'number' ? record.retry_after : null;
  const fromHeader = retryAfterHeader !== undefined ? Number(retryAfterHeader) : NaN;
  const retryAfterS = Number.isFinite(fromHeader) && fromHeader >= 0 ? fromHeader : fromBody;
  return {
    status,
    error: typeof record.error === 'string' ? record.error : null,
    retryAfterS,
    alternatives,
  };
}

function isStreamUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'ws:' || protocol === 'wss:';
  } catch {
    return false;
  }
}

/** Reads a refused upgrade's answer (bounded in size and time). */
export function readRefusal(response: IncomingMessage): Promise<Refusal> {
  const status = response.statusCode ?? 0;
  const retryAfter = response.headers['retry-after'];
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      resolve(parseRefusal(status, retryAfter, Buffer.concat(chunks).toString('utf8')));
    };
    const timer = setTimeout(finish, READ_TIMEOUT_MS);
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    response.once('end', finish);
    response.once('error', finish);
    response.once('close', finish);
  });
}

/** A camera client's refusal, with what the station said. */
export class StationRefusedError extends Error {
  readonly code = 'station_refused';
  constructor(readonly refusal: Refusal) {
    super(
      `station refused the camera: HTTP ${refusal.status}${refusal.error ? ` (${refusal.error})` : ''}`,
    );
  }
}

/**
 * Starts a client at `url`; when a full station names alternatives, tries
 * them in order. Resolves with the URL that took the camera, or rejects with
 * the first refusal (the caller then waits its `retry_after`).
 */
export async function startWithHandoff<T>(
  url: string,
  start: (url: string) => Promise<T>,
): Promise<{ url: string; value: T }> {
  try {
    return { url, value: await start(url) };
  } catch (err) {
    if (!(err instanceof StationRefusedError)) throw err;
    for (const alternative of err.refusal.alternatives) {
      try {
        return { url: alternative, value: await start(alternative) };
      } catch {
        // the next one
      }
    }
    throw err;
  }
}
