/**
 * Recordings over the station's HTTP API: a camera records through `record`,
 * the session is listed, paged, its frames served (with Range), exported, and
 * deleted as a logged operator action (refused while it is still recording).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedFramesPage, RecordingCamera } from '../../src/shared/recordings';
import {
  disposeStation,
  makeJpeg,
  startStation,
  TestCamera,
  type TestStation,
} from '../helpers/station';

let station: TestStation | null = null;
beforeAll(async () => (station = await startStation()), 30_000);
afterAll(async () => (station = await disposeStation(station)), 30_000);

const post = (path: string) =>
  fetch(station!.http(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });

describe('recordings API', () => {
  it('lists, pages, serves, and deletes a recorded session', async () => {
    const s = station!;
    const camera = new TestCamera(s.url({ camera_id: 'rec-cam', pipeline_id: 'record' }));
    await camera.opened;
    const jpeg = await makeJpeg(320, 240, 7);
    for (let i = 0; i < 12; i++) {
      camera.send(jpeg);
      await camera.until((m) => m.filter((x) => typeof x.frame_index === 'number').length > i);
    }
    await camera.until((m) => m.some((x) => 'hello' in x));
    const sessionId = camera.hello().session_id as string;
    const base = `/api/recordings/rec-cam/${sessionId}`;

    const list = (await (await fetch(s.http('/api/recordings'))).json()) as RecordingCamera[];
    const session = list.find((c) => c.camera_id === 'rec-cam')!.sessions[0]!;
    expect(session).toMatchObject({ session_id: sessionId, pipeline: { id: 'record' } });
    expect(session.frames).toBeGreaterThan(0);

    const page = (await (
      await fetch(s.http(`${base}/frames?offset=0&limit=5`))
    ).json()) as RecordedFramesPage;
    expect(page.frames).toHaveLength(5);
    expect(page.frames[0]!.values['sharpness.laplacian_variance']).toEqual(expect.any(Number));
    const onDisk = await readFile(
      join(s.dataDir, 'recordings', 'rec-cam', sessionId, page.frames[1]!.file),
    );
    const served = await fetch(s.http(`${base}/frames/${page.frames[1]!.file}`), {
      headers: { Range: 'bytes=0-99' },
    });
    expect(served.status).toBe(206);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(onDisk.subarray(0, 100));
    expect((await fetch(s.http(`${base}/frames?offset=-1`))).status).toBe(400);
    expect((await fetch(s.http('/api/recordings/rec-cam/nope/frames'))).status).toBe(404);

    const zip = await fetch(s.http(`${base}/export.zip`));
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(onDisk.length);

    const refused = await post(`${base}/delete`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('still recording');

    camera.close();
    await camera.closed;
    await new Promise((r) => setTimeout(r, 100));
    const deleted = await post(`${base}/delete`);
    expect(await deleted.json()).toEqual({ ok: true });
    expect(s.logs.lines.find((l) => l.event === 'recording_deleted')).toMatchObject({
      camera_id: 'rec-cam',
      session_id: sessionId,
      frames: 12,
    });
    const after = (await (await fetch(s.http('/api/recordings'))).json()) as RecordingCamera[];
    expect(after.find((c) => c.camera_id === 'rec-cam')).toBeUndefined();
    expect((await post(`${base}/delete`)).status).toBe(404);
  }, 30_000);

  it('answers the alert actions with their codes', async () => {
    expect((await post('/api/alerts/nope/acknowledge')).status).toBe(404);
    expect(await (await post('/api/alerts/nope/clear')).json()).toMatchObject({
      code: 'unknown_alert',
    });
  });
});
