/** Sessions, pins, live switching, the HTTP API and its guard, metrics and logs. */
import { describe, expect, it } from 'vitest';
import type { SessionInfo, StationEvent } from '../../src/shared/contract';
import {
  makeDataDir,
  makeJpeg,
  slowPipeline,
  TestCamera,
  expectEndedByHeartbeat,
  waitFor,
  writePipeline,
  postJson,
} from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';
import { parseMetrics, sumOf } from '../helpers/metrics-text';

const cleanups = cleanupsAfterEach();

describe('sessions API', () => {
  it('lists sessions with the protocol fields', async () => {
    const current = await stationForTest(cleanups);
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope-1' }));
    await cam.opened;
    cam.send(await makeJpeg());
    await cam.until((m) => m.some((x) => x.frame_index === 1));
    await waitFor(() => current.station.snapshot().sessions[0]?.processed === 1);
    const sessions = (await (await fetch(current.http('/api/sessions'))).json()) as SessionInfo[];
    expect(sessions).toHaveLength(1);
    for (const key of [
      'session_id',
      'camera_id',
      'pipeline_id',
      'remote',
      'frame_index',
      'processed',
      'dropped',
      'drop_rate',
      'state',
      'storage',
      'fps_in',
      'fps_out',
      'connected_at',
      'last_frame_at',
    ]) {
      expect(sessions[0]).toHaveProperty(key);
    }
    expect(sessions[0]).toMatchObject({
      camera_id: 'scope-1',
      pipeline_id: 'noop',
      frame_index: 1,
      processed: 1,
      state: 'normal',
      storage: 'off',
    });
    cam.close();
  });

  it('switches a streaming camera at its next frame, pins it across reconnects and restarts', async () => {
    const dataDir = makeDataDir();
    let current = await stationForTest(cleanups, {}, dataDir);
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope-2' }));
    await cam.opened;
    const jpeg = await makeJpeg();
    cam.send(jpeg);
    await cam.until((m) => m.some((x) => x.frame_index === 1));
    const sessionId = cam.hello().session_id as string;

    const res = await postJson(current.http(`/api/sessions/${sessionId}/pipeline`), {
      pipeline_id: 'metadata',
    });
    expect(res).toEqual({ status: 200, body: { ok: true } });
    cam.send(jpeg);
    await cam.until((m) => m.some((x) => x.frame_index === 2));
    const replies = cam.replies();
    expect(replies[0]).toMatchObject({ pipeline: { id: 'noop' } });
    expect(replies[1]).toMatchObject({ pipeline: { id: 'metadata' } });
    cam.close();
    await cam.closed;

    // Reconnect asking for noop: the technician's pin wins, and the hello says so.
    const again = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope-2' }));
    await again.until((m) => m.length >= 1);
    expect(again.hello()).toMatchObject({ pipeline_id: 'metadata', pipeline_source: 'pinned' });
    again.close();
    await again.closed;

    await current.close();
    current = await stationForTest(cleanups, {}, dataDir);
    const afterRestart = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope-2' }));
    await afterRestart.until((m) => m.length >= 1);
    expect(afterRestart.hello()).toMatchObject({
      pipeline_id: 'metadata',
      pipeline_source: 'pinned',
    });
    afterRestart.close();
  });

  it('refuses unknown sessions and pipelines with codes, and bad bodies', async () => {
    const current = await stationForTest(cleanups);
    expect(
      await postJson(current.http('/api/sessions/nope/pipeline'), { pipeline_id: 'noop' }),
    ).toMatchObject({
      status: 404,
      body: { ok: false, code: 'unknown_session' },
    });
    expect(
      await postJson(current.http('/api/default-pipeline'), { pipeline_id: 'missing' }),
    ).toMatchObject({
      status: 400,
      body: { ok: false, code: 'invalid_pipeline' },
    });
    expect(
      await postJson(current.http('/api/default-pipeline'), { pipeline: 'noop' }),
    ).toMatchObject({
      status: 400,
      body: { ok: false, code: 'invalid_argument' },
    });
  });

  it('sets the default pipeline for cameras that name none', async () => {
    const current = await stationForTest(cleanups);
    expect(
      await postJson(current.http('/api/default-pipeline'), { pipeline_id: 'noop' }),
    ).toMatchObject({ status: 200 });
    const cam = new TestCamera(current.url({ camera_id: 'plain' }));
    await cam.until((m) => m.length >= 1);
    expect(cam.hello()).toMatchObject({ pipeline_id: 'noop', pipeline_source: 'default' });
    cam.close();
  });

  it('guards actions: no foreign Origin, token needed when not on loopback', async () => {
    const current = await stationForTest(cleanups, { token: 'lab-secret-1' });
    const foreign = await postJson(
      current.http('/api/default-pipeline'),
      { pipeline_id: 'noop' },
      { Origin: 'http://evil.example' },
    );
    expect(foreign).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    // Even with the token, a foreign page may not act.
    const foreignWithToken = await postJson(
      current.http('/api/default-pipeline'),
      { pipeline_id: 'noop' },
      { Origin: 'http://evil.example', Authorization: 'Bearer lab-secret-1' },
    );
    expect(foreignWithToken.status).toBe(403);
    const own = await postJson(
      current.http('/api/default-pipeline'),
      { pipeline_id: 'noop' },
      { Origin: `http://127.0.0.1:${current.port}` },
    );
    expect(own.status).toBe(200);
    const rebinding = await postJson(
      current.http('/api/default-pipeline'),
      { pipeline_id: 'noop' },
      { Origin: `http://attacker.example:${current.port}` },
    );
    expect(rebinding.status).toBe(403);
  });

  it('disconnects a camera with 4001 and remembers it offline with the reason until dismissed', async () => {
    const current = await stationForTest(cleanups);
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope-3' }));
    await cam.until((m) => m.length >= 1);
    const sessionId = cam.hello().session_id as string;
    expect((await postJson(current.http(`/api/sessions/${sessionId}/disconnect`), {})).status).toBe(
      200,
    );
    expect((await cam.closed).code).toBe(4001);
    await waitFor(() => current.station.snapshot().sessions.length === 0);
    const cameras = current.station.snapshot().cameras;
    expect(cameras).toEqual([
      expect.objectContaining({
        camera_id: 'scope-3',
        online: false,
        last_close_code: 4001,
        last_close_reason: 'disconnected_by_technician',
      }),
    ]);
    expect((await postJson(current.http('/api/cameras/scope-3/dismiss'), {})).status).toBe(200);
    expect(current.station.snapshot().cameras).toEqual([]);
  });

  it('emits opened, coalesced updated and closed events', async () => {
    const current = await stationForTest(cleanups);
    const events: StationEvent[] = [];
    current.station.subscribe((e) => events.push(e));
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'ev' }));
    await cam.opened;
    const jpeg = await makeJpeg();
    for (let i = 0; i < 30; i++) cam.send(jpeg);
    await cam.until((m) => m.filter((x) => 'frame_index' in x).length === 30);
    await new Promise((r) => setTimeout(r, 400));
    cam.close();
    await waitFor(() => events.some((e) => e.type === 'session_closed'));
    expect(events[0]).toMatchObject({ type: 'session_opened', session: { camera_id: 'ev' } });
    const updates = events.filter((e) => e.type === 'session_updated');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThan(30); // coalesced, not one per frame
    const last = updates.at(-1) as { session: SessionInfo };
    expect(last.session.frame_index).toBe(30);
  });

  it('serves the event stream over HTTP', async () => {
    const current = await stationForTest(cleanups);
    const controller = new AbortController();
    const res = await fetch(current.http('/api/events'), { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'sse' }));
    let text = '';
    while (!text.includes('session_opened')) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    const line = text.split('\n').find((l) => l.includes('session_opened'))!;
    expect(JSON.parse(line.slice('data: '.length))).toMatchObject({
      type: 'session_opened',
      session: { camera_id: 'sse' },
    });
    controller.abort();
    cam.close();
  });
});

describe('heartbeat', () => {
  it('terminates a peer that stops answering pings', async () => {
    const current = await stationForTest(cleanups, { heartbeatMs: 300 });
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'dead' }));
    await cam.opened;
    // A pulled cable: the client stops reading, so pongs never come back.
    (cam.ws as unknown as { _socket: import('node:net').Socket })._socket.pause();
    await expectEndedByHeartbeat(current, 'dead');
  });
});

describe('metrics and logs', () => {
  it('exports every protocol metric and keeps received = processed + dropped + rejected per pipeline', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 50));
    const current = await stationForTest(cleanups, {}, dataDir);
    const jpeg = await makeJpeg();
    const flood = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'm1' }));
    const calm = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'm2' }));
    await Promise.all([flood.opened, calm.opened]);
    for (let i = 0; i < 20; i++) flood.send(jpeg);
    for (let i = 0; i < 5; i++) calm.send(jpeg);
    await flood.until((m) => m.filter((x) => 'frame_index' in x).length === 20);
    await calm.until((m) => m.filter((x) => 'frame_index' in x).length === 5);
    const bad = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'm3' }));
    await bad.opened;
    bad.send('text');
    await bad.closed;
    await waitFor(() => current.station.snapshot().sessions.length === 2);

    const text = await (await fetch(current.http('/metrics'))).text();
    for (const name of [
      'stream_sessions_active',
      'stream_frames_processed_total',
      'stream_frames_dropped_total',
      'stream_slowdown_signals_total',
      'stream_frames_received_total',
      'stream_frames_rejected_total',
      'stream_frame_bytes_total',
      'stream_frame_processing_seconds',
      'stream_camera_frames_dropped_total',
      'stream_camera_last_frame_timestamp_seconds',
      'pipeline_failures_total',
      'pipeline_node_duration_seconds',
      'station_build_info',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const samples = parseMetrics(text);
    const get = (name: string, labels: Record<string, string> = {}) => sumOf(samples, name, labels);
    expect(get('stream_sessions_active')).toBe(2);
    for (const p of ['slow', 'noop']) {
      const received = get('stream_frames_received_total', { pipeline_id: p });
      const processed = get('stream_frames_processed_total', { pipeline_id: p });
      const dropped = get('stream_frames_dropped_total', { pipeline_id: p });
      const rejected =
        p === 'noop' ? get('stream_frames_rejected_total', { code: 'invalid_message' }) : 0;
      expect(received).toBeGreaterThan(0);
      expect(received).toBe(processed + dropped + rejected);
    }
    expect(get('stream_frames_dropped_total', { pipeline_id: 'slow' })).toBeGreaterThan(0);
    expect(
      get('stream_camera_frames_dropped_total', { camera_id: 'm1', reason: 'superseded' }),
    ).toBeGreaterThan(0);
    expect(get('stream_camera_last_frame_timestamp_seconds', { camera_id: 'm2' })).toBeGreaterThan(
      1.7e9,
    );
    flood.close();
    calm.close();
  });

  it('logs connect, reject and disconnect events as JSON with ISO time and level words, never the token', async () => {
    const current = await stationForTest(cleanups, { token: 'very-secret-token' });
    const cam = new TestCamera(
      current.url({ pipeline_id: 'noop', camera_id: 'logme', token: 'very-secret-token' }),
    );
    await cam.opened;
    cam.send(Buffer.from('not a jpeg at all'));
    await cam.closed;
    await waitFor(() => current.logs.lines.some((l) => l.event === 'stream_disconnect'));
    const lines = current.logs.lines;
    for (const line of lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof line.level).toBe('string');
      expect(typeof line.event).toBe('string');
    }
    expect(lines.find((l) => l.event === 'station_listening')).toMatchObject({
      port: current.port,
      urls: expect.any(Array),
    });
    expect(lines.find((l) => l.event === 'stream_connect')).toMatchObject({
      camera_id: 'logme',
      pipeline_id: 'noop',
      remote: expect.any(String),
      session_id: expect.any(String),
    });
    expect(lines.find((l) => l.event === 'frame_rejected')).toMatchObject({ code: 'invalid_jpeg' });
    expect(lines.find((l) => l.event === 'stream_disconnect')).toMatchObject({
      frame_index: 1,
      dropped_frames: 0,
      reason: 'invalid_jpeg',
    });
    expect(JSON.stringify(lines)).not.toContain('very-secret-token');
  });
});

describe('camera memory', () => {
  it('drops a dismissed camera from the metrics', async () => {
    const current = await stationForTest(cleanups);
    const cam = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'gone-1' }));
    await cam.opened;
    cam.send(await makeJpeg());
    await cam.until((m) => m.some((x) => x.frame_index === 1));
    cam.close();
    await waitFor(() => current.station.snapshot().sessions.length === 0);
    const before = await (await fetch(current.http('/metrics'))).text();
    expect(before).toContain('camera_id="gone-1"');
    expect(current.station.dismissCamera('gone-1')).toEqual({ ok: true });
    const after = await (await fetch(current.http('/metrics'))).text();
    expect(after).not.toContain('camera_id="gone-1"');
  });
});
