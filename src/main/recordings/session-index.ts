/**
 * An index of one recorded session's results.jsonl: where each complete line
 * starts, its frame, file and time, and the bytes on disk. Built once, then
 * extended by reading only what was appended since (the file is append-only),
 * so paging through a session of 100k+ frames reads only the page's lines.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';

const CHUNK = 256 * 1024;
const STAT_BATCH = 64;

export interface IndexedLine {
  frameIndex: number;
  file: string;
  /** ms since the epoch; NaN when the line has no readable time. */
  time: number;
}

export class SessionIndex {
  /** Byte offset of each indexed line; `end` is one past the last complete line. */
  private starts: number[] = [];
  private end = 0;
  private lines: IndexedLine[] = [];
  private frameBytes = 0;
  private resultsBytes = 0;
  private pipeline: { id: string; version: string } | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  get results(): string {
    return join(this.dir, 'results.jsonl');
  }

  get size(): number {
    return this.lines.length;
  }

  get bytes(): number {
    return this.frameBytes + this.resultsBytes;
  }

  get firstPipeline(): { id: string; version: string } | null {
    return this.pipeline;
  }

  line(position: number): IndexedLine | undefined {
    return this.lines[position];
  }

  /** Reads what was appended since the last refresh (one refresh at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.extend().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async extend(): Promise<void> {
    const info = await stat(this.results);
    if (info.size < this.end) this.reset();
    this.resultsBytes = info.size;
    if (info.size === this.end) return;
    const handle = await open(this.results, 'r');
    const added: IndexedLine[] = [];
    try {
      let carry = Buffer.alloc(0);
      let position = this.end;
      while (position < info.size) {
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK, info.size - position));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data = carry.length
          ? Buffer.concat([carry, buffer.subarray(0, bytesRead)])
          : buffer.subarray(0, bytesRead);
        let lineStart = 0;
        for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, lineStart)) {
          const parsed = parseLine(data.subarray(lineStart, nl));
          if (parsed) {
            this.starts.push(this.end);
            added.push(parsed.line);
            this.lines.push(parsed.line);
            this.pipeline ??= parsed.pipeline;
          }
          this.end += nl + 1 - lineStart;
          lineStart = nl + 1;
        }
        // A line still being written waits for the next refresh.
        carry = Buffer.from(data.subarray(lineStart));
      }
    } finally {
      await handle.close();
    }
    await this.countFrameBytes(added);
  }

  private reset(): void {
    this.starts = [];
    this.end = 0;
    this.lines = [];
    this.frameBytes = 0;
    this.pipeline = null;
  }

  private async countFrameBytes(added: IndexedLine[]): Promise<void> {
    for (let i = 0; i < added.length; i += STAT_BATCH) {
      const sizes = await Promise.all(
        added.slice(i, i + STAT_BATCH).map((line) =>
          stat(join(this.dir, line.file)).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      for (const size of sizes) this.frameBytes += size;
    }
  }

  /** Byte span [start, stop) of lines [from, to) in results.jsonl, newlines included. */
  span(from: number, to: number): { start: number; stop: number } {
    const start = this.starts[from] ?? this.end;
    const stop = this.starts[to] ?? this.end;
    return { start, stop: Math.max(start, stop) };
  }
}

/** A results.jsonl line's frame, file and time; null for a line that is not one. */
function parseLine(
  bytes: Buffer,
): { line: IndexedLine; pipeline: { id: string; version: string } | null } | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as { frame_index?: unknown; file?: unknown; time?: unknown; pipeline?: unknown };
  if (typeof v.frame_index !== 'number' || typeof v.file !== 'string') return null;
  if (!FRAME_FILE.test(v.file)) return null;
  const p = v.pipeline as { id?: unknown; version?: unknown } | undefined;
  const pipeline =
    p && typeof p.id === 'string' && typeof p.version === 'string'
      ? { id: p.id, version: p.version }
      : null;
  return {
    line: {
      frameIndex: v.frame_index,
      file: v.file,
      time: typeof v.time === 'string' ? Date.parse(v.time) : NaN,
    },
    pipeline,
  };
}

/** The names the recording store gives frames: digits and `.jpg`, never a path. */
export const FRAME_FILE = /^[0-9]{1,20}\.jpg$/;
