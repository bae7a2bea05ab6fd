/** Station-run sources: bridges the station starts for URLs a technician adds. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSourceManager, type SourceManager } from '../../src/main/bridge/source-manager';
import type { SourceInfo } from '../../src/shared/contract';
import { removeDir, startStation, waitFor, type TestStation } from '../helpers/station';
import { cleanupsAfterEach } from '../helpers/cleanups';
import {
  bridgeLogger,
  numberedJpegs,
  startMjpegCamera,
  type MjpegCamera,
} from '../helpers/mjpeg-camera';

const cleanups = cleanupsAfterEach();

async function setup(): Promise<{ s: TestStation; cam: MjpegCamera }> {
  const s = await startStation();
  cleanups.push(async () => {
    await s.close();
    removeDir(s.dataDir);
  });
  const cam = await startMjpegCamera({
    frames: await numberedJpegs(4),
    fps: 10,
    loop: true,
    credentials: { user: 'lab', password: 'cam-pa55' },
  });
  cleanups.push(() => cam.kill().catch(() => undefined));
  return { s, cam };
}

function manager(s: TestStation) {
  const { logger, logs } = bridgeLogger();
  const changes: SourceInfo[][] = [];
  const m: SourceManager = createSourceManager({
    dataDir: s.dataDir,
    stationUrl: () => `ws://127.0.0.1:${s.port}`,
    allowLocal: true,
    logger,
    onChange: (sources) => changes.push(sources),
    backoff: { initialMs: 100, maxMs: 300 },
  });
  cleanups.push(() => m.stop());
  return { m, logs, changes };
}

function sessionOf(s: TestStation, cameraId: string) {
  return s.station.snapshot().sessions.find((x) => x.camera_id === cameraId);
}

describe('station-run sources', () => {
  it('runs a bridge for an added MJPEG URL, shown without its credentials', async () => {
    const { s, cam } = await setup();
    const { m, logs, changes } = manager(s);
    expect(m.start()).toBeNull();
    const added = m.add({ url: cam.url, camera_id: 'door-cam', pipeline_id: 'metadata', fps: 5 });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(added.value.url).toBe(`http://***@127.0.0.1:${cam.port}/video.mjpg`);

    await waitFor(() => (sessionOf(s, 'door-cam')?.processed ?? 0) >= 3, 15_000);
    await waitFor(() => m.list()[0]?.state === 'streaming');
    expect(m.list()[0]).toMatchObject({
      kind: 'mjpeg',
      enabled: true,
      source: 'open',
      station: 'open',
    });
    expect(changes.some((c) => c[0]?.state === 'streaming')).toBe(true);

    const file = join(s.dataDir, 'sources.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('cam-pa55'); // the bridge needs it back after a restart
    expect(JSON.stringify(m.list())).not.toContain('cam-pa55');
    expect(JSON.stringify(changes)).not.toContain('cam-pa55');
    expect(JSON.stringify(logs.lines)).not.toContain('cam-pa55');
  });

  it('refuses local paths, bad names and a second source for the same camera', async () => {
    const { s, cam } = await setup();
    const { m } = manager(s);
    m.start();
    for (const url of ['file:///etc/passwd', '/etc/passwd', 'concat:/a|/b', 'lavfi:testsrc']) {
      expect(m.add({ url, camera_id: 'x' })).toMatchObject({ ok: false, code: 'invalid_source' });
    }
    expect(m.add({ url: cam.url, camera_id: 'bad name!' })).toMatchObject({
      ok: false,
      code: 'invalid_argument',
    });
    expect(m.add({ url: cam.url, camera_id: 'one' }).ok).toBe(true);
    expect(m.add({ url: cam.url, camera_id: 'one' })).toMatchObject({
      ok: false,
      code: 'duplicate_camera',
    });
    expect(m.list()).toHaveLength(1);
  });

  it('a technician disconnect disables the source until it is enabled again', async () => {
    const { s, cam } = await setup();
    const { m } = manager(s);
    m.start();
    const added = m.add({ url: cam.url, camera_id: 'bench', pipeline_id: 'metadata' });
    if (!added.ok) throw new Error(added.message);
    await waitFor(() => m.list()[0]?.state === 'streaming', 15_000);
    const sessionId = m.list()[0]!.session_id!;
    expect(s.station.disconnectCamera(sessionId)).toEqual({ ok: true });
    await waitFor(() => m.list()[0]?.state === 'disabled');
    expect(m.list()[0]).toMatchObject({
      enabled: false,
      error: { code: 'disconnected_by_technician' },
    });
    expect(sessionOf(s, 'bench')).toBeUndefined();

    const enabled = await m.setEnabled(added.value.id, true);
    expect(enabled.ok).toBe(true);
    await waitFor(() => (sessionOf(s, 'bench')?.processed ?? 0) >= 2, 15_000);
    expect(m.list()[0]?.session_id).not.toBe(sessionId);
  });

  it('comes back after a station restart from sources.json, and removal stops it', async () => {
    const { s, cam } = await setup();
    const first = manager(s);
    first.m.start();
    const added = first.m.add({ url: cam.url, camera_id: 'persisted', pipeline_id: 'metadata' });
    if (!added.ok) throw new Error(added.message);
    await waitFor(() => first.m.list()[0]?.state === 'streaming', 15_000);
    await first.m.stop();
    await waitFor(() => sessionOf(s, 'persisted') === undefined);

    const second = manager(s);
    second.m.start();
    expect(second.m.list()).toHaveLength(1);
    await waitFor(() => (sessionOf(s, 'persisted')?.processed ?? 0) >= 2, 15_000);
    expect(await second.m.remove(added.value.id)).toEqual({ ok: true, value: null });
    await waitFor(() => sessionOf(s, 'persisted') === undefined);
    expect(JSON.parse(readFileSync(join(s.dataDir, 'sources.json'), 'utf8'))).toEqual({
      version: 1,
      sources: [],
    });
    expect(await second.m.remove(added.value.id)).toMatchObject({
      ok: false,
      code: 'unknown_source',
    });
  });
});
