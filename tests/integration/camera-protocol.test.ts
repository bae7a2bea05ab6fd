/** The camera protocol over real sockets: every rule of docs/protocol.md. */
import { describe, expect, it } from 'vitest';
import { makeJpeg, TestCamera, waitFor, writePipeline, makeDataDir } from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';

const cleanups = cleanupsAfterEach();

const station = (options: Parameters<typeof stationForTest>[1] = {}, dataDir?: string) =>
  stationForTest(cleanups, options, dataDir);

describe('connecting', () => {
  it('greets with a hello naming the session, camera, pipeline and frame limit', async () => {
    const s = await station();
    const cam = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'bench-1' }));
    await cam.until((m) => m.length >= 1);
    expect(cam.hello()).toMatchObject({
      protocol: 1,
      camera_id: 'bench-1',
      pipeline_id: 'noop',
      pipeline_source: 'url',
      max_frame_bytes: 8_388_608,
    });
    expect(cam.hello().session_id).toMatch(/^[0-9a-f-]{36}$/);
    cam.close();
  });

  it('uses the default pipeline when none is named, and derives the camera id from the address', async () => {
    const s = await station();
    const cam = new TestCamera(s.url());
    await cam.until((m) => m.length >= 1);
    expect(cam.hello()).toMatchObject({ camera_id: '127.0.0.1', pipeline_source: 'default' });
    expect(['inspect', 'metadata']).toContain(cam.hello().pipeline_id);
    cam.close();
  });

  it('refuses an unknown pipeline with invalid_pipeline and close 1008', async () => {
    const s = await station();
    const cam = new TestCamera(s.url({ pipeline_id: 'nope' }));
    const closed = await cam.closed;
    expect(cam.messages).toEqual([
      { error: 'invalid_pipeline', detail: 'Unknown pipeline_id: nope' },
    ]);
    expect(closed.code).toBe(1008);
  });

  it('refuses an invalid camera id with invalid_camera_id and close 1008', async () => {
    const s = await station();
    const cam = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'bad id!' }));
    const closed = await cam.closed;
    expect(cam.messages[0]).toMatchObject({ error: 'invalid_camera_id' });
    expect(closed.code).toBe(1008);
    const tooLong = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'x'.repeat(65) }));
    expect((await tooLong.closed).code).toBe(1008);
  });

  it('checks the pipeline before the camera id', async () => {
    const s = await station();
    const cam = new TestCamera(s.url({ pipeline_id: 'nope', camera_id: 'bad id!' }));
    await cam.closed;
    expect(cam.messages[0]).toMatchObject({ error: 'invalid_pipeline' });
  });

  it('answers 401 without the token, before anything else', async () => {
    const s = await station({ token: 'correct-horse', maxSessions: 1 });
    const bad = new TestCamera(s.url({ pipeline_id: 'nope', token: 'wrong-token' }));
    await expect(bad.opened).rejects.toThrow('HTTP 401');
    const none = new TestCamera(s.url({ pipeline_id: 'noop' }));
    await expect(none.opened).rejects.toThrow('HTTP 401');
    const byQuery = new TestCamera(s.url({ pipeline_id: 'noop', token: 'correct-horse' }));
    await byQuery.opened;
    byQuery.close();
    await byQuery.closed;
    await waitFor(() => s.station.snapshot().sessions.length === 0);
    const byHeader = new TestCamera(s.url({ pipeline_id: 'noop' }), {
      headers: { Authorization: 'Bearer correct-horse' },
    });
    await byHeader.opened;
    byHeader.close();
  });

  it('answers 403 to a foreign browser origin, accepts its own and allowed ones', async () => {
    const s = await station({ allowedOrigins: ['http://scope.lab:8080'] });
    const foreign = new TestCamera(s.url({ pipeline_id: 'noop' }), {
      origin: 'http://evil.example',
    });
    await expect(foreign.opened).rejects.toThrow('HTTP 403');
    const own = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'a' }), {
      origin: `http://127.0.0.1:${s.port}`,
    });
    await own.opened;
    const allowed = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'b' }), {
      origin: 'http://scope.lab:8080',
    });
    await allowed.opened;
    own.close();
    allowed.close();
  });

  it('answers 503 with Retry-After when the session limit is reached', async () => {
    const s = await station({ maxSessions: 1 });
    const first = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'one' }));
    await first.opened;
    const res = await new Promise<{ status: number; retry: string | undefined }>((resolve) => {
      const second = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'two' }));
      second.ws.on('unexpected-response', (_req, r) =>
        resolve({ status: r.statusCode ?? 0, retry: r.headers['retry-after'] }),
      );
    });
    expect(res).toEqual({ status: 503, retry: '5' });
    first.close();
  });

  it('replaces the older session of a reconnecting camera with close 4002', async () => {
    const s = await station();
    const old = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'scope' }));
    await old.until((m) => m.length >= 1);
    const fresh = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'scope' }));
    await fresh.until((m) => m.length >= 1);
    expect((await old.closed).code).toBe(4002);
    await waitFor(() => s.station.snapshot().sessions.length === 1);
    expect(s.station.snapshot().sessions[0]!.session_id).toBe(fresh.hello().session_id);
    fresh.send(await makeJpeg());
    await fresh.until((m) => m.some((x) => x.frame_index === 1));
    fresh.close();
  });
});

describe('frames', () => {
  it('answers each frame once, in order, with the result envelope', async () => {
    const s = await station();
    const cam = new TestCamera(s.url({ pipeline_id: 'metadata', camera_id: 'c1' }));
    await cam.opened;
    const jpeg = await makeJpeg(320, 240);
    for (let i = 0; i < 5; i++) {
      cam.send(jpeg);
      await cam.until((m) => m.filter((x) => 'frame_index' in x).length === i + 1);
    }
    const replies = cam.replies();
    expect(replies.map((r) => r.frame_index)).toEqual([1, 2, 3, 4, 5]);
    for (const r of replies) {
      expect(r).toMatchObject({
        pipeline: { id: 'metadata', version: expect.stringMatching(/^[0-9a-f]{64}$/) },
        timings_ms: { total: expect.any(Number) },
      });
      expect(JSON.stringify(r.result)).toContain('320');
      expect(r.result).not.toHaveProperty('error');
    }
    cam.close();
  });

  it('closes 1003 on a text message with invalid_message', async () => {
    const s = await station();
    const cam = new TestCamera(s.url({ pipeline_id: 'noop' }));
    await cam.opened;
    cam.send('hello station');
    const closed = await cam.closed;
    expect(cam.messages.at(-1)).toEqual({
      error: 'invalid_message',
      detail: 'Expected binary frame payload',
    });
    expect(closed.code).toBe(1003);
  });

  it('closes 1007 on an empty frame and on bytes that are not a JPEG', async () => {
    const s = await station();
    const empty = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'e' }));
    await empty.opened;
    empty.send(Buffer.alloc(0));
    expect((await empty.closed).code).toBe(1007);
    expect(empty.messages.at(-1)).toMatchObject({ error: 'empty_frame' });

    const junk = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'j' }));
    await junk.opened;
    junk.send(Buffer.from('definitely not a jpeg'));
    expect((await junk.closed).code).toBe(1007);
    expect(junk.messages.at(-1)).toMatchObject({ error: 'invalid_jpeg' });

    const truncated = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 't' }));
    await truncated.opened;
    const jpeg = await makeJpeg();
    truncated.send(jpeg.subarray(0, jpeg.length >> 1));
    expect((await truncated.closed).code).toBe(1007);
    expect(truncated.messages.at(-1)).toMatchObject({
      error: 'invalid_jpeg',
      detail: expect.stringContaining('EOI'),
    });
  });

  it('refuses an oversize frame with 1009 from its header, before the payload is sent', async () => {
    const s = await station({ maxFrameBytes: 64 * 1024 });
    const cam = new TestCamera(s.url({ pipeline_id: 'noop' }));
    await cam.opened;
    // A binary frame header declaring 64 MiB, then only 16 bytes of it: the
    // station must refuse from the declared length, without waiting for the rest.
    const header = Buffer.alloc(14);
    header[0] = 0x82; // FIN + binary
    header[1] = 0x80 | 127; // masked, 64-bit length follows
    header.writeBigUInt64BE(BigInt(64 * 1024 * 1024), 2);
    header.writeUInt32BE(0x01020304, 10); // mask key
    const raw = (cam.ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.write(Buffer.concat([header, Buffer.alloc(16, 0xab)]));
    const closed = await cam.closed;
    expect(closed.code).toBe(1009);
    await waitFor(() => s.station.snapshot().sessions.length === 0);
    const metrics = await (await fetch(s.http('/metrics'))).text();
    expect(metrics).toMatch(/stream_frames_rejected_total\{code="frame_too_large"\} 1/);
  });

  it('keeps the session open when a node fails, answering pipeline_failure', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, {
      id: 'fragile',
      name: 'Fragile',
      description: 'decodes pixels, so corrupt image data fails its node',
      nodes: [{ id: 'levels', op: 'stats', needs: [], params: {} }],
      outputs: ['levels'],
    });
    const s = await station({}, dataDir);
    const cam = new TestCamera(s.url({ pipeline_id: 'fragile' }));
    await cam.opened;
    // Valid headers, then a scan cut short: passes the header check, fails in the decoder.
    const jpeg = await makeJpeg(64, 64);
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const broken = Buffer.concat([jpeg.subarray(0, sos + 20), Buffer.from([0xff, 0xd9])]);
    cam.send(broken);
    cam.send(jpeg);
    await cam.until((m) => m.filter((x) => 'frame_index' in x).length >= 2);
    const [first, second] = cam.replies();
    expect(first).toMatchObject({
      frame_index: 1,
      result: {
        error: 'pipeline_failure',
        node: 'levels',
        detail: expect.stringContaining('JPEG'),
      },
      pipeline: { id: 'fragile' },
    });
    expect(second).toMatchObject({ frame_index: 2, result: { levels: expect.anything() } });
    expect(cam.ws.readyState).toBe(cam.ws.OPEN);
    await waitFor(() => s.station.snapshot().sessions[0]?.failed === 1);
    const metrics = await (await fetch(s.http('/metrics'))).text();
    expect(metrics).toContain('pipeline_failures_total{pipeline_id="fragile",node="levels"} 1');
    expect(s.logs.lines.find((l) => l.event === 'pipeline_failure')).toMatchObject({
      frame_index: 1,
      node: 'levels',
    });
    cam.close();
  });
});
