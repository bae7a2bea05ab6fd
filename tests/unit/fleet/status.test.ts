import { describe, expect, it } from 'vitest';
import { FleetRegistry } from '../../../src/main/fleet/registry';
import { buildStatus, readStatus } from '../../../src/main/fleet/status';

const status = buildStatus(
  {
    stationId: 'scope-room',
    version: '1.0.0',
    cameraUrl: 'ws://10.0.0.2:8765/ws/video/stream',
    dashboardUrl: 'http://10.0.0.2:8765/',
    capacityFps: 600,
  },
  { sessions: 2, maxSessions: 64, fpsIn: 30.123, fpsOut: 29.987 },
  new Date('2026-01-01T00:00:00Z'),
);
const text = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('status messages', () => {
  it('builds the documented fields', () => {
    expect(status).toEqual({
      station_id: 'scope-room',
      online: true,
      version: '1.0.0',
      camera_url: 'ws://10.0.0.2:8765/ws/video/stream',
      dashboard_url: 'http://10.0.0.2:8765/',
      sessions: 2,
      max_sessions: 64,
      fps_in: 30.12,
      fps_out: 29.99,
      capacity_fps: 600,
      time: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads a status and an offline message from their own topic', () => {
    expect(readStatus('scope-room', text(status))).toEqual({ ok: true, status });
    const gone = { station_id: 'scope-room', online: false, time: 'now' };
    expect(readStatus('scope-room', text(gone))).toEqual({ ok: true, status: gone });
  });

  it('refuses a status from another station topic', () => {
    expect(readStatus('other', text(status))).toEqual({ ok: false, reason: 'wrong_topic' });
  });

  it('refuses links that are not ws(s) or http(s), and garbage', () => {
    for (const bad of [
      { ...status, camera_url: 'http://10.0.0.2/ws' },
      { ...status, dashboard_url: 'javascript:alert(1)' },
      { ...status, dashboard_url: 'file:///etc/passwd' },
      { ...status, sessions: -1 },
      { ...status, station_id: 'a/b' },
    ]) {
      expect(readStatus(String(bad.station_id), text(bad)).ok).toBe(false);
    }
    expect(readStatus('x', Buffer.from('{not json'))).toEqual({ ok: false, reason: 'not_json' });
    expect(readStatus('x', Buffer.alloc(9000, 32))).toEqual({ ok: false, reason: 'too_large' });
  });
});

describe('FleetRegistry', () => {
  it('marks offline since the will, keeps the last status, and goes stale when quiet', () => {
    const registry = new FleetRegistry('me', 15_000);
    registry.onStatus('scope-room', text(status), 1000);
    expect(registry.members(2000)[0]?.state).toBe('online');
    expect(registry.members(20_000)[0]?.state).toBe('stale');
    registry.onStatus(
      'scope-room',
      text({ station_id: 'scope-room', online: false, time: 'T1' }),
      3000,
    );
    const [gone] = registry.members(3000);
    expect(gone).toMatchObject({ state: 'offline', offline_since: 'T1', status });
  });

  it('forgets a station whose retained status is cleared, and ignores what it cannot trust', () => {
    const registry = new FleetRegistry('me', 15_000);
    registry.onStatus('scope-room', text(status));
    expect(registry.onStatus('intruder', text(status))).toEqual({
      ok: false,
      reason: 'wrong_topic',
    });
    expect(registry.members().map((m) => m.station_id)).toEqual(['scope-room']);
    registry.onStatus('scope-room', Buffer.alloc(0));
    expect(registry.members()).toEqual([]);
  });
});
