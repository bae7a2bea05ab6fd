import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  SessionInfo,
  StationBridge,
  StationEvent,
  StationSnapshot,
} from '../../../src/shared/contract';
import { createStationStore, FLUSH_MS } from '../../../src/renderer/src/state/station-store';
import { CameraIdInput, PipelineIdInput, SessionIdInput } from '../../../src/shared/inputs';

function session(id: string, frameIndex: number, extra: Partial<SessionInfo> = {}): SessionInfo {
  return {
    session_id: SessionIdInput.parse(id),
    camera_id: CameraIdInput.parse(`cam-${id}`),
    pipeline_id: PipelineIdInput.parse('metadata'),
    pipeline_version: 'v1',
    pipeline_source: 'default',
    remote: '127.0.0.1:5000',
    frame_index: frameIndex,
    processed: frameIndex,
    dropped: 0,
    rejected: 0,
    failed: 0,
    drop_rate: 0,
    state: 'normal',
    storage: 'off',
    fps_in: 15,
    fps_out: 15,
    connected_at: '2026-01-01T00:00:00.000Z',
    last_frame_at: null,
    last_timings_ms: {},
    thumbnail_seq: 0,
    ...extra,
  };
}

/** A bridge whose events the test pushes by hand. */
function fakeBridge(snapshot: StationSnapshot) {
  const listeners = new Set<(event: StationEvent) => void>();
  let resolveSnapshot: (value: StationSnapshot) => void = () => undefined;
  const bridge = {
    kind: 'ipc',
    getSnapshot: () => new Promise<StationSnapshot>((resolve) => (resolveSnapshot = resolve)),
    subscribe(listener: (event: StationEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as StationBridge;
  return {
    bridge,
    emit: (event: StationEvent) => listeners.forEach((l) => l(event)),
    answerSnapshot: () => resolveSnapshot(snapshot),
    listenerCount: () => listeners.size,
  };
}

const SNAPSHOT: StationSnapshot = {
  station: {} as StationSnapshot['station'],
  sessions: [session('a', 10)],
  cameras: [],
  pipelines: [],
  pipeline_errors: [],
  sources: [],
};

describe('station store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes at most once per flush however many events arrive', async () => {
    const fake = fakeBridge(SNAPSHOT);
    const store = createStationStore(fake.bridge);
    let published = 0;
    store.subscribe(() => (published += 1));
    store.start();
    fake.answerSnapshot();
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    published = 0;

    for (let frame = 11; frame <= 110; frame += 1) {
      fake.emit({ type: 'session_updated', session: session('a', frame) });
    }
    expect(published).toBe(0);
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(published).toBe(1);
    expect(store.getState().sessions[0]?.frame_index).toBe(110);
    store.stop();
    expect(fake.listenerCount()).toBe(0);
  });

  it('keeps events that cross the snapshot, never going back to an older frame', async () => {
    const fake = fakeBridge(SNAPSHOT);
    const store = createStationStore(fake.bridge);
    store.start();
    // Arrive while the snapshot is on its way: one older than it, one newer, one new session.
    fake.emit({ type: 'session_updated', session: session('a', 5) });
    fake.emit({ type: 'session_opened', session: session('b', 1) });
    fake.answerSnapshot();
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    const state = store.getState();
    expect(state.phase).toBe('ready');
    expect(state.sessions.map((s) => [s.session_id, s.frame_index])).toEqual([
      ['a', 10],
      ['b', 1],
    ]);
    store.stop();
  });

  it('lists a closed session as an offline camera with its close code at once', async () => {
    const fake = fakeBridge(SNAPSHOT);
    const store = createStationStore(fake.bridge);
    store.start();
    fake.answerSnapshot();
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    fake.emit({ type: 'session_closed', session: session('a', 12), code: 4001, reason: 'bye' });
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    const state = store.getState();
    expect(state.sessions).toEqual([]);
    expect(state.cameras).toMatchObject([
      { camera_id: 'cam-a', online: false, last_close_code: 4001, last_close_reason: 'bye' },
    ]);
    store.stop();
  });

  it('keeps a card unchanged (same object) when its session did not change', async () => {
    const fake = fakeBridge({ ...SNAPSHOT, sessions: [session('a', 10), session('b', 3)] });
    const store = createStationStore(fake.bridge);
    store.start();
    fake.answerSnapshot();
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    const before = store.getState().sessions;
    fake.emit({ type: 'session_updated', session: session('a', 11) });
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    const after = store.getState().sessions;
    expect(after.find((s) => s.session_id === 'b')).toBe(before.find((s) => s.session_id === 'b'));
    expect(after.find((s) => s.session_id === 'a')).not.toBe(
      before.find((s) => s.session_id === 'a'),
    );
    store.stop();
  });

  it('samples each drop rate once a second for the last minute', async () => {
    const fake = fakeBridge(SNAPSHOT);
    const store = createStationStore(fake.bridge);
    store.start();
    fake.answerSnapshot();
    for (let second = 0; second < 70; second += 1) {
      fake.emit({
        type: 'session_updated',
        session: session('a', 11 + second, { drop_rate: 0.5 }),
      });
      await vi.advanceTimersByTimeAsync(1000);
    }
    const history = store.getState().history.get('a');
    expect(history?.rates.length).toBeGreaterThanOrEqual(60);
    expect(history?.rates.length).toBeLessThanOrEqual(61);
    expect(history?.rates.at(-1)).toBe(0.5);
    store.stop();
  });
});
