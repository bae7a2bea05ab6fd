/** Recorded sessions written by the real recording store, at chosen times. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { vi } from 'vitest';
import { createMetrics } from '../../../src/main/observe/metrics';
import { createRecordingStore } from '../../../src/main/pipeline/recordings/recording-store';

export async function recordingsDir() {
  const dataDir = await mkdtemp(join(tmpdir(), 'recordings-'));
  const store = createRecordingStore({
    dataDir,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics('test'),
    freeSpace: () => Promise.resolve(Number.MAX_SAFE_INTEGER),
  });
  const policy = { minFreeBytes: 0, maxTotalBytes: 0, maxAgeMs: 0 };
  return {
    dataDir,
    dir: store.dir,
    /** Writes `count` frames, one every `intervalMs` from `startMs`; sharpness falls by 10 a frame. */
    async record(
      cameraId: string,
      sessionId: string,
      count: number,
      startMs: number,
      intervalMs = 100,
    ) {
      const jpegs: Buffer[] = [];
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        for (let i = 1; i <= count; i++) {
          vi.setSystemTime(startMs + (i - 1) * intervalMs);
          const bytes = await testJpeg(i);
          jpegs.push(bytes);
          const outcome = await store.write(
            {
              cameraId,
              sessionId,
              frameIndex: i,
              bytes,
              line: {
                pipeline: { id: 'record', version: 'v1' },
                result: {
                  sharpness: { laplacian_variance: 500 - 10 * i, width: 320 },
                  metadata: { format: 'jpeg' },
                },
              },
            },
            policy,
          );
          if (!outcome.stored) throw new Error(`not stored: ${outcome.detail}`);
        }
      } finally {
        vi.useRealTimers();
      }
      return jpegs;
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** A small JPEG that differs per frame (a moving bar). */
export function testJpeg(i: number, width = 64, height = 48): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3, 40);
  for (let y = 0; y < height; y++) {
    for (let x = (i * 4) % width; x < Math.min(width, ((i * 4) % width) + 8); x++) {
      data.fill(230, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
