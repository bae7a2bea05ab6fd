import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/main/observe/metrics';

async function seriesOf(metrics: ReturnType<typeof createMetrics>, name: string) {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values.map((v) => v.labels);
}

describe('station metrics', () => {
  it('reads stream_camera_expected from the watched cameras at each scrape', async () => {
    const metrics = createMetrics('test');
    let cameras = [{ camera_id: 'a', expected: true }];
    metrics.watchCameraExpectations(() => cameras);
    expect(await metrics.registry.getSingleMetricAsString('stream_camera_expected')).toContain(
      'stream_camera_expected{camera_id="a"} 1',
    );
    cameras = [{ camera_id: 'b', expected: false }];
    const text = await metrics.registry.getSingleMetricAsString('stream_camera_expected');
    expect(text).toContain('stream_camera_expected{camera_id="b"} 0');
    expect(text).not.toContain('camera_id="a"');
  });

  it("forgetting a camera removes its series, alerts included, and no other camera's", async () => {
    const metrics = createMetrics('test');
    for (const camera of ['a', 'b']) {
      metrics.forCamera(camera).superseded.inc();
      metrics.forCamera(camera).lastFrame.set(1);
      metrics.alertsActive.set({ camera_id: camera, alert: 'blur' }, 1);
      metrics.alertsRaised.inc({ camera_id: camera, alert: 'blur', severity: 'warning' });
    }
    await metrics.forgetCamera('a');
    for (const name of [
      'stream_camera_frames_dropped_total',
      'stream_camera_last_frame_timestamp_seconds',
      'station_alerts_active',
      'station_alerts_raised_total',
    ]) {
      const cameras = (await seriesOf(metrics, name)).map((labels) => labels.camera_id);
      expect(cameras, name).not.toContain('a');
      expect(cameras, name).toContain('b');
    }
    // A camera that comes back gets fresh series.
    metrics.forCamera('a').disconnect.inc();
    expect(await seriesOf(metrics, 'stream_camera_frames_dropped_total')).toContainEqual({
      camera_id: 'a',
      reason: 'disconnect',
    });
  });

  it('hands out one set of series per pipeline until it is forgotten', () => {
    const metrics = createMetrics('test');
    const first = metrics.forPipeline('p');
    expect(metrics.forPipeline('p')).toBe(first);
    metrics.forgetPipeline('p');
    expect(metrics.forPipeline('p')).not.toBe(first);
  });
});
