/**
 * A stranger cannot erase another camera's recordings: a camera that picks a
 * copy of `record` with a tiny max_total_mb prunes only its own folder.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/main/observe/metrics';
import { createPipelineCatalog } from '../../src/main/pipeline/catalog';
import { noiseJpeg } from '../unit/pipeline/helpers';
import {
  TestCamera,
  disposeStation,
  makeDataDir,
  startStation,
  writePipeline,
  type TestStation,
} from '../helpers/station';

const frames = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.jpg'));
  } catch {
    return [];
  }
};

describe('recordings are each camera’s own', () => {
  let s: TestStation | null = null;
  afterEach(async () => {
    s = await disposeStation(s);
  });

  it("a camera with a 1 MB retention leaves another camera's 10 recorded frames alone", async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, {
      id: 'tiny-record',
      name: 'Tiny record',
      nodes: [{ id: 'store', op: 'store', params: { max_total_mb: 1, min_free_mb: 0 } }],
      outputs: ['store'],
    });
    // The station's catalog, with retention passes allowed at every frame (default: every 10 s).
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { base: undefined },
      {
        write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
      },
    );
    const catalog = createPipelineCatalog({
      userDir: join(dataDir, 'pipelines'),
      dataDir,
      logger,
      metrics: createMetrics('test'),
      retentionIntervalMs: 0,
      watch: false,
    });
    s = await startStation({ catalog }, dataDir);
    const jpeg = await noiseJpeg(560, 560, 9);
    const send = async (cam: TestCamera, count: number) => {
      await cam.opened;
      for (let i = 1; i <= count; i++) {
        cam.send(jpeg);
        await cam.until((m) => m.some((r) => r.frame_index === i));
      }
    };
    const owner = new TestCamera(s.url({ pipeline_id: 'record', camera_id: 'owner' }));
    await send(owner, 10);
    const ownerSession = String(owner.hello().session_id);
    const stranger = new TestCamera(s.url({ pipeline_id: 'tiny-record', camera_id: '..' }));
    await send(stranger, 12);
    await s.station.stop(); // waits for retention passes in progress
    const recordings = join(dataDir, 'recordings');
    expect(frames(join(recordings, 'owner', ownerSession))).toHaveLength(10);
    const strangerDir = join(recordings, '=2e2e', String(stranger.hello().session_id));
    expect(frames(strangerDir).length).toBeLessThan(12);
    expect(frames(strangerDir).length * jpeg.length).toBeLessThanOrEqual(1024 * 1024);
    expect(lines.filter((l) => l.event === 'recordings_pruned')).not.toEqual([]);
    for (const line of lines.filter((l) => l.event === 'recordings_pruned')) {
      expect(line.scope).toBe('camera =2e2e');
    }
  });
});
