/**
 * Per-peer limits over real sockets: sessions per address (127.0.0.2 stands in
 * for another host; this machine's 127.0.0.1 is not limited), idle sessions
 * closed with 4009, the cap on sources, and a bridge that closes its station
 * session while its source is down.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';
import { bridgeForTest, cameraForTest, loopingMjpegCamera, OTHER_HOST } from '../helpers/peers';
import { makeJpeg, waitFor } from '../helpers/station';

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
  const cleanups = cleanupsAfterEach();
  const open = (url: string, options?: WebSocket.ClientOptions) =>
    cameraForTest(cleanups, url, options);

  it('refuses an address its sessions beyond STREAM_MAX_SESSIONS_PER_ADDRESS with 503; loopback is not limited', async () => {
    const s = await stationForTest(cleanups, { maxSessionsPerAddress: 2 });
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
    const local = [1, 2, 3].map((i) => open(s.url({ camera_id: `local-${i}` })));
    await Promise.all(local.map((c) => c.opened));
    expect(s.logs.lines).toContainEqual(
      expect.objectContaining({ event: 'stream_refused', code: 'too_many_sessions' }),
    );
  });

  it('closes a session that sends no frame for STREAM_IDLE_MS with 4009; a camera that sends stays', async () => {
    const s = await stationForTest(cleanups, { idleMs: 1000, heartbeatMs: 200 });
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
    const s = await stationForTest(cleanups, { maxSources: 1, sourcesAllowLocal: true });
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
    const s = await stationForTest(cleanups);
    const mjpeg = await loopingMjpegCamera(cleanups);
    const bridge = bridgeForTest(cleanups, s, mjpeg, 'bridged', {
      sourceBackoff: { initialMs: 100, maxMs: 200 },
      stationBackoff: { initialMs: 100, maxMs: 200 },
    });
    await waitFor(() => bridge.stats().processed >= 1);
    const firstSession = s.station.snapshot().sessions[0]?.session_id;

    await mjpeg.kill();
    await waitFor(() => s.station.snapshot().sessions.length === 0);
    expect(s.station.snapshot().cameras[0]).toMatchObject({
      camera_id: 'bridged',
      online: false,
      last_close_code: 1000,
    });
    await mjpeg.restart();
    await waitFor(() => s.station.snapshot().sessions.length === 1, 10_000);
    const processed = bridge.stats().processed;
    await waitFor(() => bridge.stats().processed > processed, 10_000);
    expect(s.station.snapshot().sessions[0]?.session_id).not.toBe(firstSession);
  });
});
