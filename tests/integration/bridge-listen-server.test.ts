/**
 * The bridge against ffmpeg's own single-client HTTP server (`-listen 1`),
 * which labels MJPEG `application/octet-stream` and serves one client, once:
 * the stream must be recognised from its bytes and never spent on a probe.
 * `--fps` must hold on every source kind, within 10 %.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge, type Bridge, type BridgeOptions } from '../../src/main/bridge/bridge';
import { removeDir, startStation, waitFor, type TestStation } from '../helpers/station';
import { bridgeLogger } from '../helpers/mjpeg-camera';
import { freePort } from '../helpers/ports';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** ffmpeg serving a test pattern to a single HTTP client, as in the docs' example. */
async function listenServer(format: 'mpjpeg' | 'mpegts', fps: number): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/stream`;
  const codec = format === 'mpjpeg' ? ['-q:v', '5'] : ['-c:v', 'mpeg2video'];
  const child: ChildProcess = spawn(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-f', 'lavfi'],
      ...['-i', `testsrc=size=320x240:rate=${fps}`, ...codec, '-f', format, '-listen', '1', url],
    ],
    { stdio: 'ignore' },
  );
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return url;
}

async function station(): Promise<TestStation> {
  const s = await startStation({});
  cleanups.push(async () => {
    await s.close();
    removeDir(s.dataDir);
  });
  return s;
}

function bridge(s: TestStation, options: Partial<BridgeOptions> & Pick<BridgeOptions, 'source'>) {
  const { logger, logs } = bridgeLogger();
  const b: Bridge = createBridge({
    station: `ws://127.0.0.1:${s.port}`,
    cameraId: 'listen-cam',
    pipelineId: 'noop',
    logger,
    // ffmpeg may not listen yet: retry quickly (a refused connect costs the server nothing).
    sourceBackoff: { initialMs: 100, maxMs: 300 },
    ...options,
  });
  cleanups.push(() => b.stop());
  b.start();
  return { bridge: b, logs };
}

/** Frames read and sent per second over `ms`, once the stream runs. */
async function measuredRates(b: Bridge, ms = 4000): Promise<{ read: number; sent: number }> {
  await waitFor(() => b.stats().sent >= 5, 20_000);
  const start = { at: Date.now(), ...b.stats() };
  await new Promise((r) => setTimeout(r, ms));
  const end = { at: Date.now(), ...b.stats() };
  const seconds = (end.at - start.at) / 1000;
  return {
    read: (end.frames_read - start.frames_read) / seconds,
    sent: (end.sent - start.sent) / seconds,
  };
}

/** Sent at `fps` within 10 %, or at the source's own rate when that is lower. */
function expectPaced(rates: { read: number; sent: number }, fps: number): void {
  const expected = Math.min(fps, rates.read);
  expect(rates.sent).toBeGreaterThanOrEqual(0.9 * expected);
  expect(rates.sent).toBeLessThanOrEqual(1.1 * fps);
}

describe("bridge against ffmpeg's -listen 1 MJPEG server", () => {
  it('reads it in-process as MJPEG, from its bytes, without spending the single client', async () => {
    const s = await station();
    const url = await listenServer('mpjpeg', 10);
    const { bridge: b, logs } = bridge(s, { source: { kind: 'mjpeg', url } });
    const rates = await measuredRates(b);
    expect(rates.sent).toBeGreaterThanOrEqual(9);
    expect(rates.sent).toBeLessThanOrEqual(11);
    expect(b.stats().source_reconnects).toBeLessThanOrEqual(20); // refused connects before ffmpeg listened
    expect(logs.lines.some((l) => l.event === 'source_via_ffmpeg')).toBe(false);
  });

  for (const fps of [10, 5]) {
    it(`--fps ${fps} sends ${fps} fps from the 10 fps server`, async () => {
      const s = await station();
      const url = await listenServer('mpjpeg', 10);
      const { bridge: b } = bridge(s, { source: { kind: 'mjpeg', url }, fps });
      const rates = await measuredRates(b);
      expect(rates.read).toBeGreaterThanOrEqual(8);
      expectPaced(rates, fps);
    });
  }

  it('--fps 10 through ffmpeg (--via-ffmpeg) sends 10 fps from the 10 fps server', async () => {
    const s = await station();
    const url = await listenServer('mpjpeg', 10);
    const { bridge: b } = bridge(s, { source: { kind: 'ffmpeg_url', url }, fps: 10 });
    const rates = await measuredRates(b);
    expect(rates.read).toBeGreaterThanOrEqual(8);
    expectPaced(rates, 10);
  });
});

describe("bridge against ffmpeg's -listen 1 server of a stream that is not MJPEG", () => {
  it('hands the open response to ffmpeg: the single client is not spent on a probe', async () => {
    const s = await station();
    const url = await listenServer('mpegts', 10);
    const { bridge: b, logs } = bridge(s, {
      source: { kind: 'mjpeg', url },
      pipelineId: 'metadata',
    });
    await waitFor(() => b.stats().processed >= 10, 25_000);
    expect(logs.lines.find((l) => l.event === 'source_via_ffmpeg')).toMatchObject({
      detail: expect.stringContaining('no MJPEG markers') as string,
    });
    expect(b.stats().last_result?.metadata).toMatchObject({ width: 320, height: 240 });
    // The stream never broke: no reconnect once ffmpeg had the connection.
    const lost = logs.lines.filter(
      (l) => l.event === 'source_lost' && l.code !== 'source_unreachable',
    );
    expect(lost).toEqual([]);
  });
});

describe('--fps on the other source kinds', () => {
  it('an ffmpeg test pattern at 25 fps, --fps 10', async () => {
    const s = await station();
    const { bridge: b } = bridge(s, {
      source: { kind: 'lavfi', graph: 'testsrc=size=320x240:rate=25' },
      fps: 10,
    });
    const rates = await measuredRates(b);
    expect(rates.read).toBeGreaterThanOrEqual(15); // well above the limit, even on a busy machine
    expectPaced(rates, 10);
  });

  it('an in-process MJPEG camera at 25 fps, --fps 7', async () => {
    const s = await station();
    const url = await listenServer('mpjpeg', 25);
    const { bridge: b } = bridge(s, { source: { kind: 'mjpeg', url }, fps: 7 });
    const rates = await measuredRates(b);
    expect(rates.read).toBeGreaterThanOrEqual(15); // well above the limit, even on a busy machine
    expectPaced(rates, 7);
  });
});
