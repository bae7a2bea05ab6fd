import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createCameraClient, type CameraEvent } from '../../../src/main/sim/camera-client';

/** A scripted station: the hello, then a reply per frame chosen by `reply`. */
function startScriptedStation(
  reply: (socket: WebSocket, frameIndex: number) => void,
  options: { refuseWith?: number; helloPipeline?: string } = {},
) {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: options.refuseWith ? (_info, done) => done(false, options.refuseWith) : undefined,
  });
  const urls: string[] = [];
  server.on('connection', (socket, request) => {
    urls.push(request.url ?? '');
    if (options.helloPipeline === 'nope') {
      socket.send(
        JSON.stringify({ error: 'invalid_pipeline', detail: 'Unknown pipeline_id: nope' }),
      );
      socket.close(1008);
      return;
    }
    socket.send(
      JSON.stringify({
        hello: {
          protocol: 1,
          session_id: 's1',
          camera_id: 'cam-x',
          pipeline_id: options.helloPipeline ?? 'noop',
          pipeline_source: 'url',
          max_frame_bytes: 1024,
        },
      }),
    );
    let index = 0;
    socket.on('message', () => reply(socket, ++index));
  });
  return new Promise<{ url: string; urls: string[]; close: () => Promise<void> }>((resolve) => {
    server.on('listening', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `ws://127.0.0.1:${port}`,
        urls,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

const frames = { next: () => Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]) };
const result = (frameIndex: number) =>
  JSON.stringify({
    frame_index: frameIndex,
    result: { n: 1 },
    pipeline: { id: 'noop', version: 'v' },
    timings_ms: { total: 0.1 },
  });

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

describe('createCameraClient', () => {
  it('sends the query, counts results, drops and failures, and drains on stop', async () => {
    const station = await startScriptedStation((socket, i) => {
      if (i % 4 === 0) socket.send(JSON.stringify({ frame_index: i, dropped: true }));
      else if (i % 4 === 1)
        socket.send(
          JSON.stringify({
            frame_index: i,
            result: { error: 'pipeline_failure', detail: 'x', node: 'n' },
            pipeline: { id: 'noop', version: 'v' },
          }),
        );
      else socket.send(result(i));
    });
    cleanups.push(station.close);
    const client = createCameraClient({
      url: station.url,
      cameraId: 'cam-x',
      pipelineId: 'noop',
      token: 's3cret',
      fps: 1,
      closedLoop: true,
      frames,
    });
    const hello = await client.start();
    expect(hello.session_id).toBe('s1');
    await new Promise((r) => setTimeout(r, 200));
    const stats = await client.stop();
    expect(station.urls[0]).toBe('/ws/video/stream?pipeline_id=noop&camera_id=cam-x&token=s3cret');
    expect(stats.sent).toBeGreaterThan(8);
    expect(stats.outstanding).toBe(0);
    expect(stats.violations).toBe(0);
    expect(stats.processed + stats.dropped).toBe(stats.sent);
    expect(stats.dropped).toBe(Math.floor(stats.sent / 4));
    expect(stats.failed).toBe(Math.ceil(stats.sent / 4));
    expect(stats.latency.count).toBe(stats.processed);
    expect(stats.state).toBe('closed');
    expect(stats.closeCode).toBe(1000);
  });

  it('in open loop keeps its rate whatever the replies, and lowers it on slow_down when adaptive', async () => {
    const station = await startScriptedStation((socket, i) => {
      socket.send(result(i));
      if (i === 3)
        socket.send(JSON.stringify({ warning: 'slow_down', drop_rate: 0.5, suggested_fps: 5 }));
    });
    cleanups.push(station.close);
    const events: CameraEvent[] = [];
    const client = createCameraClient({
      url: station.url,
      fps: 50,
      adaptive: true,
      frames,
      slowdownIntervalMs: 10_000,
    });
    client.subscribe((e) => events.push(e));
    await client.start();
    await new Promise((r) => setTimeout(r, 600));
    const stats = await client.stop();
    expect(stats.slowDowns).toBe(1);
    expect(stats.fps).toBe(5);
    expect(stats.lastSuggestedFps).toBe(5);
    expect(events.some((e) => e.type === 'fps_changed' && e.fps === 5)).toBe(true);
    // ~3 frames at 50 fps, then ~0.5 s at 5 fps: far fewer than 30 frames.
    expect(stats.sent).toBeGreaterThanOrEqual(3);
    expect(stats.sent).toBeLessThan(15);
    expect(stats.outstanding).toBe(0);
  });

  it('rejects start with the HTTP status when the station refuses', async () => {
    const station = await startScriptedStation(() => undefined, { refuseWith: 401 });
    cleanups.push(station.close);
    const client = createCameraClient({ url: station.url, fps: 5, frames });
    await expect(client.start()).rejects.toThrow(/HTTP 401/);
    expect(client.stats()).toMatchObject({ state: 'failed', error: 'HTTP 401' });
  });

  it('rejects start with the protocol error sent before the close', async () => {
    const station = await startScriptedStation(() => undefined, { helloPipeline: 'nope' });
    cleanups.push(station.close);
    const client = createCameraClient({ url: station.url, fps: 5, frames, pipelineId: 'nope' });
    await expect(client.start()).rejects.toThrow(/invalid_pipeline/);
    expect(client.stats()).toMatchObject({ state: 'failed', closeCode: 1008 });
  });

  it('counts a reply to a frame never sent as a violation', async () => {
    const station = await startScriptedStation((socket, i) => {
      socket.send(result(i));
      socket.send(result(i + 1000));
    });
    cleanups.push(station.close);
    const client = createCameraClient({ url: station.url, fps: 20, frames });
    await client.start();
    await new Promise((r) => setTimeout(r, 150));
    const stats = await client.stop();
    expect(stats.violations).toBeGreaterThan(0);
  });
});
