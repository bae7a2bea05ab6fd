/**
 * Micro-benchmark of the frame's one marker walk (checkJpeg), which runs on
 * the main thread for every frame: microseconds per frame for typical camera
 * frames, a progressive frame, the smallest JPEG, a refused scan bomb and the
 * worst case the walk allows (a frame at STREAM_MAX_FRAME_BYTES whose scan is
 * all stuffed FF 00 pairs, so every other byte is a candidate marker).
 *
 *   npx tsx bench/jpeg-walk.ts
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { checkJpeg } from '../src/main/pipeline/jpeg-header';
import { createFrameSource } from '../src/main/sim/frame-source';
import { progressiveScanBomb, tinyJpeg } from './fuzz/decode-bombs';

const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** A valid-looking baseline frame whose only scan is `bytes` of FF 00 pairs. */
function stuffedFrame(bytes: number): Buffer {
  const tiny = tinyJpeg();
  const sosEnd = tiny.length - 3; // before the one entropy byte and EOI
  const stuffing = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 2) stuffing[i] = 0xff;
  return Buffer.concat([tiny.subarray(0, sosEnd), stuffing, tiny.subarray(tiny.length - 2)]);
}

function measure(name: string, frame: Buffer, budgetMs = 400): void {
  const ok = checkJpeg(frame).ok;
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < budgetMs) {
    for (let i = 0; i < 16; i++) checkJpeg(frame);
    runs += 16;
  }
  const us = ((performance.now() - started) * 1000) / runs;
  const kib = (frame.length / 1024).toFixed(1).padStart(8);
  console.log(
    `${name.padEnd(44)} ${kib} KiB  ${us.toFixed(2).padStart(9)} µs/frame  ${ok ? 'accepted' : 'refused'}`,
  );
}

async function main(): Promise<void> {
  const camera = await createFrameSource({
    width: 1280,
    height: 720,
    cameraId: 'walk',
    ringSize: 4,
  });
  const [first] = camera.frames;
  if (!first) throw new Error('no frame rendered');
  const progressive = await sharp(first).jpeg({ progressive: true }).toBuffer();
  console.log(`node ${process.version}, ${process.arch}`);
  measure('1280x720 camera frame (noise, q80)', first);
  measure('1280x720 progressive', progressive);
  measure('28-byte 1x1 JPEG (tiny-frame flood)', tinyJpeg());
  measure('scan bomb, 12,000 scans (refused)', await progressiveScanBomb(12_000));
  measure('8 MiB frame, scan all FF 00 (worst case)', stuffedFrame(MAX_FRAME_BYTES - 64), 1500);
}

void main();
