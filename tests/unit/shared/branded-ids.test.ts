/**
 * CameraId, SessionId and PipelineId are branded strings: only their schemas
 * (src/shared/inputs.ts) make them, so a camera id in a session id's place, or
 * a string no boundary checked, does not compile. The `@ts-expect-error` lines
 * are checked by `npm run typecheck`: one that compiled would fail it.
 */
import { describe, expect, it } from 'vitest';
import type { StationBridge } from '../../../src/shared/contract';
import {
  CameraIdInput,
  PipelineIdInput,
  SessionIdInput,
  type CameraId,
  type PipelineId,
  type SessionId,
} from '../../../src/shared/inputs';

/** Never run: what the compiler refuses. */
export function swappedIdsDoNotCompile(
  bridge: StationBridge,
  camera: CameraId,
  session: SessionId,
  pipeline: PipelineId,
): void {
  void bridge.getRecordingFrames(camera, session, 0, 100);
  // @ts-expect-error the session id where the camera id belongs, and the other way round
  void bridge.getRecordingFrames(session, camera, 0, 100);
  // @ts-expect-error swapped on a delete: the wrong recording would go
  void bridge.deleteRecording(session, camera);
  // @ts-expect-error the pipeline first, then the session
  void bridge.switchPipeline(pipeline, session);
  // @ts-expect-error a plain string is not an id until a schema parsed it
  void bridge.disconnectCamera('session-1');
  // @ts-expect-error a camera id is no session id
  const asSession: SessionId = camera;
  // @ts-expect-error a pipeline id is no camera id
  const asCamera: CameraId = pipeline;
  // An id is still a string wherever a string will do.
  const text: string = session;
  void [asSession, asCamera, text];
}

describe('branded ids', () => {
  it('are made by parsing, which holds each id to its rule', () => {
    const camera: CameraId = CameraIdInput.parse('scope-3.bench_2');
    expect(camera).toBe('scope-3.bench_2');
    expect(CameraIdInput.safeParse('bench 3/scope').success).toBe(false);
    expect(SessionIdInput.safeParse('').success).toBe(false);
    expect(PipelineIdInput.safeParse('x'.repeat(201)).success).toBe(false);
  });
});
