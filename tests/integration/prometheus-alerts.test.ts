/**
 * CameraStoppedSending as shipped in docs/monitoring/alerts.yml, evaluated by a
 * real Prometheus (its 60 s and 1 m shortened to seconds): a camera that closes
 * normally does not fire; one that vanishes does, and so does a pinned one
 * that closed normally (the technician expects it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  prometheusAvailable,
  startPrometheus,
  waitUntil,
  type RunningPrometheus,
} from '../helpers/prometheus';
import {
  disposeStation,
  makeJpeg,
  startStation,
  TestCamera,
  type TestStation,
} from '../helpers/station';

const MONITORING = resolve(__dirname, '..', '..', 'docs', 'monitoring');
const SILENT_S = 3;

/** The shipped rule with its delays shortened; everything else as shipped. */
function shortenedRules(): string {
  const rules = readFileSync(join(MONITORING, 'alerts.yml'), 'utf8');
  const start = rules.indexOf('- alert: CameraStoppedSending');
  const end = rules.indexOf('- alert:', start + 1);
  const rule = rules.slice(start, end);
  const short = rule.replace('> 60)', `> ${SILENT_S})`).replace('for: 1m', 'for: 0s');
  expect(short).not.toBe(rule);
  return rules.slice(0, start) + short + rules.slice(end);
}

async function streamingCamera(s: TestStation, cameraId: string): Promise<TestCamera> {
  const cam = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: cameraId }));
  await cam.opened;
  cam.send(await makeJpeg());
  await cam.until((m) => m.some((x) => x.frame_index === 1));
  return cam;
}

describe.skipIf(!prometheusAvailable)('CameraStoppedSending in a real Prometheus', () => {
  let dir: string;
  let s: TestStation | null = null;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'foregsyte-alerts-'));
    s = await startStation({ logLevel: 'silent' });
    const config = readFileSync(join(MONITORING, 'prometheus.yml'), 'utf8')
      .replace(/scrape_interval: \S+/, 'scrape_interval: 1s')
      .replace(/evaluation_interval: \S+/, 'evaluation_interval: 1s')
      .replace("'127.0.0.1:8765'", `'127.0.0.1:${s.port}'`);
    writeFileSync(join(dir, 'prometheus.yml'), config);
    writeFileSync(join(dir, 'alerts.yml'), shortenedRules());
    prometheus = await startPrometheus(dir);
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    s = await disposeStation(s);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('fires for the camera that vanished and the pinned one, not for the normal close', async () => {
    const station = s!;
    const normal = await streamingCamera(station, 'leaves-normally');
    const vanished = await streamingCamera(station, 'vanishes');
    const pinned = await streamingCamera(station, 'pinned-leaves');
    const session = pinned.hello().session_id as string;
    expect(station.station.switchPipeline(session, 'metadata').ok).toBe(true);

    normal.ws.close(1000);
    pinned.ws.close(1000);
    vanished.ws.terminate(); // no close frame: the station sees the connection lost (1006)
    expect((await normal.closed).code).toBe(1000);

    const firing = await waitUntil(
      'CameraStoppedSending to fire',
      async () => {
        const body = await prometheus!.query(
          'ALERTS{alertname="CameraStoppedSending",alertstate="firing"}',
        );
        const ids = body.data.result.map((r) => r.metric.camera_id).sort();
        return ids.length >= 2 ? ids : null;
      },
      40_000,
    );
    expect(firing).toEqual(['pinned-leaves', 'vanishes']);

    // The normal camera is as silent as the others: only the expectation keeps it quiet.
    const silent = await prometheus!.query(
      `time() - stream_camera_last_frame_timestamp_seconds > ${SILENT_S}`,
    );
    expect(silent.data.result.map((r) => r.metric.camera_id).sort()).toEqual([
      'leaves-normally',
      'pinned-leaves',
      'vanishes',
    ]);
    const expected = await prometheus!.query('stream_camera_expected');
    const byCamera = Object.fromEntries(
      expected.data.result.map((r) => [r.metric.camera_id, r.value[1]]),
    );
    expect(byCamera).toEqual({ 'leaves-normally': '0', 'pinned-leaves': '1', vanishes: '1' });
    const all = await prometheus!.query('ALERTS{alertname="CameraStoppedSending"}');
    expect(all.data.result.map((r) => r.metric.camera_id)).not.toContain('leaves-normally');
  }, 60_000);
});
