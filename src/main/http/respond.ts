/** Small helpers for the station's HTTP responses. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
): void {
  sendJson(res, status, { ok: false, code, message });
}

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The body formats the station reads: JSON, and the form a plain HTML form posts. */
export type BodyFormat = 'json' | 'form';

const CONTENT_TYPES: Record<BodyFormat, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
};

const FORMAT_NAMES: Record<BodyFormat, string> = { json: 'JSON', form: 'a form' };

/** The format a request says its body is in, if it is one the station reads. */
export function bodyFormatOf(req: IncomingMessage): BodyFormat | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const found = (Object.keys(CONTENT_TYPES) as BodyFormat[]).find((f) => CONTENT_TYPES[f] === type);
  return found ?? null;
}

/** The whole body, at most `limit` bytes (413 beyond, and the rest is not kept). */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Answer 413 and stop keeping the body; the connection closes after the answer
        // (the server's request timeout bounds a sender that never stops).
        reject(new RequestError(413, `Body over ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => reject(new RequestError(400, err.message)));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Reads a small body in one of the `accepted` formats into its fields: JSON as
 * parsed, a form as name → value (the last of a repeated name). Refuses another
 * content type (415), more than `limit` bytes (413) and malformed JSON (400).
 */
export async function readBody(
  req: IncomingMessage,
  accepted: readonly BodyFormat[],
  limit = 64 * 1024,
): Promise<{ format: BodyFormat; fields: unknown }> {
  const format = bodyFormatOf(req);
  if (!format || !accepted.includes(format)) {
    req.resume();
    const described = accepted.map((f) => `${FORMAT_NAMES[f]} (Content-Type: ${CONTENT_TYPES[f]})`);
    throw new RequestError(415, `Send the body as ${described.join(' or ')}`);
  }
  const text = (await readBytes(req, limit)).toString('utf8');
  if (format === 'form') return { format, fields: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { format, fields: text ? (JSON.parse(text) as unknown) : {} };
  } catch {
    throw new RequestError(400, 'Body is not valid JSON');
  }
}

/** Reads a small JSON body; refuses more than `limit` bytes or non-JSON content. */
export async function readJsonBody(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  return (await readBody(req, ['json'], limit)).fields;
}
