/** Bad (and good) inputs for the camera endpoint, each with what the protocol says must follow. */
import { headerJpeg } from '../../tests/helpers/jpeg-fixtures';
import { isProgressiveJpeg, tinyJpeg, withBombScans } from './decode-bombs';
import type { Rng } from './rng';

export type FrameKind =
  | 'valid'
  | 'tiny'
  | 'mutated'
  | 'truncated'
  | 'random'
  | 'scan_bomb'
  | 'huge_dimensions'
  | 'text'
  | 'empty'
  | 'oversized';

export interface FuzzFrame {
  kind: FrameKind;
  data: Buffer | string;
}

/**
 * What may follow a frame. `reply`: a result (or a pipeline_failure result) and
 * the session stays open. Otherwise the error code and close code that end it.
 */
export type Expected =
  { reply: true; error?: undefined } | { reply: false; error: string | null; closeCode: number };

/** Outcomes the protocol allows for each kind: one of the listed. */
export function allowedOutcomes(kind: FrameKind): Expected[] {
  const invalidJpeg: Expected = { reply: false, error: 'invalid_jpeg', closeCode: 1007 };
  switch (kind) {
    case 'valid':
    case 'tiny':
      return [{ reply: true }];
    // Damage past the headers is only found by the decoder: a pipeline_failure
    // result, session open. Damage the structural check sees: invalid_jpeg, 1007.
    case 'mutated':
    case 'truncated':
    case 'random':
      return [{ reply: true }, invalidJpeg];
    case 'huge_dimensions':
    case 'scan_bomb':
      return [invalidJpeg];
    case 'text':
      return [{ reply: false, error: 'invalid_message', closeCode: 1003 }];
    case 'empty':
      return [{ reply: false, error: 'empty_frame', closeCode: 1007 }];
    case 'oversized':
      // The JSON before the close is best-effort: the WebSocket layer may close first.
      return [
        { reply: false, error: 'frame_too_large', closeCode: 1009 },
        { reply: false, error: null, closeCode: 1009 },
      ];
  }
}

export function mutateJpeg(rng: Rng, jpeg: Buffer): Buffer {
  const out = Buffer.from(jpeg);
  const flips = rng.int(1, 24);
  for (let i = 0; i < flips; i++) {
    // Headers (first ~600 bytes) are where the interesting failures are: aim there half the time.
    const at = rng.chance(0.5)
      ? rng.int(2, Math.min(out.length - 3, 600))
      : rng.int(0, out.length - 1);
    out[at] = rng.chance(0.3) ? rng.pick([0x00, 0xff, 0xd8, 0xd9, 0xc0, 0xda]) : rng.int(0, 255);
  }
  return out;
}

export function truncateJpeg(rng: Rng, jpeg: Buffer): Buffer {
  return jpeg.subarray(0, rng.int(1, jpeg.length - 1));
}

/** A JPEG whose frame header (SOF0) declares width x height, with a scan and an EOI after it. */
export function jpegWithDimensions(width: number, height: number): Buffer {
  return headerJpeg(width, height, { quantTable: true });
}

export function hugeDimensionJpeg(rng: Rng): Buffer {
  return rng.chance(0.5)
    ? jpegWithDimensions(65500, 65500)
    : jpegWithDimensions(rng.int(16_385, 65_535), rng.int(1, 65_535));
}

export function textFrame(rng: Rng): string {
  return rng.pick([
    '',
    'hello',
    '{"frame_index":1}',
    JSON.stringify({ hello: { protocol: 1 } }),
    '\u0000\uffff'.repeat(rng.int(1, 50)),
    'x'.repeat(rng.int(1, 5000)),
  ]);
}

export function nextFrame(rng: Rng, jpegs: readonly Buffer[], maxFrameBytes: number): FuzzFrame {
  const jpeg = rng.pick(jpegs);
  const roll = rng.next();
  if (roll < 0.28) return { kind: 'valid', data: jpeg };
  if (roll < 0.3) return { kind: 'tiny', data: tinyJpeg() };
  if (roll < 0.58) return { kind: 'mutated', data: mutateJpeg(rng, jpeg) };
  if (roll < 0.7) return { kind: 'truncated', data: truncateJpeg(rng, jpeg) };
  if (roll < 0.79) {
    const data = rng.bytes(rng.int(1, 4096));
    if (rng.chance(0.3)) data[0] = 0xff; // half-right magic bytes now and then
    return { kind: 'random', data };
  }
  const progressive = jpegs.find(isProgressiveJpeg);
  if (roll < 0.83 && progressive) {
    // The progressive scan bomb: 65 scans (just over the limit) to a few thousand.
    const extra = Math.min(
      rng.int(65, 4000),
      Math.floor((maxFrameBytes - progressive.length) / 40),
    );
    return { kind: 'scan_bomb', data: withBombScans(progressive, extra) };
  }
  if (roll < 0.87) return { kind: 'huge_dimensions', data: hugeDimensionJpeg(rng) };
  if (roll < 0.92) return { kind: 'text', data: textFrame(rng) };
  if (roll < 0.95) return { kind: 'empty', data: Buffer.alloc(0) };
  return { kind: 'oversized', data: Buffer.alloc(maxFrameBytes + rng.int(1, 64 * 1024), 0xff) };
}

/** A query string with junk in it, and the camera_id/pipeline_id the station will read from it. */
export function malformedQuery(rng: Rng, lane: number, n: number): string {
  const junk = () =>
    rng.pick([
      '%ZZ',
      '%',
      '&&&',
      '==',
      'a'.repeat(rng.int(60, 300)),
      '..',
      'cam id',
      'caméra',
      '<script>',
      encodeURIComponent(rng.bytes(8).toString('latin1')),
      '',
    ]);
  const parts: string[] = [];
  const cameraRoll = rng.next();
  if (cameraRoll < 0.4) parts.push(`camera_id=${junk()}`);
  else if (cameraRoll < 0.8) parts.push(`camera_id=fz-q${lane}-${n}`);
  const pipelineRoll = rng.next();
  if (pipelineRoll < 0.3) parts.push(`pipeline_id=${junk()}`);
  else if (pipelineRoll < 0.6) parts.push('pipeline_id=noop');
  else if (pipelineRoll < 0.7) parts.push('pipeline_id=');
  if (rng.chance(0.3)) parts.push(junk());
  if (rng.chance(0.2)) parts.push(`camera_id=fz-dup-${lane}`);
  return rng.chance(0.5) ? parts.join('&') : rng.pick(['&', ';', '&&']) + parts.join('&');
}
