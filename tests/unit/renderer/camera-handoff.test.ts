import { describe, expect, it } from 'vitest';
import { peerCameraPages } from '../../../src/renderer/camera/peer-pages';
import type { FleetMember, FleetSnapshot } from '../../../src/shared/fleet';

function member(id: string, sessions: number, self = false, dashboard = `http://${id}:8765/`) {
  return {
    station_id: id,
    state: 'online',
    self,
    offline_since: null,
    last_seen_at: '',
    status: {
      station_id: id,
      online: true,
      version: '1',
      camera_url: `ws://${id}:8765/ws/video/stream`,
      dashboard_url: dashboard,
      sessions,
      max_sessions: 2,
      fps_in: 0,
      fps_out: 0,
      capacity_fps: null,
      time: '',
    },
  } satisfies FleetMember;
}

const fleet = (stations: FleetMember[], alternatives: string[]): FleetSnapshot => ({
  mqtt: 'connected',
  station_id: 'me',
  prefix: 'foregsyte',
  alternatives,
  stations,
});

describe('peerCameraPages', () => {
  it("offers the peers' own camera pages when this station is full", () => {
    const f = fleet(
      [member('me', 2, true), member('st2', 0), member('st3', 1)],
      ['ws://st2:8765/ws/video/stream', 'ws://st3:8765/ws/video/stream'],
    );
    expect(peerCameraPages(f)).toEqual(['http://st2:8765/camera', 'http://st3:8765/camera']);
  });

  it('offers nothing when this station has room (the refusal had another cause)', () => {
    const f = fleet([member('me', 1, true), member('st2', 0)], ['ws://st2:8765/ws/video/stream']);
    expect(peerCameraPages(f)).toEqual([]);
  });

  it('never offers a link that is not http(s)', () => {
    const f = fleet(
      [member('me', 2, true), member('st2', 0, false, 'javascript:alert(1)')],
      ['ws://st2:8765/ws/video/stream'],
    );
    expect(peerCameraPages(f)).toEqual([]);
  });
});
