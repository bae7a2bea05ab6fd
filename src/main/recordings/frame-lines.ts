/** A page of a session's frames read from its results.jsonl, numeric results flattened for charts. */
import { open } from 'node:fs/promises';
import type { RecordedFrame } from '../../shared/recordings';
import { MAX_FRAMES_PAGE } from '../../shared/recordings';
import type { SessionIndex } from './session-index';

/** Numeric leaves deeper than this are not charted. */
const MAX_DEPTH = 3;

/** The positions [from, to) a request for `limit` frames at `offset` covers, within the session. */
export function pageBounds(
  offset: number,
  limit: number,
  size: number,
): { from: number; to: number } {
  const from = Math.min(Math.max(0, Math.floor(offset)), size);
  const to = Math.min(size, from + Math.min(MAX_FRAMES_PAGE, Math.max(0, Math.floor(limit))));
  return { from, to };
}

/** Lines [from, to) with their numeric results flattened for charts. */
export async function readFrames(
  index: SessionIndex,
  from: number,
  to: number,
): Promise<RecordedFrame[]> {
  const { start, stop } = index.span(from, to);
  if (stop <= start) return [];
  const text = await readSpan(index.results, start, stop);
  const frames: RecordedFrame[] = [];
  let position = from;
  for (const raw of text.split('\n')) {
    if (position >= to) break;
    const frame = frameOf(raw, index, position);
    if (!frame) continue;
    frames.push(frame);
    position++;
  }
  return frames;
}

async function readSpan(file: string, start: number, stop: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(stop - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The frame at `position` from its line, or null when the line is not that frame's. */
function frameOf(raw: string, index: SessionIndex, position: number): RecordedFrame | null {
  let line: { frame_index?: unknown; file?: unknown; time?: unknown; result?: unknown };
  try {
    line = JSON.parse(raw) as typeof line;
  } catch {
    return null;
  }
  const indexed = index.line(position);
  if (!indexed || line.frame_index !== indexed.frameIndex) return null;
  const values: Record<string, number> = {};
  flatten(line.result, '', 0, values);
  return {
    position,
    frame_index: indexed.frameIndex,
    file: indexed.file,
    time: typeof line.time === 'string' ? line.time : '',
    values,
  };
}

function flatten(value: unknown, prefix: string, depth: number, out: Record<string, number>): void {
  if (typeof value === 'number' && Number.isFinite(value) && prefix) {
    out[prefix] = value;
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || depth >= MAX_DEPTH) return;
  for (const [key, child] of Object.entries(value)) {
    flatten(child, prefix ? `${prefix}.${key}` : key, depth + 1, out);
  }
}
