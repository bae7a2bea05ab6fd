/**
 * What log lines may carry: URLs without their secrets, and strings a peer
 * chose (a pipeline id, a query, a header) cut to a bounded length, so one
 * request cannot write kilobytes into every line or flush the log ring.
 */

/** Longest string field a log line keeps (longer ones are cut, with a note of what was cut). */
export const MAX_LOGGED_STRING = 256;

/**
 * Query parameters whose value is a secret: a name holding any of these words,
 * case-insensitive (`pwd`, `access_token`, `api_key`, `X-Amz-Signature`…).
 */
const SECRET_PARAM =
  /([?&;][^=&#\s]*?(?:password|pwd|pass|token|key|secret|auth|sig)[^=&#\s]*=)[^&#\s]*/gi;

/** Masks user:password@ and credential query parameters in URLs (also URLs inside a text). */
export function redactUrl(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@')
    .replace(SECRET_PARAM, '$1***');
}

/** `value` cut to MAX_LOGGED_STRING characters, saying how much was left out. */
export function boundString(value: string): string {
  if (value.length <= MAX_LOGGED_STRING) return value;
  return `${value.slice(0, MAX_LOGGED_STRING)}… (${value.length - MAX_LOGGED_STRING} more characters)`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A log record with every string (top level and one level down) bounded; untouched when short. */
export function boundFields(record: Record<string, unknown>, depth = 1): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(record)) {
    const value = record[key];
    let bounded = value;
    if (typeof value === 'string') bounded = boundString(value);
    else if (depth > 0 && isPlainObject(value)) bounded = boundFields(value, depth - 1);
    if (bounded !== value) {
      out ??= { ...record };
      out[key] = bounded;
    }
  }
  return out ?? record;
}
