/**
 * A real Prometheus (Debian's /usr/bin/prometheus) scraping a real station
 * while simulated cameras stream: the series exist and agree, the shipped
 * scrape config, alert rules and every Grafana panel's PromQL work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet, type Fleet } from '../../src/main/sim/fleet';
import { createStation, type Station } from '../../src/main/station';
import {
  PROMETHEUS,
  PROMTOOL,
  prometheusAvailable as available,
  startPrometheus,
  waitUntil,
  type PromResponse,
  type RunningPrometheus,
} from '../helpers/prometheus';

const MONITORING = resolve(__dirname, '..', '..', 'docs', 'monitoring');
if (!available) {
  console.warn(`Skipping the Prometheus test: ${PROMETHEUS} or ${PROMTOOL} is not installed.`);
}

describe.skipIf(!available)('Prometheus scraping the station', () => {
  let dir: string;
  let station: Station;
  let prometheus: RunningPrometheus;
  let promBase: string;
  let stationPort: number;
  let fleet: Fleet;
  let flood: Fleet;

  const query = (expr: string) => prometheus.query(expr);
  async function scalar(expr: string): Promise<number | null> {
    const body = await query(expr);
    if (body.status !== 'success' || body.data.result.length === 0) return null;
    return Number(body.data.result[0]!.value[1]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'foregsyte-prom-'));
    const dataDir = join(dir, 'station');
    mkdirSync(join(dataDir, 'pipelines'), { recursive: true });
    // A user pipeline far slower than its camera: drops are certain.
    writeFileSync(
      join(dataDir, 'pipelines', 'slow.json'),
      JSON.stringify({
        id: 'slow',
        name: 'Slow',
        description: 'waits 100 ms a frame',
        nodes: [{ id: 'wait', op: 'delay', params: { ms: 100 } }],
        outputs: ['wait'],
      }),
    );
    station = createStation({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' });
    stationPort = (await station.start()).port;

    // The shipped scrape config and rules, pointed at this station, scraped every second.
    const config = readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8')
      .replace(/scrape_interval: \S+/, 'scrape_interval: 1s')
      .replace(/evaluation_interval: \S+/, 'evaluation_interval: 1s')
      .replace("'127.0.0.1:8765'", `'127.0.0.1:${stationPort}'`);
    expect(config).toContain(`127.0.0.1:${stationPort}`);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    writeFileSync(join(dir, 'alerts.yml'), readFileSync(join(MONITORING, 'alerts.yml')));
    const check = spawnSync(PROMTOOL, ['check', 'config', join(dir, 'prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);

    prometheus = await startPrometheus(dir);
    promBase = prometheus.base;

    fleet = await createFleet({
      url: `ws://127.0.0.1:${stationPort}`,
      cameras: 3,
      fps: 10,
      width: 320,
      height: 180,
      pipelineId: 'metadata',
      cameraPrefix: 'prom',
      ringSize: 4,
    });
    flood = await createFleet({
      url: `ws://127.0.0.1:${stationPort}`,
      cameras: 1,
      fps: 60,
      width: 320,
      height: 180,
      pipelineId: 'slow',
      cameraPrefix: 'flood',
      ringSize: 4,
    });
    expect((await fleet.start()).refused).toEqual([]);
    expect((await flood.start()).refused).toEqual([]);
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop(1000);
    await flood?.stop(1000);
    await prometheus?.stop();
    await station?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('/metrics passes promtool check metrics with no finding', async () => {
    const text = await (await fetch(`http://127.0.0.1:${stationPort}/metrics`)).text();
    const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('sees every camera session and frames processed', async () => {
    const sessions = await waitUntil('stream_sessions_active == 4', async () =>
      (await scalar('stream_sessions_active')) === 4 ? 4 : null,
    );
    expect(sessions).toBe(4);
    const rate = await waitUntil('a processed-frames rate', async () => {
      const value = await scalar(
        'sum(rate(stream_frames_processed_total{pipeline_id="metadata"}[30s]))',
      );
      return value !== null && value > 0 ? value : null;
    });
    expect(rate).toBeGreaterThan(0);
    const up = await scalar('up{job="foregsyte-station"}');
    expect(up).toBe(1);
  }, 40_000);

  it('shows drops and slow_down for the flooded pipeline, none for the others', async () => {
    const dropped = await waitUntil('drops of the slow pipeline', async () => {
      const value = await scalar('stream_frames_dropped_total{pipeline_id="slow"}');
      return value !== null && value > 0 ? value : null;
    });
    expect(dropped).toBeGreaterThan(0);
    await waitUntil('slow_down signals', async () => {
      const value = await scalar('stream_slowdown_signals_total{pipeline_id="slow"}');
      return value !== null && value > 0 ? value : null;
    });
    const camera = await scalar(
      'sum(stream_camera_frames_dropped_total{camera_id="flood-1",reason="superseded"})',
    );
    expect(camera).toBeGreaterThan(0);
    // Cameras at 10 fps on `metadata` are never dropped.
    expect((await scalar('sum(stream_frames_dropped_total{pipeline_id="metadata"})')) ?? 0).toBe(0);
    // received = processed + dropped + rejected, per pipeline, as seen by Prometheus.
    const sums = await query(
      'stream_frames_received_total - stream_frames_processed_total - stream_frames_dropped_total',
    );
    expect(sums.status).toBe('success');
    for (const sample of sums.data.result) {
      // One scrape can land between a frame's arrival and its outcome: at most a frame or two in flight.
      expect(Math.abs(Number(sample.value[1]))).toBeLessThanOrEqual(2);
    }
  }, 40_000);

  it("runs every Grafana panel's query; the core panels return data", async () => {
    const dashboard = JSON.parse(
      readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    const core = [
      'Cameras connected',
      'Frames in / s',
      'Frames out / s',
      'Frames per second in and out, by pipeline',
      'Drop ratio by pipeline',
      'Dropped frames per second by camera',
      'Frame processing latency (p50 / p95 / p99)',
      'Frame processing latency distribution',
      'Per-node latency p95',
      "Seconds since each camera's last frame",
    ];
    for (const title of core) {
      expect(dashboard.panels.map((p) => p.title)).toContain(title);
    }
    // rate() over [1m] needs two scrapes of each series; wait until the core panels fill.
    const results = await waitUntil(
      'every core panel to return data',
      async () => {
        const out = new Map<string, { ok: boolean; error?: string; series: number }>();
        for (const panel of dashboard.panels) {
          for (const target of panel.targets) {
            // The dashboard's station variable as Grafana's "All" sends it.
            const body = await query(target.expr.replaceAll('$station', '.*'));
            const previous = out.get(panel.title);
            out.set(panel.title, {
              ok: body.status === 'success' && (previous?.ok ?? true),
              error: body.error ?? previous?.error,
              series: (previous?.series ?? 0) + (body.data?.result?.length ?? 0),
            });
          }
        }
        return core.every((t) => (out.get(t)?.series ?? 0) > 0) ? out : null;
      },
      30_000,
    );
    for (const [title, result] of results) {
      expect({ title, ok: result.ok, error: result.error }).toEqual({
        title,
        ok: true,
        error: undefined,
      });
    }
  }, 40_000);

  it('loads the alert rules (promtool check rules passes)', async () => {
    const check = spawnSync(PROMTOOL, ['check', 'rules', join(MONITORING, 'alerts.yml')], {
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const body = (await (await fetch(`${promBase}/api/v1/rules`)).json()) as PromResponse<{
      groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
    }>;
    expect(body.status).toBe('success');
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'CameraStoppedSending',
        'DropRateHigh',
        'StorageStopped',
        'StationDown',
      ]),
    );
    // Once evaluated against the live series, no rule reports an error.
    type RuleState = { name: string; health: string; lastError?: string; lastEvaluation: string };
    const evaluated = await waitUntil('every rule evaluated', async () => {
      const again = (await (await fetch(`${promBase}/api/v1/rules`)).json()) as PromResponse<{
        groups: { rules: RuleState[] }[];
      }>;
      const all = again.data.groups.flatMap((g) => g.rules);
      return all.every((r) => !r.lastEvaluation.startsWith('0001-')) ? all : null;
    });
    for (const rule of evaluated) {
      expect({ rule: rule.name, health: rule.health, error: rule.lastError ?? '' }).toEqual({
        rule: rule.name,
        health: 'ok',
        error: '',
      });
    }
    expect(prometheus.log()).not.toMatch(/level=error/);
  }, 30_000);
});
