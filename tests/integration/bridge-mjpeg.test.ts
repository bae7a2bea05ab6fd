/** The camera bridge against a real MJPEG-over-HTTP camera and a real station. */
import { describe, expect, it } from 'vitest';
import type { BridgeOptions } from '../../src/main/bridge/bridge';
import { removeDir, startStation, TestCamera, waitFor, type TestStation } from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';
import {
  bridgeForTest,
  numberedJpegs,
  startMjpegCamera,
  widthOfFrame,
  type MjpegCamera,
} from '../helpers/mjpeg-camera';

const cleanups = cleanupsAfterEach();

const station = (options: Parameters<typeof stationForTest>[1] = {}, dataDir?: string) =>
  stationForTest(cleanups, options, dataDir, { keepData: true });

async function camera(options: Parameters<typeof startMjpegCamera>[0]): Promise<MjpegCamera> {
  const cam = await startMjpegCamera(options);
  cleanups.push(() => cam.kill().catch(() => undefined));
  return cam;
}

const bridge = (
  s: TestStation | string,
  options: Partial<BridgeOptions> & Pick<BridgeOptions, 'source'>,
) =>
  bridgeForTest(cleanups, typeof s === 'string' ? s : `ws://127.0.0.1:${s.port}`, {
    cameraId: 'mjpeg-cam',
    ...options,
  });

function sessionOf(s: TestStation, cameraId: string) {
  return s.station.snapshot().sessions.find((x) => x.camera_id === cameraId);
}

describe('bridge with an MJPEG camera', () => {
  for (const contentLength of [true, false]) {
    it(`delivers every frame exactly once (Content-Length ${contentLength ? 'sent' : 'absent'})`, async () => {
      const s = await station();
      const frames = await numberedJpegs(12);
      const cam = await camera({ frames, fps: 10, loop: false, contentLength });
      const { bridge: b, results } = bridge(s, { source: { kind: 'mjpeg', url: cam.url } });

      await waitFor(() => {
        const st = b.stats();
        return st.processed + st.dropped + st.failed === 12;
      }, 20_000);
      expect(cam.served()).toBe(12);
      expect(sessionOf(s, 'mjpeg-cam')?.frame_index).toBe(12);
      const st = b.stats();
      expect(st).toMatchObject({ frames_read: 12, sent: 12, skipped: 0, failed: 0 });
      // Each processed result names a distinct served frame, in order.
      const widths = results.map((r) => (r.result.metadata as { width: number }).width);
      expect(widths).toHaveLength(st.processed);
      expect(new Set(widths).size).toBe(widths.length);
      const expected = Array.from({ length: 12 }, (_, i) => widthOfFrame(i));
      expect(widths.every((w) => expected.includes(w))).toBe(true);
      expect([...widths].sort((a, c) => a - c)).toEqual(widths);
    });
  }

  it('resumes streaming when the camera is killed and restarted', async () => {
    const s = await station();
    const cam = await camera({ frames: await numberedJpegs(5), fps: 15, loop: true });
    const { bridge: b, logs } = bridge(s, { source: { kind: 'mjpeg', url: cam.url } });

    await waitFor(() => b.stats().processed >= 5);
    await cam.kill();
    await waitFor(() => b.stats().source === 'waiting');
    await waitFor(() => b.stats().source_reconnects >= 2); // it keeps trying while the camera is down
    const before = b.stats().frames_read;
    await cam.restart();

    await waitFor(() => b.stats().frames_read >= before + 5);
    await waitFor(() => b.stats().processed >= 10);
    expect(b.stats().source).toBe('open');
    expect(cam.connections()).toBe(2);
    expect(sessionOf(s, 'mjpeg-cam')).toBeDefined();
    const lost = logs.lines.filter((l) => l.event === 'source_lost');
    expect(lost.length).toBeGreaterThanOrEqual(2);
    expect(lost[0]).toMatchObject({ level: 'warn', retry_in_ms: expect.any(Number) as number });
  });

  it('resumes streaming when the station stops and starts again on the same port', async () => {
    const first = await startStation();
    const cam = await camera({ frames: await numberedJpegs(5), fps: 15, loop: true });
    const { bridge: b } = bridge(first, { source: { kind: 'mjpeg', url: cam.url } });
    await waitFor(() => b.stats().processed >= 5);
    const firstSession = b.stats().session_id;
    await first.close();
    await waitFor(() => b.stats().station === 'waiting');
    await waitFor(() => b.stats().station_reconnects >= 2);

    const second = await station({ port: first.port }, first.dataDir);
    expect(second.port).toBe(first.port);
    await waitFor(() => (sessionOf(second, 'mjpeg-cam')?.processed ?? 0) >= 5);
    expect(b.stats().station).toBe('open');
    expect(b.stats().session_id).not.toBe(firstSession);
    removeDir(first.dataDir);
  });

  it('sends basic-auth credentials to the camera and never logs them', async () => {
    const s = await station();
    const cam = await camera({
      frames: await numberedJpegs(3),
      fps: 10,
      loop: true,
      credentials: { user: 'lab', password: 'pa55-secret' },
    });
    expect(cam.url).toContain('pa55-secret');
    const { bridge: b, logs } = bridge(s, { source: { kind: 'mjpeg', url: cam.url } });
    await waitFor(() => b.stats().processed >= 3);
    await cam.kill();
    await waitFor(() => logs.lines.some((l) => l.event === 'source_lost'));
    await b.stop();
    const text = logs.lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).toContain('source_connected');
    expect(text).toContain('127.0.0.1');
    expect(text).not.toContain('pa55-secret');
  });

  it('reports a wrong password as an HTTP error and keeps retrying', async () => {
    const s = await station();
    const cam = await camera({
      frames: await numberedJpegs(2),
      fps: 10,
      loop: true,
      credentials: { user: 'lab', password: 'right' },
    });
    const url = cam.url.replace('right', 'wrong');
    const { bridge: b, logs } = bridge(s, { source: { kind: 'mjpeg', url } });
    await waitFor(() => b.stats().source_reconnects >= 2);
    const lost = logs.lines.find((l) => l.event === 'source_lost');
    expect(lost).toMatchObject({
      code: 'source_http_status',
      detail: expect.stringContaining('401') as string,
    });
    expect(JSON.stringify(logs.lines)).not.toContain('wrong');
    expect(b.stats().state).toBe('running');
  });

  it('does not reconnect after close 4002 (replaced) or 4001 (disconnected by a technician)', async () => {
    const s = await station();
    const cam = await camera({ frames: await numberedJpegs(3), fps: 10, loop: true });

    const replaced = bridge(s, { source: { kind: 'mjpeg', url: cam.url }, cameraId: 'dup' });
    await waitFor(() => replaced.bridge.stats().processed >= 1);
    const other = new TestCamera(s.url({ camera_id: 'dup', pipeline_id: 'metadata' }));
    const endedReplaced = await replaced.bridge.done();
    expect(endedReplaced).toMatchObject({ state: 'stopped', station_reconnects: 0 });
    expect(endedReplaced.error?.code).toBe('replaced');
    await other.until((m) => m.some((x) => 'hello' in x));
    other.close();

    const kicked = bridge(s, { source: { kind: 'mjpeg', url: cam.url }, cameraId: 'kicked' });
    await waitFor(() => kicked.bridge.stats().processed >= 1);
    const sessionId = kicked.bridge.stats().session_id!;
    expect(s.station.disconnectCamera(sessionId)).toEqual({ ok: true });
    const endedKicked = await kicked.bridge.done();
    expect(endedKicked).toMatchObject({ state: 'stopped', station_reconnects: 0 });
    expect(endedKicked.error?.code).toBe('disconnected_by_technician');
    expect(kicked.logs.lines.some((l) => l.event === 'station_lost')).toBe(false);
  });

  it('gives up at once on an unknown pipeline', async () => {
    const s = await station();
    const cam = await camera({ frames: await numberedJpegs(2), fps: 10, loop: true });
    const { bridge: b } = bridge(s, {
      source: { kind: 'mjpeg', url: cam.url },
      pipelineId: 'nope',
    });
    const ended = await b.done();
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('rejected');
    expect(ended.error?.detail).toContain('invalid_pipeline');
  });
});
