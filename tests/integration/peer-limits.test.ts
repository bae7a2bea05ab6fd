/**
 * Per-peer limits over real sockets: sessions per address (127.0.0.2 stands in
 * for another host; this machine's 127.0.0.1 is not limited), idle sessions
 * closed with 4009, the cap on sources, and a bridge that closes its station
 * session while its source is down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createBridge, type Bridge } from '../../src/main/bridge/bridge';
import {
  TestCamera,
  disposeStation,
  makeJpeg,
  startStation,
  waitFor,
  type TestStation,
} from '../helpers/station';
import { bridgeLogger, startMjpegCamera, type MjpegCamera } from './bridge-fixtures';

const OTHER_HOST = { localAddress: '127.0.0.2' };

/** The status and JSON body of a refused upgrade. */
function refusal(url: string, options: WebSocket.ClientOptions): Promise<[number, unknown]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('open', () => reject(new Error('upgrade accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve([res.statusCode ?? 0, JSON.parse(body)]));
    });
  });
}

describe('per-peer limits', () => {
  let s: TestStation | null = null;
  let mjpeg: MjpegCamera | null = null;
  let bridge: Bridge | null = null;
  const cameras: TestCamera[] = [];
  afterEach(async () => {
    for (const camera of cameras.splice(0)) camera.ws.terminate();
    await bridge?.stop();
    bridge = null;
    s = await disposeStation(s);
    await mjpeg?.kill();
    mjpeg = null;
  });

  function open(url: string, options?: WebSocket.ClientOptions): TestCamera {
    const camera = new TestCamera(url, options);
    cameras.push(camera);
    return camera;
  }

  it('refuses an address its sessions beyond STREAM_MAX_SESSIONS_PER_ADDRESS with 503; loopback is not limited', async () => {
    s = await startStation({ maxSessionsPerAddress: 2 });
    const held = [
      open(s.url({ camera_id: 'lan-1' }), OTHER_HOST),
      open(s.url({ camera_id: 'lan-2' }), OTHER_HOST),
    ];
    await Promise.all(held.map((c) => c.opened));

    const [status, body] = await refusal(s.url({ camera_id: 'lan-3' }), OTHER_HOST);
    expect(status).toBe(503);
    expect(body).toEqual({
      error: 'too_many_sessions',
      detail: '127.0.0.2 already holds 2 camera sessions (STREAM_MAX_SESSIONS_PER_ADDRESS)',
      retry_after: 5,
    });
    // Its own camera id may still replace itself.
    const again = open(s.url({ camera_id: 'lan-1' }), OTHER_HOST);
    await again.opened;
    expect((await held[0]!.closed).code).toBe(4002);
    // This machine's own tools (sources, the bridge) are not limited.
    const local = [1, 2, 3].map((i) => open(s!.url({ camera_id: `local-${i}` })));
    await Promise.all(local.map((c) => c.opened));
    expect(s.logs.lines).toContainEqual(
      expect.objectContaining({ event: 'stream_refused', code: 'too_many_sessions' }),
    );
  });

  it('closes a session that sends no frame for STREAM_IDLE_MS with 4009; a camera that sends stays', async () => {
    s = await startStation({ idleMs: 1000, heartbeatMs: 200 });
    const jpeg = await makeJpeg(64, 48);
    const quiet = open(s.url({ pipeline_id: 'noop', camera_id: 'quiet' }));
    const busy = open(s.url({ pipeline_id: 'noop', camera_id: 'busy' }));
    await Promise.all([quiet.opened, busy.opened]);
    quiet.send(jpeg);
    let sent = 0;
    let quietClosed = false;
    void quiet.closed.then(() => (quietClosed = true));
    while (!quietClosed && sent < 100) {
      busy.send(jpeg);
      sent++;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await quiet.closed).toEqual({ code: 4009, reason: 'idle_timeout' });
    expect(quiet.messages.at(-1)).toEqual({
      error: 'idle_timeout',
      detail: 'no frame for 1 s (STREAM_IDLE_MS)',
    });
    expect(quiet.replies()).toHaveLength(1);
    expect(busy.ws.readyState).toBe(busy.ws.OPEN);
  });

  it('refuses a source beyond STATION_MAX_SOURCES', async () => {
    s = await startStation({ maxSources: 1, sourcesAllowLocal: true });
    const first = s.station.addSource({ url: 'http://127.0.0.1:9/a.mjpg', camera_id: 'src-1' });
    expect(first.ok).toBe(true);
    const res = await fetch(s.http('/api/sources'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/b.mjpg', camera_id: 'src-2' }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      ok: false,
      code: 'too_many_sources',
      message: expect.stringContaining('at most 1 sources (STATION_MAX_SOURCES)'),
    });
    expect(s.station.snapshot().sources).toHaveLength(1);
    expect(s.logs.lines).toContainEqual(
      expect.objectContaining({ event: 'source_refused', code: 'too_many_sources' }),
    );
  });

  it('the bridge closes its station session while its source is down and opens one when it is back', async () => {
    s = await startStation();
    mjpeg = await startMjpegCamera({ frames: [await makeJpeg(64, 48)], fps: 10, loop: true });
    const { logger } = bridgeLogger();
    bridge = createBridge({
      station: `ws://127.0.0.1:${s.port}`,
      source: { kind: 'mjpeg', url: mjpeg.url },
      cameraId: 'bridged',
      pipelineId: 'noop',
      logger,
      sourceBackoff: { initialMs: 100, maxMs: 200 },
      stationBackoff: { initialMs: 100, maxMs: 200 },
    });
    bridge.start();
    await waitFor(() => bridge!.stats().processed >= 1);
    const firstSession = s.station.snapshot().sessions[0]?.session_id;

    await mjpeg.kill();
    await waitFor(() => s!.station.snapshot().sessions.length === 0);
    expect(s.station.snapshot().cameras[0]).toMatchObject({
      camera_id: 'bridged',
      online: false,
      last_close_code: 1000,
    });
    await mjpeg.restart();
    await waitFor(() => s!.station.snapshot().sessions.length === 1, 10_000);
    const processed = bridge.stats().processed;
    await waitFor(() => bridge!.stats().processed > processed, 10_000);
    expect(s.station.snapshot().sessions[0]?.session_id).not.toBe(firstSession);
  });
});
