/** The camera bridge reading through the system's ffmpeg (Debian package), and its CLI. */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BridgeOptions } from '../../src/main/bridge/bridge';
import {
  slowPipeline,
  waitFor,
  writePipeline,
  makeDataDir,
  type TestStation,
} from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';
import { runToEnd } from '../helpers/child-run';
import { bridgeForTest, numberedJpegs, startMjpegCamera } from '../helpers/mjpeg-camera';

const ROOT = resolve(__dirname, '../..');
const cleanups = cleanupsAfterEach();

const station = (options: Parameters<typeof stationForTest>[1] = {}, dataDir?: string) =>
  stationForTest(cleanups, options, dataDir);

const bridge = (s: TestStation, options: Partial<BridgeOptions> & Pick<BridgeOptions, 'source'>) =>
  bridgeForTest(cleanups, `ws://127.0.0.1:${s.port}`, { cameraId: 'ffmpeg-cam', ...options });

const runCli = (args: string[]) =>
  runToEnd(process.execPath, ['--import', 'tsx', 'src/main/cli/bridge.ts', ...args], {
    timeoutMs: 25_000,
  });

describe('bridge with ffmpeg', () => {
  it('streams a lavfi test pattern: exactly its frames, then finishes', async () => {
    const s = await station();
    const { bridge: b } = bridge(s, {
      source: { kind: 'lavfi', graph: 'testsrc=size=160x120:rate=10:duration=2' },
    });
    const ended = await b.done();
    expect(ended.state).toBe('finished');
    expect(ended).toMatchObject({ frames_read: 20, sent: 20, skipped: 0, failed: 0 });
    expect(ended.processed + ended.dropped).toBe(20);
    expect(ended.last_result?.metadata).toMatchObject({ width: 160, height: 120, format: 'jpeg' });
    await waitFor(() =>
      s.logs.lines.some((l) => l.event === 'stream_disconnect' && l.camera_id === 'ffmpeg-cam'),
    );
    const disconnect = s.logs.lines.find((l) => l.event === 'stream_disconnect');
    expect(disconnect).toMatchObject({ camera_id: 'ffmpeg-cam', frame_index: 20 });
  });

  it('restarts ffmpeg when its source goes away and comes back', async () => {
    const s = await station();
    const cam = await startMjpegCamera({ frames: await numberedJpegs(4), fps: 10, loop: true });
    cleanups.push(() => cam.kill().catch(() => undefined));
    const { bridge: b, logs } = bridge(s, { source: { kind: 'ffmpeg_url', url: cam.url } });
    await waitFor(() => b.stats().processed >= 4, 15_000);
    await cam.kill();
    await waitFor(() => b.stats().source_reconnects >= 1, 20_000);
    const before = b.stats().frames_read;
    await cam.restart();
    await waitFor(() => b.stats().frames_read >= before + 4, 20_000);
    expect(cam.connections()).toBeGreaterThanOrEqual(2);
    expect(logs.lines.some((l) => l.event === 'source_lost')).toBe(true);
  });

  it('reads an HTTP stream that is not MJPEG with ffmpeg', async () => {
    const s = await station();
    const video = execFileSync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=160x120:rate=10:duration=3',
      '-c:v',
      'mpeg2video',
      '-f',
      'mpegts',
      'pipe:1',
    ]);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'video/mp2t', 'Content-Length': video.length });
      res.end(video);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
    const port = (server.address() as AddressInfo).port;
    const { bridge: b, logs } = bridge(s, {
      source: { kind: 'mjpeg', url: `http://127.0.0.1:${port}/live.ts` },
    });
    await waitFor(() => b.stats().processed >= 5, 20_000);
    expect(logs.lines.find((l) => l.event === 'source_via_ffmpeg')).toMatchObject({
      detail: expect.stringContaining('Content-Type video/mp2t') as string,
    });
    expect(b.stats().last_result?.metadata).toMatchObject({ width: 160, height: 120 });
  });

  it('says clearly that ffmpeg is missing, and does not retry', async () => {
    const s = await station();
    const { bridge: b } = bridge(s, {
      source: { kind: 'lavfi', graph: 'testsrc' },
      ffmpegPath: '/nonexistent/ffmpeg',
    });
    const ended = await b.done();
    expect(ended.state).toBe('failed');
    expect(ended.error).toMatchObject({ code: 'ffmpeg_missing', retry: false });
    expect(ended.error?.message).toContain('apt-get install ffmpeg');
  });

  it('follows slow_down: lowers its rate to the suggested fps and keeps only the latest frame', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 200));
    const s = await station({ rateWindowMs: 1000, slowdownIntervalMs: 300 }, dataDir);
    const { bridge: b, logs } = bridge(s, {
      source: { kind: 'lavfi', graph: 'testsrc=size=160x120:rate=25' },
      pipelineId: 'slow',
    });
    await waitFor(() => b.stats().rate.slowDowns >= 1, 20_000);
    const warning = logs.lines.find((l) => l.event === 'slow_down');
    expect(warning).toMatchObject({ lowered: true, suggested_fps: expect.any(Number) as number });
    const limit = b.stats().rate.limitFps;
    expect(limit).not.toBeNull();
    expect(limit!).toBeLessThan(25);
    // Frames now come faster than they may go: the bridge replaces the waiting one.
    await waitFor(() => b.stats().skipped >= 5, 20_000);
  });
});

describe('bridge CLI', () => {
  it('streams a test pattern and exits 0 with JSON log lines', async () => {
    const s = await station();
    const run = await runCli([
      '--station',
      `ws://127.0.0.1:${s.port}`,
      '--lavfi',
      'testsrc=size=160x120:rate=10:duration=1',
      '--camera',
      'cli-cam',
      '--pipeline',
      'metadata',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = run.lines.map((l) => l.event);
    expect(events).toEqual(
      expect.arrayContaining(['bridge_starting', 'station_connected', 'bridge_finished']),
    );
    expect(run.lines.find((l) => l.event === 'bridge_finished')).toMatchObject({
      sent: 10,
      frames_read: 10,
    });
    for (const line of run.lines) {
      expect(line).toMatchObject({
        time: expect.any(String) as string,
        level: expect.any(String) as string,
      });
    }
  });

  it('stops cleanly on SIGTERM: closes the session and exits 0', async () => {
    const s = await station();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/main/cli/bridge.ts',
        '--station',
        `ws://127.0.0.1:${s.port}`,
        '--lavfi',
        'testsrc=size=160x120:rate=10',
        '--camera',
        'sigterm-cam',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    await waitFor(() => (s.station.snapshot().sessions[0]?.processed ?? 0) >= 3, 20_000);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stopped = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'bridge_stopped');
    expect(stopped).toMatchObject({ level: 'info' });
    expect(stopped!.sent).toBeGreaterThanOrEqual(3);
    await waitFor(() => s.station.snapshot().sessions.length === 0);
    const closed = s.logs.lines.find((l) => l.event === 'stream_disconnect');
    expect(closed).toMatchObject({ camera_id: 'sigterm-cam' });
  });

  it('refuses local paths as --source, and explains a missing ffmpeg', async () => {
    const local = await runCli([
      '--station',
      'ws://127.0.0.1:9',
      '--source',
      'file:///etc/passwd',
      '--camera',
      'c',
    ]);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('http(s):// or rtsp(s):// URL');

    const missing = await runCli([
      '--station',
      'ws://127.0.0.1:9',
      '--source',
      'rtsp://user:hunter2@10.0.0.9/stream',
      '--camera',
      'c',
      '--ffmpeg',
      '/nonexistent/ffmpeg',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ffmpeg was not found');
    expect(missing.stderr).not.toContain('hunter2');
  });
});
