/** Latest-wins dropping, slow_down and recovery, and isolation between cameras, over real sockets. */
import { describe, expect, it } from 'vitest';
import {
  makeDataDir,
  makeJpeg,
  removeDir,
  slowPipeline,
  startStation,
  TestCamera,
  waitFor,
  writePipeline,
} from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';

const cleanups = cleanupsAfterEach();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('backpressure', () => {
  it('drops the oldest waiting frame when a newer one arrives (latest wins), one reply per frame', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 300));
    const current = await stationForTest(cleanups, { queueDepth: 1 }, dataDir);
    const cam = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'flood' }));
    await cam.opened;
    const jpeg = await makeJpeg();
    for (let i = 0; i < 5; i++) cam.send(jpeg); // 1 runs, 2..4 superseded, 5 waits
    await cam.until((m) => m.filter((x) => 'frame_index' in x).length === 5);
    const replies = cam.replies();
    const processed = replies.filter((r) => 'result' in r).map((r) => r.frame_index);
    const dropped = replies.filter((r) => r.dropped === true).map((r) => r.frame_index);
    expect(processed).toEqual([1, 5]);
    expect(dropped.sort((a, b) => Number(a) - Number(b))).toEqual([2, 3, 4]);
    // Each frame exactly once; results in increasing order.
    expect(new Set(replies.map((r) => r.frame_index)).size).toBe(5);
    const resultOrder = replies.filter((r) => 'result' in r).map((r) => Number(r.frame_index));
    expect(resultOrder).toEqual([...resultOrder].sort((a, b) => a - b));
    cam.close();
  });

  it('sends slow_down under a flood with a drop rate and the sustained fps, and recovers after the window', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 100));
    const current = await stationForTest(
      cleanups,
      { rateWindowMs: 1000, slowdownIntervalMs: 200, queueDepth: 1 },
      dataDir,
    );
    const cam = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'flood' }));
    await cam.opened;
    const jpeg = await makeJpeg();
    for (let i = 0; i < 40; i++) {
      cam.send(jpeg);
      await sleep(10);
    }
    await cam.until((m) => m.some((x) => x.warning === 'slow_down'));
    const warning = cam.messages.find((m) => m.warning === 'slow_down')!;
    expect(warning.drop_rate).toBeGreaterThan(0.3);
    expect(warning.drop_rate).toBeLessThanOrEqual(1);
    expect(warning.suggested_fps).toBeGreaterThan(0);
    expect(warning.suggested_fps).toBeLessThan(20); // a 100 ms pipeline sustains ≤ 10 fps
    const session = current.station.snapshot().sessions[0]!;
    expect(session.state).toBe('slow_down');
    // Repeated while it lasts: keep flooding for > 2 intervals.
    for (let i = 0; i < 30; i++) {
      cam.send(jpeg);
      await sleep(15);
    }
    expect(cam.messages.filter((m) => m.warning === 'slow_down').length).toBeGreaterThanOrEqual(2);
    // Stop flooding: once the window passes, the state returns to normal and warnings stop.
    await waitFor(() => current.station.snapshot().sessions[0]!.state === 'normal', 5000);
    const warningsThen = cam.messages.filter((m) => m.warning === 'slow_down').length;
    await sleep(500);
    expect(cam.messages.filter((m) => m.warning === 'slow_down').length).toBe(warningsThen);
    cam.close();
  });

  it('never drops a 2 fps camera beside a flooding one', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 40));
    const current = await stationForTest(cleanups, {}, dataDir);
    const flood = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'flood' }));
    const calm = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'calm' }));
    await Promise.all([flood.opened, calm.opened]);
    const jpeg = await makeJpeg();
    let stop = false;
    const flooding = (async () => {
      while (!stop) {
        flood.send(jpeg);
        await sleep(2);
      }
    })();
    for (let i = 0; i < 6; i++) {
      calm.send(jpeg);
      await sleep(500);
    }
    stop = true;
    await flooding;
    await calm.until((m) => m.filter((x) => 'frame_index' in x).length === 6);
    const calmReplies = calm.replies();
    expect(calmReplies.every((r) => 'result' in r)).toBe(true);
    expect(calmReplies.map((r) => r.frame_index)).toEqual([1, 2, 3, 4, 5, 6]);
    await waitFor(() => flood.replies().length >= 50);
    expect(flood.replies().some((r) => r.dropped === true)).toBe(true);
    flood.close();
    calm.close();
  });

  it('on shutdown answers the frame in flight, drops waiting frames, then closes 1001', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 300));
    const s = await startStation({ queueDepth: 2 }, dataDir);
    const cam = new TestCamera(s.url({ pipeline_id: 'slow', camera_id: 'drain' }));
    await cam.opened;
    const jpeg = await makeJpeg();
    cam.send(jpeg);
    cam.send(jpeg);
    cam.send(jpeg);
    await waitFor(() => s.station.snapshot().sessions[0]?.frame_index === 3);
    const stopping = s.station.stop();
    const health = await fetch(s.http('/healthz'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'draining' });
    const closed = await cam.closed;
    await stopping;
    expect(closed.code).toBe(1001);
    const replies = cam.replies();
    expect(replies.find((r) => r.frame_index === 1)).toHaveProperty('result');
    expect(replies.filter((r) => r.dropped === true).map((r) => r.frame_index)).toEqual([2, 3]);
    removeDir(dataDir);
  });
});
