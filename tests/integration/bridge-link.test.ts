/** The bridge's station link against stations that misbehave in ways a real network does. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createBridge } from '../../src/main/bridge/bridge';
import { startStation, waitFor } from '../helpers/station';
import { bridgeLogger, numberedJpegs, startMjpegCamera } from '../helpers/mjpeg-camera';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A station that greets and then never answers anything, pings included (a vanished host). */
async function silentStation(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong: false });
  wss.on('connection', (ws) => {
    connections += 1;
    ws.send(
      JSON.stringify({
        hello: {
          protocol: 1,
          session_id: `s${connections}`,
          camera_id: 'c',
          pipeline_id: 'p',
          pipeline_source: 'url',
          max_frame_bytes: 1 << 20,
        },
      }),
    );
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  );
  return { port: (wss.address() as AddressInfo).port, connections: () => connections };
}

describe('bridge station link', () => {
  it('finds a station that stopped answering pings and reconnects', async () => {
    const station = await silentStation();
    const cam = await startMjpegCamera({ frames: await numberedJpegs(3), fps: 10, loop: true });
    cleanups.push(() => cam.kill());
    const { logger, logs } = bridgeLogger();
    const bridge = createBridge({
      station: `ws://127.0.0.1:${station.port}`,
      source: { kind: 'mjpeg', url: cam.url },
      cameraId: 'c',
      logger,
      heartbeatMs: 150,
      stationBackoff: { initialMs: 50, maxMs: 100 },
    });
    cleanups.push(() => bridge.stop());
    bridge.start();
    await waitFor(() => station.connections() >= 2);
    const lost = logs.lines.find((l) => l.event === 'station_lost');
    expect(lost).toMatchObject({ code: 'station_unreachable', detail: 'no answer to ping' });
    expect(bridge.stats().sent).toBeGreaterThan(0);
  });

  it('refuses to start with a token the station rejects, without retrying', async () => {
    const s = await startStation({ token: 'right-token-1' });
    cleanups.push(() => s.close());
    const cam = await startMjpegCamera({ frames: await numberedJpegs(2), fps: 10, loop: true });
    cleanups.push(() => cam.kill());
    const { logger, logs } = bridgeLogger();
    const bridge = createBridge({
      station: `ws://127.0.0.1:${s.port}`,
      source: { kind: 'mjpeg', url: cam.url },
      cameraId: 'c',
      token: 'wrong-token-value',
      logger,
    });
    bridge.start();
    const ended = await bridge.done();
    expect(ended.state).toBe('failed');
    expect(ended.error?.code).toBe('unauthorized');
    expect(JSON.stringify(logs.lines)).not.toContain('wrong-token-value');

    const ok = createBridge({
      station: `ws://127.0.0.1:${s.port}`,
      source: { kind: 'mjpeg', url: cam.url },
      cameraId: 'c',
      token: 'right-token-1',
      logger,
    });
    cleanups.push(() => ok.stop());
    ok.start();
    await waitFor(() => ok.stats().processed >= 2);
  });
});
