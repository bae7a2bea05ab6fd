/** Hostile or unlucky input over real sockets: the station answers with codes and stays up. */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  makeDataDir,
  makeJpeg,
  slowPipeline,
  TestCamera,
  expectEndedByHeartbeat,
  waitFor,
  writePipeline,
  type TestStation,
} from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';

const cleanups = cleanupsAfterEach();

/** Sends raw bytes and returns what came back before the connection closed. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}

async function healthy(s: TestStation): Promise<void> {
  expect((await fetch(s.http('/healthz'))).status).toBe(200);
}

describe('malformed requests', () => {
  it('answers 400 to a malformed request target, plain or upgrade, and keeps serving', async () => {
    const current = await stationForTest(cleanups);
    const plain = await raw(
      current.port,
      'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(plain).toMatch(/^HTTP\/1\.1 400/);
    const upgrade = await raw(
      current.port,
      'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(upgrade).toMatch(/^HTTP\/1\.1 400/);
    await healthy(current);
  });

  it('answers 400 to malformed escapes and bodies, 413 to an oversized body', async () => {
    const current = await stationForTest(cleanups);
    expect((await fetch(current.http('/api/sessions/%E0/thumbnail.jpg'))).status).toBe(400);
    const post = (path: string, body: string) =>
      fetch(current.http(path), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    expect((await post('/api/sources', 'null')).status).toBe(400);
    expect((await post('/api/sources', '{"url": 5}')).status).toBe(400);
    expect((await post('/api/sessions/%E0/pipeline', '{"pipeline_id":"noop"}')).status).toBe(400);
    expect((await post('/api/default-pipeline', '{not json')).status).toBe(400);
    const big = await post(
      '/api/default-pipeline',
      JSON.stringify({ pipeline_id: 'x'.repeat(100_000) }),
    );
    expect(big.status).toBe(413);
    await healthy(current);
  });
});

describe('token and limits', () => {
  it('checks the token first, then the origin, then the session limit', async () => {
    const current = await stationForTest(cleanups, { token: 'lab-secret-token', maxSessions: 1 });
    const first = new TestCamera(
      current.url({ pipeline_id: 'noop', camera_id: 'one', token: 'lab-secret-token' }),
    );
    await first.opened;
    const foreignBadToken = new TestCamera(current.url({ pipeline_id: 'noop', token: 'wrong' }), {
      origin: 'http://evil.example',
    });
    await expect(foreignBadToken.opened).rejects.toThrow('HTTP 401');
    const foreignGoodToken = new TestCamera(
      current.url({ pipeline_id: 'noop', token: 'lab-secret-token' }),
      {
        origin: 'http://evil.example',
      },
    );
    await expect(foreignGoodToken.opened).rejects.toThrow('HTTP 403');
    const full = new TestCamera(
      current.url({ pipeline_id: 'noop', camera_id: 'two', token: 'lab-secret-token' }),
    );
    await expect(full.opened).rejects.toThrow('HTTP 503');
    first.close();
  });

  it('accepts the Bearer scheme in any case, and a good query token beside a bad header', async () => {
    const current = await stationForTest(cleanups, { token: 'lab-secret-token' });
    const lower = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'a' }), {
      headers: { Authorization: 'bearer lab-secret-token' },
    });
    await lower.opened;
    const both = new TestCamera(
      current.url({ pipeline_id: 'noop', camera_id: 'b', token: 'lab-secret-token' }),
      {
        headers: { Authorization: 'Bearer stale-token' },
      },
    );
    await both.opened;
    lower.close();
    both.close();
  });

  it('lets a camera reconnect at the session limit, replacing its own session', async () => {
    const current = await stationForTest(cleanups, { maxSessions: 1 });
    const old = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope' }));
    await old.opened;
    const again = new TestCamera(current.url({ pipeline_id: 'noop', camera_id: 'scope' }));
    await again.opened;
    expect((await old.closed).code).toBe(4002);
    again.close();
  });
});

describe('peers that do not read', () => {
  it('ends a camera that keeps sending but never answers pings', async () => {
    const current = await stationForTest(cleanups, { heartbeatMs: 400 });
    const ws = new WebSocket(current.url({ pipeline_id: 'noop', camera_id: 'deaf' }), {
      autoPong: false,
    });
    ws.on('error', () => undefined);
    await new Promise((r) => ws.once('open', r));
    const jpeg = await makeJpeg();
    const timer = setInterval(() => ws.readyState === ws.OPEN && ws.send(jpeg), 50);
    try {
      await expectEndedByHeartbeat(current, 'deaf');
    } finally {
      clearInterval(timer);
      ws.terminate();
    }
  });
});

describe('counting', () => {
  it('keeps received = processed + dropped + rejected per pipeline across a live switch', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 200));
    const current = await stationForTest(cleanups, { queueDepth: 2 }, dataDir);
    const cam = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'sw' }));
    await cam.until((m) => m.length >= 1);
    const jpeg = await makeJpeg();
    cam.send(jpeg); // in flight on slow
    cam.send(jpeg); // waiting, received under slow
    await waitFor(() => current.station.snapshot().sessions[0]?.frame_index === 2);
    expect(current.station.switchPipeline(cam.hello().session_id as string, 'noop')).toEqual({
      ok: true,
    });
    cam.send(jpeg); // received under noop
    await cam.until((m) => m.filter((x) => 'frame_index' in x).length === 3);
    const replies = cam.replies();
    expect(replies.map((r) => (r.pipeline as { id: string }).id)).toEqual(['slow', 'slow', 'noop']);
    const text = await (await fetch(current.http('/metrics'))).text();
    const value = (name: string, pipeline: string) =>
      Number(
        text.match(new RegExp(`^${name}\\{pipeline_id="${pipeline}"\\} (\\d+)`, 'm'))?.[1] ?? 0,
      );
    for (const p of ['slow', 'noop']) {
      expect(value('stream_frames_received_total', p)).toBe(
        value('stream_frames_processed_total', p) + value('stream_frames_dropped_total', p),
      );
    }
    expect(value('stream_frames_received_total', 'slow')).toBe(2);
    cam.close();
  });

  it('sends slow_down at most once per interval even when the rate hovers at the threshold', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 100));
    const current = await stationForTest(
      cleanups,
      { rateWindowMs: 1000, slowdownIntervalMs: 600 },
      dataDir,
    );
    const cam = new TestCamera(current.url({ pipeline_id: 'slow', camera_id: 'hover' }));
    await cam.opened;
    const jpeg = await makeJpeg();
    const times: number[] = [];
    cam.ws.on('message', (data: Buffer) => {
      if (data.toString().includes('slow_down')) times.push(Date.now());
    });
    for (let i = 0; i < 60; i++) {
      cam.send(jpeg);
      await new Promise((r) => setTimeout(r, 66)); // ~15 fps into a 10 fps pipeline
    }
    expect(times.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(550);
    }
    cam.close();
  });
});

describe('pipeline failures', () => {
  it('counts a frame whose decode fails once, under the node the reply names', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, {
      id: 'fragile',
      name: 'Fragile',
      description: 'decodes pixels',
      nodes: [{ id: 'levels', op: 'stats', needs: [], params: {} }],
      outputs: ['levels'],
    });
    const current = await stationForTest(cleanups, {}, dataDir);
    const cam = new TestCamera(current.url({ pipeline_id: 'fragile' }));
    await cam.opened;
    const jpeg = await makeJpeg(64, 64);
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    cam.send(Buffer.concat([jpeg.subarray(0, sos + 20), Buffer.from([0xff, 0xd9])]));
    await cam.until((m) => m.some((x) => x.frame_index === 1));
    const text = await (await fetch(current.http('/metrics'))).text();
    const failures = [
      ...text.matchAll(/^pipeline_failures_total\{pipeline_id="fragile",node="([^"]+)"\} (\d+)/gm),
    ];
    expect(failures.map(([, node, n]) => [node, Number(n)])).toEqual([['levels', 1]]);
    cam.close();
  });
});
