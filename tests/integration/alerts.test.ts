/**
 * Alerts end to end: a camera's frames go from sharp to blurred and back; the
 * out-of-focus alert of `record` is raised once blurred frames held for its
 * for_ms, reaches the camera that asked (and no other), /metrics, the log, the
 * event stream and a real Prometheus, links to the recording, and clears.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord, AlertsSnapshot } from '../../src/shared/alerts';
import type { StationEvent } from '../../src/shared/contract';
import { createFrameSource } from '../../src/main/sim/frame-source';
import {
  prometheusAvailable,
  startPrometheus,
  type RunningPrometheus,
} from '../helpers/prometheus';
import {
  disposeStation,
  startStation,
  TestCamera,
  waitFor,
  type Message,
  type TestStation,
} from '../helpers/station';

const FOR_MS = 1500;
const FRAME_MS = 100;

let station: TestStation | null = null;
let prometheus: RunningPrometheus | null = null;
let promDir: string | null = null;
let sharpFrame: Buffer;
let blurredFrame: Buffer;

beforeAll(async () => {
  const source = await createFrameSource({
    width: 640,
    height: 360,
    cameraId: 'focus',
    ringSize: 1,
  });
  sharpFrame = source.frames[0]!;
  blurredFrame = await sharp(sharpFrame).blur(4).jpeg({ quality: 80 }).toBuffer();
  station = await startStation();
  if (prometheusAvailable) {
    // Scrapes this station every second.
    promDir = mkdtempSync(join(tmpdir(), 'alerts-prom-'));
    writeFileSync(
      join(promDir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: station\n    static_configs:\n      - targets: ['127.0.0.1:${station.port}']\n`,
    );
    prometheus = await startPrometheus(promDir);
  }
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  if (promDir) rmSync(promDir, { recursive: true, force: true });
  station = await disposeStation(station);
}, 30_000);

/** Sends `frame` every FRAME_MS to each camera until `done()` holds or `ms` pass. */
async function stream(cameras: TestCamera[], frame: Buffer, done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) {
    for (const camera of cameras) camera.send(frame);
    await new Promise((r) => setTimeout(r, FRAME_MS));
  }
}

const alertsOf = (camera: TestCamera) =>
  camera.messages.filter((m): m is { alert: Message } => 'alert' in m).map((m) => m.alert);

async function metric(line: string): Promise<boolean> {
  const text = await (await fetch(station!.http('/metrics'))).text();
  return text.split('\n').includes(line);
}

describe('alerts on results', () => {
  it('raises out_of_focus after for_ms of blurred frames and clears on sharp ones', async () => {
    const s = station!;
    const events: StationEvent[] = [];
    const unsubscribe = s.station.subscribe((e) => events.push(e));
    const asking = new TestCamera(
      s.url({ camera_id: 'focus-cam', pipeline_id: 'record', alerts: '1' }),
    );
    const plain = new TestCamera(s.url({ camera_id: 'plain-cam', pipeline_id: 'record' }));
    await Promise.all([asking.opened, plain.opened]);
    await asking.until((m) => m.some((x) => 'hello' in x));
    await plain.until((m) => m.some((x) => 'hello' in x));
    expect(asking.hello().alerts).toBe(true);
    expect('alerts' in plain.hello()).toBe(false);

    await stream([asking, plain], sharpFrame, () => false, 1000);
    expect(alertsOf(asking)).toEqual([]);

    const blurStarted = Date.now();
    const raised = () => alertsOf(asking).some((a) => a.state === 'active');
    await stream([asking, plain], blurredFrame, raised, FOR_MS + 8000);
    const raisedAfter = Date.now() - blurStarted;
    expect(raised(), 'the alert was raised').toBe(true);
    // Not before the condition held for for_ms; within a few frames after (a loaded machine).
    expect(raisedAfter).toBeGreaterThanOrEqual(FOR_MS - FRAME_MS);
    expect(raisedAfter).toBeLessThan(FOR_MS + 2500);

    const message = alertsOf(asking).find((a) => a.state === 'active')!;
    expect(message).toMatchObject({
      name: 'out_of_focus',
      severity: 'warning',
      condition: 'sharpness.laplacian_variance < 40',
      cleared_at: null,
    });
    expect(message.value as number).toBeLessThan(40);
    // The alert comes right after the reply of the frame that raised it.
    const at = asking.messages.findIndex((m) => 'alert' in m);
    expect(asking.messages[at - 1]).toMatchObject({ frame_index: message.frame_index });

    await waitFor(() =>
      events.some((e) => e.type === 'alert' && e.alert.camera_id === 'focus-cam'),
    );
    const snapshot = (await (await fetch(s.http('/api/alerts'))).json()) as AlertsSnapshot;
    const record = snapshot.active.find((a) => a.camera_id === 'focus-cam')!;
    expect(record.recording).toEqual({
      camera_id: 'focus-cam',
      session_id: asking.hello().session_id,
      frame_index: message.frame_index,
    });
    // The plain camera has its alert too (card, list, metrics) but no message.
    expect(snapshot.active.map((a) => a.camera_id).sort()).toEqual(['focus-cam', 'plain-cam']);
    expect(alertsOf(plain)).toEqual([]);

    expect(
      await metric('station_alerts_active{camera_id="focus-cam",alert="out_of_focus"} 1'),
    ).toBe(true);
    expect(
      await metric(
        'station_alerts_raised_total{camera_id="focus-cam",alert="out_of_focus",severity="warning"} 1',
      ),
    ).toBe(true);
    expect(
      s.logs.lines.find((l) => l.event === 'alert_raised' && l.camera_id === 'focus-cam'),
    ).toMatchObject({
      level: 'warn',
      alert: 'out_of_focus',
      frame_index: message.frame_index,
    });

    if (prometheus) {
      // A real Prometheus scraping the station (every second) sees the series at 1.
      const expr = 'max(station_alerts_active{camera_id="focus-cam",alert="out_of_focus"}) == 1';
      expect(await waitForScrape(prometheus, expr)).toBe(1);
    }

    const cleared = () => alertsOf(asking).some((a) => a.state === 'cleared');
    await stream([asking, plain], sharpFrame, cleared, 8000);
    expect(alertsOf(asking).find((a) => a.state === 'cleared')).toMatchObject({
      name: 'out_of_focus',
      cleared_reason: 'condition',
    });
    expect(
      await metric('station_alerts_active{camera_id="focus-cam",alert="out_of_focus"} 0'),
    ).toBe(true);
    expect(
      s.logs.lines.find((l) => l.event === 'alert_cleared' && l.camera_id === 'focus-cam'),
    ).toMatchObject({
      reason: 'condition',
    });
    const cleared_ = events.filter(
      (e): e is { type: 'alert'; alert: AlertRecord } => e.type === 'alert',
    );
    expect(
      cleared_.some((e) => e.alert.camera_id === 'focus-cam' && e.alert.state === 'cleared'),
    ).toBe(true);
    unsubscribe();
    asking.close();
    plain.close();
    await Promise.all([asking.closed, plain.closed]);

    // A camera the technician dismisses leaves no alert series behind.
    const seriesOf = async (cameraId: string) =>
      (await (await fetch(s.http('/metrics'))).text())
        .split('\n')
        .filter((l) => l.startsWith('station_alerts_') && l.includes(`camera_id="${cameraId}"`));
    await waitFor(() => s.station.snapshot().sessions.length === 0);
    expect(await seriesOf('focus-cam')).toHaveLength(2);
    const dismissed = await fetch(s.http('/api/cameras/focus-cam/dismiss'), { method: 'POST' });
    expect(dismissed.status).toBe(200);
    const deadline = Date.now() + 5000;
    while ((await seriesOf('focus-cam')).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await seriesOf('focus-cam')).toEqual([]);
    expect(await seriesOf('plain-cam')).toHaveLength(2);
  }, 60_000);
});

async function waitForScrape(prom: RunningPrometheus, expr: string): Promise<number | null> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const body = await prom.query(expr);
    const first = body.status === 'success' ? body.data.result[0] : undefined;
    if (first) return Number(first.value[1]);
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}
