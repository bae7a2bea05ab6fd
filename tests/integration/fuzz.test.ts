/**
 * Seeded, bounded fuzzing of the camera endpoint (short pass; `npm run fuzz`
 * runs the long one): bad frames, bad queries, rapid reconnects and raw-socket
 * upgrade attacks, while a healthy camera streams beside them. Replay a failure
 * with FUZZ_SEED=<seed printed below>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzJpegs, healthyCamera } from '../../bench/fuzz/fixtures';
import { runFuzz, type FuzzReport } from '../../bench/fuzz/run-fuzz';
import { type CameraClient } from '../../src/main/sim/camera-client';
import { createStation, type Station } from '../../src/main/station';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 15);
const MAX_FRAME_BYTES = 256 * 1024;
const HEARTBEAT_MS = 1000;

describe('fuzzing the camera endpoint', () => {
  let dataDir: string;
  let station: Station;
  let port: number;
  let healthy: CameraClient;
  let report: FuzzReport;
  const health: number[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-fuzz-'));
    station = createStation({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'silent',
      maxFrameBytes: MAX_FRAME_BYTES,
      heartbeatMs: HEARTBEAT_MS,
    });
    port = (await station.start()).port;
  });

  afterAll(async () => {
    await station?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'never crashes, ends each bad session with its protocol error, and answers the healthy camera every time',
    async () => {
      const known: string[] = station.snapshot().pipelines.map((p) => p.id);
      const pipelines = ['noop', 'metadata', 'inspect', 'bench'].filter((id) => known.includes(id));
      healthy = await healthyCamera(`ws://127.0.0.1:${port}`);
      await healthy.start();
      const healthTimer = setInterval(() => {
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (res) => health.push(res.status),
          () => health.push(0),
        );
      }, 500);

      report = await runFuzz({
        port,
        seed: SEED,
        seconds: SECONDS,
        lanes: 4,
        maxFrameBytes: MAX_FRAME_BYTES,
        heartbeatMs: HEARTBEAT_MS,
        pipelines,
        defaultPipeline: station.snapshot().station.default_pipeline,
        jpegs: await fuzzJpegs(),
      });
      clearInterval(healthTimer);
      const stats = await healthy.stop(5000);
      console.log(
        `fuzz seed ${report.seed}: ${report.framesTotal} frames ${JSON.stringify(report.frames)}, ` +
          `${report.sessions} sessions, ${report.queries} queries, ${report.rapid} rapid disconnects, ` +
          `attacks ${JSON.stringify(report.attacks)}, floods ${JSON.stringify(report.floods)} (notes ${JSON.stringify(report.notes)}); outcomes ${JSON.stringify(report.outcomes)}; ` +
          `healthy camera sent ${stats.sent}, processed ${stats.processed}, dropped ${stats.dropped}`,
      );

      expect(report.violations).toEqual([]);
      expect(report.framesTotal).toBeGreaterThan(100);
      for (const kind of [
        'valid',
        'mutated',
        'truncated',
        'random',
        'scan_bomb',
        'text',
      ] as const) {
        expect(report.frames[kind], kind).toBeGreaterThan(0);
      }
      expect(report.queries).toBeGreaterThan(0);
      // Every tiny-frame flood was ended by the station: the message budget (4029), or
      // the 1 s heartbeat first when the flood's own backlog held its pongs.
      expect(report.floods.runs).toBeGreaterThan(0);
      expect(report.floods.closedTooManyFrames + report.floods.cutOff).toBe(report.floods.runs);
      expect(Object.values(report.attacks).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

      // The healthy camera: every frame it sent got exactly one reply, in order.
      expect(stats.sent).toBeGreaterThan(0);
      expect(stats.outstanding).toBe(0);
      expect(stats.violations).toBe(0);
      expect(stats.processed + stats.dropped).toBe(stats.sent);
      expect(stats.failed).toBe(0);
      expect(stats).toMatchObject({ state: 'closed', closeCode: 1000, error: null });

      // The station still serves, and no session outlives its socket.
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((status) => status === 200)).toBe(true);
      const deadline = Date.now() + 10_000;
      while (station.snapshot().sessions.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(station.snapshot().sessions).toEqual([]);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
    },
    SECONDS * 1000 + 60_000,
  );
});
