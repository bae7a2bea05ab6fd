import { describe, expect, it } from 'vitest';
import { chooseAlternatives } from '../../../src/main/fleet/peers';
import type { FleetMember, StationStatus } from '../../../src/shared/fleet';

function member(id: string, status: Partial<StationStatus>, extra: Partial<FleetMember> = {}) {
  const full: StationStatus = {
    station_id: id,
    online: true,
    version: '1',
    camera_url: `ws://${id}/ws/video/stream`,
    dashboard_url: `http://${id}/`,
    sessions: 0,
    max_sessions: 10,
    fps_in: 0,
    fps_out: 0,
    capacity_fps: null,
    time: '',
    ...status,
  };
  return {
    station_id: id,
    state: 'online',
    self: false,
    offline_since: null,
    last_seen_at: '',
    status: full,
    ...extra,
  } satisfies FleetMember;
}

describe('chooseAlternatives', () => {
  it('offers peers with room, least loaded first', () => {
    const list = chooseAlternatives([
      member('busy', { sessions: 8 }),
      member('idle', { sessions: 1 }),
      member('mid', { sessions: 4 }),
    ]);
    expect(list).toEqual([
      'ws://idle/ws/video/stream',
      'ws://mid/ws/video/stream',
      'ws://busy/ws/video/stream',
    ]);
  });

  it('leaves out itself, full, offline, stale and loaded peers', () => {
    const list = chooseAlternatives([
      member('me', {}, { self: true }),
      member('full', { sessions: 10 }),
      member('gone', {}, { state: 'offline' }),
      member('quiet', {}, { state: 'stale' }),
      member('hot', { capacity_fps: 100, fps_out: 85 }),
      member('ok', { capacity_fps: 100, fps_out: 50 }),
    ]);
    expect(list).toEqual(['ws://ok/ws/video/stream']);
  });

  it('ranks by fps against capacity when the capacity is known', () => {
    const list = chooseAlternatives([
      member('a', { capacity_fps: 100, fps_out: 60, sessions: 1 }),
      member('b', { capacity_fps: 600, fps_out: 60, sessions: 5 }),
    ]);
    expect(list).toEqual(['ws://b/ws/video/stream', 'ws://a/ws/video/stream']);
  });

  it('names three at most', () => {
    const list = chooseAlternatives(['a', 'b', 'c', 'd', 'e'].map((id) => member(id, {})));
    expect(list).toHaveLength(3);
  });
});
