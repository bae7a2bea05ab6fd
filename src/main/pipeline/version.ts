/**
 * A pipeline's version: SHA-256 (hex) of its definition's canonical JSON
 * (object keys sorted, no whitespace), so the same definition always hashes the
 * same whatever the file's formatting or key order.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function definitionVersion(definition: unknown): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}
