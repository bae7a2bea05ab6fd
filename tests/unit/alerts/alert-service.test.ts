import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAlertService, type ResultContext } from '../../../src/main/alerts/alert-service';
import { parseCondition, type AlertRule } from '../../../src/main/alerts/rule';
import { createMetrics } from '../../../src/main/observe/metrics';

const soft: AlertRule = {
  name: 'out_of_focus',
  description: 'soft',
  severity: 'warning',
  when: parseCondition('sharpness.laplacian_variance < 40')!,
  forMs: 1500,
  clearWhen: parseCondition('sharpness.laplacian_variance >= 60')!,
  clearForMs: 0,
};

let dir: string;
let clock: number;
let logs: Record<string, unknown>[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'alerts-'));
  clock = 1_700_000_000_000;
  logs = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function service(maxRecords?: number) {
  const metrics = createMetrics('test');
  const logger = pino(
    { level: 'info', base: undefined },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const alerts = createAlertService({
    dataDir: dir,
    logger,
    meters: { active: metrics.alertsActive, raised: metrics.alertsRaised },
    now: () => clock,
    ...(maxRecords ? { maxRecords } : {}),
  });
  alerts.start();
  return { alerts, metrics };
}

function frame(index: number, sharpness: number, rules = [soft], records = true): ResultContext {
  return {
    sessionId: 's1',
    cameraId: 'scope-1',
    pipeline: { id: 'record', version: 'v1', alerts: rules, records },
    frameIndex: index,
    result: { sharpness: { laplacian_variance: sharpness } },
  };
}

/** Frames every 100 ms with the given sharpness values; returns what each frame changed. */
function feed(alerts: ReturnType<typeof service>['alerts'], values: number[], first = 1) {
  return values.map((v, i) => {
    const changed = alerts.onResult(frame(first + i, v));
    clock += 100;
    return changed;
  });
}

describe('alert evaluation', () => {
  it('raises once the condition held for for_ms, and clears on the clear condition', async () => {
    const { alerts, metrics } = service();
    const steps = feed(alerts, [500, ...Array<number>(16).fill(10), 50, 50, 70, 10]);
    const raisedAt = steps.findIndex((c) => c.some((r) => r.state === 'active'));
    // Blurred from frame 2 (t=100); 1500 ms later is frame 17 (t=1600).
    expect(raisedAt).toBe(16);
    const raised = steps[raisedAt]![0]!;
    expect(raised).toMatchObject({
      alert: 'out_of_focus',
      camera_id: 'scope-1',
      condition: 'sharpness.laplacian_variance < 40',
      value: 10,
      frame_index: 17,
      recording: { camera_id: 'scope-1', session_id: 's1', frame_index: 17 },
    });
    // 50 is between the thresholds (hysteresis): still active; 70 clears it.
    expect(steps[17]).toEqual([]);
    expect(steps[18]).toEqual([]);
    expect(steps[19]![0]).toMatchObject({
      state: 'cleared',
      cleared_reason: 'condition',
      cleared_value: 70,
    });
    // The last frame (10) starts a new pending period, not a new alert.
    expect(steps[20]).toEqual([]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('station_alerts_active{camera_id="scope-1",alert="out_of_focus"} 0');
    expect(text).toContain(
      'station_alerts_raised_total{camera_id="scope-1",alert="out_of_focus",severity="warning"} 1',
    );
    expect(logs.filter((l) => l.event === 'alert_raised')).toHaveLength(1);
    expect(logs.find((l) => l.event === 'alert_cleared')).toMatchObject({
      reason: 'condition',
      value: 70,
    });
  });

  it('does not raise when the condition breaks before for_ms', () => {
    const { alerts } = service();
    const steps = feed(
      alerts,
      [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 500, 10, 10],
    );
    expect(steps.flat()).toEqual([]);
  });

  it('ignores results without the field (failures) and links no recording when not recording', () => {
    const { alerts } = service();
    const rule = { ...soft, forMs: 0 };
    expect(alerts.onResult({ ...frame(1, 0, [rule]), result: {} })).toEqual([]);
    const [raised] = alerts.onResult(frame(2, 5, [rule], false));
    expect(raised).toMatchObject({ state: 'active', recording: null });
  });

  it('lets an operator acknowledge and clear; a cleared alert waits for recovery', () => {
    const { alerts } = service();
    const rule = { ...soft, forMs: 0 };
    const [raised] = alerts.onResult(frame(1, 5, [rule]));
    expect(alerts.activeFor('s1').map((r) => r.id)).toEqual([raised!.id]);
    expect(alerts.acknowledge(raised!.id)).toEqual({ ok: true });
    expect(alerts.snapshot().active[0]!.acknowledged_at).toBe(new Date(clock).toISOString());
    expect(alerts.clear(raised!.id)).toEqual({ ok: true });
    expect(alerts.clear(raised!.id)).toMatchObject({ ok: false, code: 'invalid_argument' });
    expect(alerts.acknowledge('nope')).toMatchObject({ ok: false, code: 'unknown_alert' });
    // Still blurred: no new alert until it was sharp once.
    expect(alerts.onResult(frame(2, 5, [rule]))).toEqual([]);
    expect(alerts.onResult(frame(3, 90, [rule]))).toEqual([]);
    expect(alerts.onResult(frame(4, 5, [rule]))).toHaveLength(1);
    expect(alerts.snapshot().history[0]).toMatchObject({ cleared_reason: 'operator' });
  });

  it('tells each listener with a copy of its own; a throwing listener is logged, not fatal', () => {
    const { alerts } = service();
    const rule = { ...soft, forMs: 0 };
    const heard: string[] = [];
    alerts.subscribe(() => {
      throw new Error('boom');
    });
    alerts.subscribe((record, change) => {
      heard.push(`${record.alert} ${change}`);
      record.alert = 'changed by a listener';
    });
    const [raised] = alerts.onResult(frame(1, 5, [rule]));
    alerts.acknowledge(raised!.id);
    alerts.clear(raised!.id);
    expect(heard).toEqual([
      'out_of_focus raised',
      'out_of_focus acknowledged',
      'out_of_focus cleared',
    ]);
    expect(alerts.snapshot().history[0]!.alert).toBe('out_of_focus');
    expect(logs.filter((l) => l.event === 'listener_error')).toHaveLength(3);
  });

  it('clears on session end and on a pipeline without the rule', () => {
    const { alerts } = service();
    const rule = { ...soft, forMs: 0 };
    alerts.onResult(frame(1, 5, [rule]));
    const [changed] = alerts.onResult(frame(2, 5, []));
    expect(changed).toMatchObject({ state: 'cleared', cleared_reason: 'pipeline_changed' });
    alerts.onResult(frame(3, 5, [rule]));
    expect(alerts.sessionEnded('s1')).toHaveLength(1);
    expect(alerts.snapshot().active).toEqual([]);
  });

  it('keeps a bounded history on disk across restarts; active ones end as session_ended', async () => {
    const first = service(3);
    const rule = { ...soft, forMs: 0, clearWhen: null };
    for (let i = 0; i < 5; i++) {
      first.alerts.onResult(frame(2 * i + 1, 5, [rule]));
      first.alerts.onResult(frame(2 * i + 2, 90, [rule]));
    }
    first.alerts.onResult(frame(20, 5, [rule]));
    await first.alerts.stop();
    const saved = JSON.parse(await readFile(join(dir, 'alerts.json'), 'utf8')) as {
      alerts: { state: string }[];
    };
    expect(saved.alerts.map((a) => a.state)).toEqual(['active', 'cleared', 'cleared']);

    const second = service(3);
    const snap = second.alerts.snapshot();
    expect(snap.active).toEqual([]);
    expect(snap.history.map((r) => r.cleared_reason)).toEqual([
      'session_ended',
      'condition',
      'condition',
    ]);
    await second.alerts.stop();
  });

  it('sets an unreadable history file aside and starts empty', async () => {
    await writeFile(join(dir, 'alerts.json'), '{"alerts": [{"id": 3}]}');
    const { alerts } = service();
    expect(alerts.snapshot()).toEqual({ active: [], history: [] });
    expect(logs.find((l) => l.event === 'alerts_file_invalid')).toBeDefined();
    await expect(readFile(join(dir, 'alerts.json.invalid'), 'utf8')).resolves.toContain('"id": 3');
  });
});
