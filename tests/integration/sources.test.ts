/** Sources the station runs itself, through its HTTP API: a real MJPEG camera streams like any camera. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../src/shared/contract';
import {
  makeDataDir,
  makeJpeg,
  removeDir,
  startStation,
  waitFor,
  type TestStation,
  postJson,
} from '../helpers/station';
import { startMjpegCamera, type MjpegCamera } from '../helpers/mjpeg-camera';

let station: TestStation | null = null;
let camera: MjpegCamera | null = null;
afterEach(async () => {
  await station?.close();
  await camera?.kill();
  if (station) removeDir(station.dataDir);
  station = null;
  camera = null;
});

describe('sources over the HTTP API', () => {
  it('streams an MJPEG camera added over the API, shows its state, survives a restart and stops when removed', async () => {
    const frames = await Promise.all([makeJpeg(160, 120, 10), makeJpeg(160, 120, 90)]);
    camera = await startMjpegCamera({
      frames,
      fps: 20,
      loop: true,
      credentials: { user: 'lab', password: 's3cret-pw' },
    });
    const dataDir = makeDataDir();
    station = await startStation({ sourcesAllowLocal: true }, dataDir);
    const added = await postJson(station.http('/api/sources'), {
      url: camera.url,
      camera_id: 'ipcam-1',
      pipeline_id: 'metadata',
      fps: 10,
    });
    expect(added).toMatchObject({ status: 200, body: { ok: true, id: expect.any(String) } });

    await waitFor(() => (station!.station.snapshot().sessions[0]?.processed ?? 0) >= 5, 15_000);
    expect(station.station.snapshot().sessions[0]).toMatchObject({
      camera_id: 'ipcam-1',
      pipeline_id: 'metadata',
    });
    await waitFor(() => station!.station.snapshot().sources[0]?.state === 'streaming');
    const sources = (await (await fetch(station.http('/api/sources'))).json()) as SourceInfo[];
    expect(sources).toEqual([
      expect.objectContaining({
        camera_id: 'ipcam-1',
        state: 'streaming',
        source: 'open',
        station: 'open',
        enabled: true,
      }),
    ]);
    // Running counters reach observers (the window) while it streams, not only state changes.
    const seen: number[] = [];
    const unsubscribe = station.station.subscribe((e) => {
      if (e.type === 'sources_changed') seen.push(e.sources[0]?.sent ?? 0);
    });
    await waitFor(() => seen.length >= 2 && seen.at(-1)! > seen[0]!, 5000);
    unsubscribe();
    // Credentials never leave the station.
    expect(JSON.stringify(sources)).not.toContain('s3cret-pw');
    expect(JSON.stringify(station.logs.lines)).not.toContain('s3cret-pw');

    // Restart: the source comes back by itself.
    await station.close();
    station = await startStation({ sourcesAllowLocal: true }, dataDir);
    await waitFor(() => (station!.station.snapshot().sessions[0]?.processed ?? 0) >= 2, 15_000);

    const id = added.body.id as string;
    expect(await postJson(station.http(`/api/sources/${id}/remove`), {})).toMatchObject({
      status: 200,
    });
    await waitFor(() => station!.station.snapshot().sessions.length === 0, 5000);
    expect(station.station.snapshot().sources).toEqual([]);
  });

  it('refuses what is not a camera URL, unknown pipelines, duplicates and foreign pages', async () => {
    station = await startStation({ sourcesAllowLocal: true });
    const add = (body: unknown, headers?: Record<string, string>) =>
      postJson(station!.http('/api/sources'), body, headers);
    for (const url of ['file:///etc/passwd', '/etc/passwd', 'ftp://cam/x', 'not a url']) {
      expect(await add({ url, camera_id: 'x' })).toMatchObject({
        status: 400,
        body: { ok: false, code: 'invalid_source', message: expect.stringContaining('rtsp(s)://') },
      });
    }
    expect(await add({ url: 'http://127.0.0.1:9/x', camera_id: 'bad id' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument' },
    });
    expect(
      await add({ url: 'http://127.0.0.1:9/x', camera_id: 'cam', pipeline_id: 'nope' }),
    ).toMatchObject({ status: 400, body: { code: 'invalid_pipeline' } });
    expect(
      await add(
        { url: 'http://127.0.0.1:9/x', camera_id: 'cam' },
        { Origin: 'http://evil.example' },
      ),
    ).toMatchObject({ status: 403 });
    expect(await add({ url: 'http://127.0.0.1:9/x', camera_id: 'cam' })).toMatchObject({
      status: 200,
    });
    expect(await add({ url: 'rtsp://127.0.0.1:9/y', camera_id: 'cam' })).toMatchObject({
      status: 409,
      body: { code: 'duplicate_camera', message: expect.stringContaining('already feeds camera') },
    });
    // The window (over IPC) hears the same code as the browser.
    expect(station.station.addSource({ url: 'rtsp://127.0.0.1:9/z', camera_id: 'cam' })).toEqual({
      ok: false,
      code: 'duplicate_camera',
      message: 'A source already feeds camera "cam".',
    });
    // An unreachable source is listed with its reconnect state, not hidden; it can be paused.
    await waitFor(() => station!.station.snapshot().sources[0]?.state === 'reconnecting', 10_000);
    const id = station.station.snapshot().sources[0]!.id;
    expect(
      await postJson(station.http(`/api/sources/${id}/enabled`), { enabled: false }),
    ).toMatchObject({
      status: 200,
    });
    expect(station.station.snapshot().sources[0]).toMatchObject({
      state: 'disabled',
      enabled: false,
    });
    expect(await postJson(station.http('/api/sources/nope/remove'), {})).toMatchObject({
      status: 404,
      body: { code: 'unknown_source' },
    });
  });
});
