/**
 * Camera identity over real sockets: a live camera id can be taken over only
 * from its own address (127.0.0.2 stands in for another host on the LAN); a
 * dead holder frees it at the heartbeat; the bridge and the sources the station
 * runs retry instead of giving up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';
import { bridgeForTest, cameraForTest, loopingMjpegCamera, OTHER_HOST } from '../helpers/peers';
import { makeJpeg, waitFor, type TestCamera } from '../helpers/station';

function results(camera: TestCamera): number {
  return camera.replies().filter((r) => r.result !== undefined).length;
}

describe('camera identity', () => {
  const cleanups = cleanupsAfterEach();
  const camera = (url: string, options?: Parameters<typeof cameraForTest>[2]) =>
    cameraForTest(cleanups, url, options);

  it('refuses a takeover from another address with 4003 and retry_after; the camera keeps streaming', async () => {
    const s = await stationForTest(cleanups, { heartbeatMs: 3000 });
    const jpeg = await makeJpeg(64, 48);
    const real = camera(s.url({ pipeline_id: 'noop', camera_id: 'cam-a' }));
    await real.opened;
    real.send(jpeg);
    await real.until(() => results(real) === 1);

    const stranger = camera(s.url({ camera_id: 'cam-a' }), OTHER_HOST);
    expect(await stranger.closed).toEqual({ code: 4003, reason: 'camera_in_use retry_after=3' });
    expect(stranger.messages).toEqual([
      {
        error: 'camera_in_use',
        detail: 'camera cam-a is streaming from another address; retry after 3 s',
        retry_after: 3,
      },
    ]);
    real.send(jpeg);
    await real.until(() => results(real) === 2);
    expect(real.ws.readyState).toBe(real.ws.OPEN);
    expect(s.logs.lines).toContainEqual(
      expect.objectContaining({
        event: 'stream_refused',
        code: 'camera_in_use',
        camera_id: 'cam-a',
      }),
    );
    real.close();
  });

  it('still lets the same address replace its own session (4002)', async () => {
    const s = await stationForTest(cleanups);
    const first = camera(s.url({ camera_id: 'cam-b' }), OTHER_HOST);
    await first.opened;
    const second = camera(s.url({ camera_id: 'cam-b' }), OTHER_HOST);
    await second.until((m) => m.some((x) => 'hello' in x));
    expect((await first.closed).code).toBe(4002);
    second.close();
  });

  it("frees a dead session's id once the heartbeat ends it", async () => {
    const s = await stationForTest(cleanups, { heartbeatMs: 400 });
    // Never answers pings: dead to the station, though its socket stays open.
    const dead = camera(s.url({ camera_id: 'cam-c' }), { autoPong: false });
    await dead.opened;
    let newcomer: TestCamera | null = null;
    // Like a camera whose address changed: it retries after retry_after, as told.
    for (let attempt = 0; attempt < 5 && !newcomer; attempt++) {
      const tryIt = camera(s.url({ camera_id: 'cam-c' }), OTHER_HOST);
      await tryIt.until((m) => m.length > 0);
      const refusal = tryIt.messages.find((m) => m.error === 'camera_in_use');
      if (!refusal) newcomer = tryIt;
      else await new Promise((r) => setTimeout(r, Number(refusal.retry_after) * 1000));
    }
    expect(newcomer?.hello().camera_id).toBe('cam-c');
    expect((await dead.closed).code).toBe(1006);
    newcomer!.close();
  });

  it('the bridge retries a camera name in use, after retry_after, and gets in once it is free', async () => {
    const s = await stationForTest(cleanups, { heartbeatMs: 1000 });
    const mjpeg = await loopingMjpegCamera(cleanups);
    const holder = camera(s.url({ camera_id: 'cam-d' }), OTHER_HOST);
    await holder.opened;
    const bridge = bridgeForTest(cleanups, s, mjpeg, 'cam-d', {
      stationBackoff: { initialMs: 50, maxMs: 100 },
    });
    await waitFor(() => bridge.stats().last_error?.code === 'camera_in_use');
    const refused = bridge.stats().last_error!;
    // retry_after=1 wins over the 50-100 ms back-off.
    expect(Date.parse(refused.retry_at!) - Date.parse(refused.at)).toBeGreaterThanOrEqual(1000);
    expect(bridge.stats().state).toBe('running');
    holder.close();
    await waitFor(() => bridge.stats().processed >= 1, 10_000);
  });

  it('a source the station runs, replaced from its own address, retries and stays enabled in sources.json', async () => {
    const mjpeg = await loopingMjpegCamera(cleanups);
    const s = await stationForTest(cleanups, { sourcesAllowLocal: true });
    const added = s.station.addSource({ url: mjpeg.url, camera_id: 'cam-e', pipeline_id: 'noop' });
    expect(added.ok).toBe(true);
    await waitFor(() => s.station.snapshot().sources[0]?.state === 'streaming', 10_000);

    const intruder = camera(s.url({ camera_id: 'cam-e' }));
    await intruder.opened;
    await waitFor(() => s.station.snapshot().sources[0]?.error?.code === 'replaced');
    // The source comes back by itself (replacing the intruder from the same address).
    expect((await intruder.closed).code).toBe(4002);
    await waitFor(() => s.station.snapshot().sources[0]?.state === 'streaming', 20_000);
    const file = JSON.parse(readFileSync(join(s.dataDir, 'sources.json'), 'utf8')) as {
      sources: Array<{ enabled: boolean }>;
    };
    expect(file.sources.map((x) => x.enabled)).toEqual([true]);
  });
});
