import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import recordDefinition from '../../../src/main/pipeline/builtins/record.json';
import { applyRetention } from '../../../src/main/pipeline/recordings/retention';
import { safeSegment } from '../../../src/main/pipeline/recordings/recording-store';
import { compileTest, frame, noiseJpeg, single } from './helpers';

const MiB = 1024 * 1024;

describe('store node and recordings', () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const { tempDir } = await import('./helpers');
    ({ dir: dataDir, cleanup } = await tempDir('store-test-'));
  });
  afterEach(() => cleanup());

  it('record: the JPEGs on disk are the frames sent, results.jsonl has one parseable line each', async () => {
    const { pipeline } = compileTest(recordDefinition, {
      dataDir,
      services: { freeSpace: () => Promise.resolve(100 * 1024 * MiB) },
    });
    const frames = await Promise.all([1, 2, 3].map((seed) => noiseJpeg(320, 240, seed)));
    for (const [i, jpeg] of frames.entries()) {
      const reply = await pipeline.run(frame(jpeg, i + 1, 'sess-1', 'bench-cam'));
      expect(reply.failure).toBeUndefined();
      expect(reply.storage).toBe('ok');
      expect(reply.result.store).toEqual({ stored: true, file: `0000000${i + 1}.jpg` });
    }
    const dir = join(dataDir, 'recordings', 'bench-cam', 'sess-1');
    expect((await readdir(dir)).sort()).toEqual([
      '00000001.jpg',
      '00000002.jpg',
      '00000003.jpg',
      'results.jsonl',
    ]);
    for (const [i, jpeg] of frames.entries()) {
      expect((await readFile(join(dir, `0000000${i + 1}.jpg`))).equals(jpeg)).toBe(true);
    }
    const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record).toMatchObject({
        frame_index: i + 1,
        file: `0000000${i + 1}.jpg`,
        pipeline: { id: 'record', version: pipeline.version },
      });
      expect(Object.keys(record.result as object).sort()).toEqual([
        'exposure',
        'metadata',
        'sharpness',
      ]);
      expect(typeof record.time).toBe('string');
    });
  });

  it('every_nth stores frames 1, 1+n, 1+2n…', async () => {
    const { pipeline } = compileTest(single('store', { every_nth: 2, min_free_mb: 0 }), {
      dataDir,
    });
    const jpeg = await noiseJpeg(32, 32);
    const outputs = [];
    for (let i = 1; i <= 5; i++)
      outputs.push((await pipeline.run(frame(jpeg, i, 's', 'c'))).result.store);
    expect(outputs).toEqual([
      { stored: true, file: '00000001.jpg' },
      { stored: false, reason: 'every_nth' },
      { stored: true, file: '00000003.jpg' },
      { stored: false, reason: 'every_nth' },
      { stored: true, file: '00000005.jpg' },
    ]);
  });

  it('below the free-space threshold it stops (log, gauge, storage field) and resumes when space is back', async () => {
    let free = 50 * MiB;
    const { pipeline, metrics, records } = compileTest(single('store', { min_free_mb: 100 }), {
      dataDir,
      services: { freeSpace: () => Promise.resolve(free), freeSpaceCheckMs: 0 },
    });
    const jpeg = await noiseJpeg(32, 32);
    const gauge = async () =>
      (await metrics.registry.getSingleMetric('station_storage_stopped')!.get()).values[0]?.value;

    for (let i = 1; i <= 2; i++) {
      const reply = await pipeline.run(frame(jpeg, i, 's', 'c'));
      expect(reply.failure).toBeUndefined();
      expect(reply.storage).toBe('stopped');
      expect(reply.result.store).toEqual({ stored: false, reason: 'low_space' });
    }
    expect(await gauge()).toBe(1);
    const stops = records.filter((r) => r.event === 'storage_stopped');
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({
      reason: 'low_space',
      free_bytes: 50 * MiB,
      min_free_bytes: 100 * MiB,
    });
    await expect(stat(join(dataDir, 'recordings', 'c', 's'))).rejects.toThrow();

    free = 500 * MiB;
    const reply = await pipeline.run(frame(jpeg, 3, 's', 'c'));
    expect(reply.storage).toBe('ok');
    expect(reply.result.store).toEqual({ stored: true, file: '00000003.jpg' });
    expect(await gauge()).toBe(0);
    expect(records.filter((r) => r.event === 'storage_resumed')).toHaveLength(1);
  });

  it('stores with different thresholds do not make the state flap', async () => {
    const { pipeline, records } = compileTest(
      {
        id: 'two-stores',
        name: 'two stores',
        nodes: [
          { id: 'strict', op: 'store', params: { min_free_mb: 100 } },
          { id: 'lenient', op: 'store', params: { min_free_mb: 10 } },
        ],
        outputs: ['strict', 'lenient'],
      },
      { dataDir, services: { freeSpace: () => Promise.resolve(50 * MiB), freeSpaceCheckMs: 0 } },
    );
    const jpeg = await noiseJpeg(32, 32);
    for (let i = 1; i <= 3; i++) {
      const reply = await pipeline.run(frame(jpeg, i, 's', 'c'));
      expect(reply.result.strict).toEqual({ stored: false, reason: 'low_space' });
      expect(reply.result.lenient).toMatchObject({ stored: true });
    }
    expect(records.filter((r) => r.event === 'storage_stopped')).toHaveLength(1);
    expect(records.filter((r) => r.event === 'storage_resumed')).toHaveLength(0);
  });

  it('a write that fails stops storing without failing the frame or throwing', async () => {
    // A file where the recordings folder should be: every write fails.
    await writeFile(join(dataDir, 'recordings'), 'in the way');
    const { pipeline, records } = compileTest(single('store', { min_free_mb: 0 }), { dataDir });
    const reply = await pipeline.run(frame(await noiseJpeg(32, 32), 1, 's', 'c'));
    expect(reply.failure).toBeUndefined();
    expect(reply.storage).toBe('stopped');
    expect(reply.result.store).toMatchObject({ stored: false, reason: 'write_failed' });
    expect(records.some((r) => r.event === 'storage_stopped' && r.reason === 'write_failed')).toBe(
      true,
    );
  });

  it('session ids never escape the recordings folder', () => {
    expect(safeSegment('..')).toBe('__');
    expect(safeSegment('.hidden')).toBe('_hidden');
    expect(safeSegment('a/b\\c')).toBe('a_b_c');
    expect(safeSegment('cam-1.lab_2')).toBe('cam-1.lab_2');
  });

  it('retention drops sessions older than the age limit, then the oldest frames over the size limit', async () => {
    const recordings = join(dataDir, 'recordings');
    const now = Date.now();
    const make = async (camera: string, session: string, frames: number, ageMs: number) => {
      const dir = join(recordings, camera, session);
      await mkdir(dir, { recursive: true });
      for (let i = 1; i <= frames; i++) {
        const file = join(dir, `${String(i).padStart(8, '0')}.jpg`);
        await writeFile(file, Buffer.alloc(1000, i));
        const t = new Date(now - ageMs + i * 1000);
        await utimes(file, t, t);
      }
      const results = join(dir, 'results.jsonl');
      await writeFile(results, '{}\n');
      const last = new Date(now - ageMs + frames * 1000);
      await utimes(results, last, last);
    };
    await make('old-cam', 'old', 3, 10 * 24 * 3600_000);
    await make('cam', 'mid', 4, 2 * 3600_000);
    await make('cam', 'new', 4, 60_000);

    const limits = { maxAgeMs: 24 * 3600_000, maxTotalBytes: 6 * 1000 + 10 };
    expect(await applyRetention(join(recordings, 'old-cam'), limits, now)).toMatchObject({
      deletedSessions: 1,
    });
    await expect(stat(join(recordings, 'old-cam'))).rejects.toThrow();
    const outcome = await applyRetention(join(recordings, 'cam'), limits, now);
    expect(outcome.deletedSessions).toBe(0);
    // 8 KB of frames over a 6 KB limit: the oldest go until 90 % of it (5.4 KB) is reached.
    expect((await readdir(join(recordings, 'cam', 'mid'))).sort()).toEqual([
      '00000004.jpg',
      'results.jsonl',
    ]);
    expect((await readdir(join(recordings, 'cam', 'new'))).length).toBe(5);
    expect(outcome.totalBytes).toBeLessThanOrEqual(0.9 * (6 * 1000 + 10));
  });

  it('the store prunes the oldest frames once recordings exceed max_total_mb', async () => {
    const { pipeline, services, records } = compileTest(
      single('store', { max_total_mb: 1, max_age_hours: 0, min_free_mb: 0 }),
      { dataDir, services: { retentionIntervalMs: 0 } },
    );
    const jpeg = await noiseJpeg(560, 560, 3);
    expect(jpeg.length).toBeGreaterThan(200_000);
    const frames = 8;
    for (let i = 1; i <= frames; i++) {
      await pipeline.run(frame(jpeg, i, 's', 'c'));
      await services.recordings.idle();
    }
    const dir = join(dataDir, 'recordings', 'c', 's');
    const left = (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort();
    expect(left.length * jpeg.length).toBeLessThanOrEqual(MiB);
    expect(left.length).toBeGreaterThan(0);
    // The newest frame is always kept; what went is the oldest.
    expect(left.at(-1)).toBe('00000008.jpg');
    expect(left[0]).not.toBe('00000001.jpg');
    expect(records.some((r) => r.event === 'recordings_pruned')).toBe(true);
    const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(frames);
  });
});
