import { describe, expect, it } from 'vitest';
import { CameraEvents } from '../../../src/main/fleet/camera-events';
import type { SessionInfo } from '../../../src/shared/contract';
import { PipelineIdInput } from '../../../src/shared/inputs';

const session = (extra: Partial<SessionInfo> = {}) =>
  ({
    session_id: 's1',
    camera_id: 'cam',
    pipeline_id: 'inspect',
    pipeline_source: 'url',
    state: 'normal',
    drop_rate: 0,
    processed: 5,
    dropped: 1,
    ...extra,
  }) as SessionInfo;

describe('CameraEvents', () => {
  it('turns a session life into connect, state, pipeline_switched and disconnect', () => {
    const events = new CameraEvents();
    const seen = [
      ...events.translate({ type: 'session_opened', session: session() }),
      ...events.translate({ type: 'session_updated', session: session() }),
      ...events.translate({
        type: 'session_updated',
        session: session({ state: 'slow_down', drop_rate: 0.4 }),
      }),
      ...events.translate({
        type: 'session_updated',
        session: session({ state: 'slow_down', pipeline_id: PipelineIdInput.parse('measure') }),
      }),
      ...events.translate({
        type: 'session_closed',
        session: session(),
        code: 1000,
        reason: 'camera_closed',
      }),
    ].map((e) => e.fields);
    expect(seen).toEqual([
      { event: 'connect', pipeline_id: 'inspect', pipeline_source: 'url' },
      { event: 'state', state: 'slow_down', drop_rate: 0.4 },
      {
        event: 'pipeline_switched',
        pipeline_id: 'measure',
        previous_pipeline_id: 'inspect',
        pipeline_source: 'url',
      },
      { event: 'disconnect', code: 1000, reason: 'camera_closed', processed: 5, dropped: 1 },
    ]);
  });
});
