/**
 * The HTTP `Range` header for one file (RFC 9110 §14): a single byte range,
 * `bytes=a-b`, `bytes=a-` or `bytes=-n`. Several ranges are answered with the
 * whole file (allowed by the RFC); an unsatisfiable one with 416.
 */
export type RangeAnswer =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'full' };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return { kind: 'full' };
  const [, first, last] = match;
  if (!first && !last) return { kind: 'full' };
  if (!first) {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last ? Math.min(Number(last), size - 1) : size - 1;
  if (end < start) return { kind: 'full' };
  return { kind: 'partial', start, end };
}
