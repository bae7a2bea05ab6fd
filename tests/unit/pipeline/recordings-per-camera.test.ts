import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cameraFolder,
  cameraIdOfFolder,
} from '../../../src/main/pipeline/recordings/camera-folder';
import { applyCeiling } from '../../../src/main/pipeline/recordings/retention';
import { compileTest, frame, noiseJpeg, tempDir } from './helpers';

const MiB = 1024 * 1024;

function storePipeline(id: string, params: Record<string, number>) {
  return {
    id,
    name: id,
    nodes: [{ id: 'store', op: 'store', params: { max_age_hours: 0, min_free_mb: 0, ...params } }],
    outputs: ['store'],
  };
}

const framesOf = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.jpg')).sort();

describe('recordings are each camera’s own', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('safe ids keep their folder name; others get a reversible, collision-free one', () => {
    for (const id of ['scope-1', 'cam_2', '127.0.0.1', '--1', 'A.b-c_d']) {
      expect(cameraFolder(id)).toBe(id);
      expect(cameraIdOfFolder(id)).toBe(id);
    }
    const tricky = ['..', '.', '__', '._', '.hidden', 'trailing.', 'CON', 'nul.txt', 'x/y', 'é'];
    const folders = tricky.map(cameraFolder);
    expect(new Set(folders).size).toBe(tricky.length);
    expect(cameraFolder('..')).toBe('=2e2e');
    expect(cameraFolder('__')).toBe('__');
    expect(cameraFolder('._')).toBe('=2e5f');
    for (const [i, id] of tricky.entries()) {
      expect(folders[i]).toMatch(/^[A-Za-z0-9._=-]+$/);
      expect(folders[i]).not.toMatch(/^\.|\.$/);
      expect(cameraIdOfFolder(folders[i]!)).toBe(id);
    }
    expect(cameraIdOfFolder('=zz')).toBeNull();
    expect(cameraIdOfFolder('=5f5f')).toBeNull(); // `__` is safe: it is never encoded
  });

  it("a camera's small max_total_mb prunes only its own folder, never another camera's frames", async () => {
    const dataDir = tmp.dir;
    const services = { retentionIntervalMs: 0 };
    const keeper = compileTest(storePipeline('record', { max_total_mb: 100 }), {
      dataDir,
      services,
    });
    const stranger = compileTest(storePipeline('tiny', { max_total_mb: 1 }), { dataDir, services });
    const jpeg = await noiseJpeg(560, 560, 5);
    expect(jpeg.length).toBeGreaterThan(200_000);
    for (let i = 1; i <= 10; i++) await keeper.pipeline.run(frame(jpeg, i, 's1', 'lab-cam'));
    await keeper.services.recordings.idle();
    for (let i = 1; i <= 10; i++) {
      await stranger.pipeline.run(frame(jpeg, i, 's2', '..'));
      await stranger.services.recordings.idle();
    }
    const recordings = join(dataDir, 'recordings');
    expect(await framesOf(join(recordings, 'lab-cam', 's1'))).toHaveLength(10);
    const strangerFrames = await framesOf(join(recordings, '=2e2e', 's2'));
    expect(strangerFrames.length * jpeg.length).toBeLessThanOrEqual(MiB);
    expect(strangerFrames.at(-1)).toBe('00000010.jpg');
    expect(stranger.records.find((r) => r.event === 'recordings_pruned')).toMatchObject({
      scope: 'camera =2e2e',
    });
  });

  it('the station-wide ceiling prunes the largest camera folder first, oldest frames first', async () => {
    const recordings = join(tmp.dir, 'recordings');
    const now = Date.now();
    const make = async (camera: string, frames: number, size: number, startMs: number) => {
      const dir = join(recordings, camera, 'session');
      await mkdir(dir, { recursive: true });
      for (let i = 1; i <= frames; i++) {
        const file = join(dir, `${String(i).padStart(8, '0')}.jpg`);
        await writeFile(file, Buffer.alloc(size, i));
        const t = new Date(startMs + i * 1000);
        await utimes(file, t, t);
      }
    };
    await make('quiet', 5, 1000, now - 3600_000); // 5 KB, oldest frames of all
    await make('busy', 20, 1000, now - 60_000); // 20 KB
    await make('mid', 8, 1000, now - 120_000); // 8 KB
    const outcome = await applyCeiling(recordings, 20_000);
    // 33 KB over a 20 KB ceiling: down to 18 KB, taken from the largest first.
    expect(outcome.totalBytes).toBeLessThanOrEqual(18_000);
    expect(await framesOf(join(recordings, 'quiet', 'session'))).toHaveLength(5);
    const busy = await framesOf(join(recordings, 'busy', 'session'));
    const mid = await framesOf(join(recordings, 'mid', 'session'));
    expect(busy.length).toBeLessThan(20);
    expect(busy.at(-1)).toBe('00000020.jpg');
    expect(busy[0]).not.toBe('00000001.jpg');
    expect(Math.abs(busy.length - mid.length)).toBeLessThanOrEqual(1);
    expect(busy.length + mid.length + 5).toBe(18);
  });

  it('the ceiling applies as frames are stored (STATION_RECORDINGS_MAX_MB)', async () => {
    const dataDir = tmp.dir;
    const services = { retentionIntervalMs: 0, recordingsMaxBytes: 2 * MiB };
    const {
      pipeline,
      services: engine,
      records,
    } = compileTest(storePipeline('record', { max_total_mb: 0 }), { dataDir, services });
    const jpeg = await noiseJpeg(560, 560, 6);
    for (let i = 1; i <= 14; i++) {
      await pipeline.run(frame(jpeg, i, 's', i % 2 ? 'cam-a' : 'cam-b'));
      await engine.recordings.idle();
    }
    const recordings = join(dataDir, 'recordings');
    const left = [
      ...(await framesOf(join(recordings, 'cam-a', 's'))),
      ...(await framesOf(join(recordings, 'cam-b', 's'))),
    ];
    expect(left.length * jpeg.length).toBeLessThanOrEqual(2 * MiB);
    expect(records.some((r) => r.event === 'recordings_pruned' && r.scope === 'station')).toBe(
      true,
    );
  });
});
