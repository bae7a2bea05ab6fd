/**
 * A recorded session (or a part of it) as a ZIP streamed to the client: the
 * JPEGs as stored (not recompressed) and results.jsonl, its lines byte for byte
 * as on disk. yazl reads each file only when its turn comes and writes ZIP64
 * when a session passes 4 GiB or 65,535 files.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { SessionIndex } from './session-index';

/** Positions [from, to) of the session's frames. */
export interface FrameSpan {
  from: number;
  to: number;
}

/** The positions of frames whose time is within [fromMs, toMs] (either end open). */
export function spanOfTimes(
  index: SessionIndex,
  fromMs: number | null,
  toMs: number | null,
): FrameSpan {
  let from = 0;
  while (from < index.size && fromMs !== null && !(index.line(from)!.time >= fromMs)) from++;
  let to = from;
  while (to < index.size && (toMs === null || !(index.line(to)!.time > toMs))) to++;
  return { from, to };
}

export function zipSession(index: SessionIndex, span: FrameSpan): NodeJS.ReadableStream {
  const zip = new ZipFile();
  const { start, stop } = index.span(span.from, span.to);
  zip.addReadStreamLazy('results.jsonl', { size: stop - start }, (cb) =>
    cb(
      null,
      stop > start ? createReadStream(index.results, { start, end: stop - 1 }) : Readable.from([]),
    ),
  );
  for (let position = span.from; position < span.to; position++) {
    const { file } = index.line(position)!;
    zip.addReadStreamLazy(file, { compress: false }, (cb) =>
      cb(null, createReadStream(join(index.dir, file))),
    );
  }
  zip.end();
  return zip.outputStream;
}
