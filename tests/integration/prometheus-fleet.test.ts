/**
 * docs/monitoring/prometheus-fleet.yml with a real Prometheus: two stations
 * found through a targets file, each scraped under its own `station` label,
 * and the alert rules loaded for them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStation, type Station } from '../../src/main/station';
import {
  PROMTOOL,
  prometheusAvailable,
  startPrometheus,
  type PromVector,
  type RunningPrometheus,
} from '../helpers/prometheus';
const MONITORING = resolve(__dirname, '..', '..', 'docs', 'monitoring');

describe.skipIf(!prometheusAvailable)('Prometheus across stations', () => {
  let dir: string;
  let prometheus: RunningPrometheus;
  const stations: Station[] = [];
  const ports: number[] = [];

  async function query(expr: string): Promise<PromVector[]> {
    const body = await prometheus.query(expr);
    return body.status === 'success' ? body.data.result : [];
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'foregsyte-prom-fleet-'));
    for (const name of ['one', 'two']) {
      const station = createStation({
        port: 0,
        host: '127.0.0.1',
        dataDir: join(dir, name),
        logLevel: 'silent',
      });
      stations.push(station);
      ports.push((await station.start()).port);
    }
    // The shipped config, scraped every second, and a targets file like stations.example.json.
    const config = readFileSync(join(MONITORING, 'prometheus-fleet.yml'), 'utf8')
      .replace(/scrape_interval: \S+/, 'scrape_interval: 1s')
      .replace(/refresh_interval: \S+/, 'refresh_interval: 1s');
    writeFileSync(join(dir, 'prometheus.yml'), config);
    copyFileSync(join(MONITORING, 'alerts.yml'), join(dir, 'alerts.yml'));
    mkdirSync(join(dir, 'stations'));
    writeFileSync(
      join(dir, 'stations', 'lab.json'),
      JSON.stringify([
        { targets: [`127.0.0.1:${ports[0]}`], labels: { station: 'scope-room' } },
        { targets: [`127.0.0.1:${ports[1]}`], labels: { station: 'histo-lab' } },
      ]),
    );
    const check = spawnSync(PROMTOOL, ['check', 'config', join(dir, 'prometheus.yml')], {
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    prometheus = await startPrometheus(dir);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(stations.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes both stations under their station label, with the alert rules loaded', async () => {
    const deadline = Date.now() + 40_000;
    let up: PromVector[] = [];
    while (Date.now() < deadline) {
      up = await query('up{job="foregsyte-station"} == 1').catch(() => []);
      if (up.length === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(up.map((s) => s.metric.station).sort()).toEqual(['histo-lab', 'scope-room']);
    const byStation = await query('sum by (station) (stream_sessions_active)');
    expect(byStation.map((s) => s.metric.station).sort()).toEqual(['histo-lab', 'scope-room']);
    const instances = Object.fromEntries(up.map((s) => [s.metric.station, s.metric.instance]));
    expect(instances).toEqual({
      'scope-room': `127.0.0.1:${ports[0]}`,
      'histo-lab': `127.0.0.1:${ports[1]}`,
    });
    const rules = (await (await fetch(`${prometheus.base}/api/v1/rules`)).json()) as {
      data: { groups: { rules: { health: string; name: string }[] }[] };
    };
    const all = rules.data.groups.flatMap((g) => g.rules);
    expect(all.length).toBeGreaterThan(3);
    for (const rule of all) expect(rule.health, rule.name).not.toBe('err');
  });

  it('narrows the Grafana dashboard to one station with its station variable', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8'),
    ) as {
      templating: { list: { name: string; query: { query: string } }[] };
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const variable = dashboard.templating.list.find((v) => v.name === 'station');
    expect(variable?.query.query).toBe('label_values(up{job="foregsyte-station"}, station)');
    const sessions = dashboard.panels.find((p) => p.title === 'Cameras connected')!.targets[0]!;
    expect(sessions.expr).toContain('$station');
    const one = await query(sessions.expr.replaceAll('$station', 'histo-lab'));
    expect(one.map((s) => s.metric.station)).toEqual(['histo-lab']);
    const all = await query(sessions.expr.replaceAll('$station', '.*'));
    expect(all).toHaveLength(2);
  });
});
