/**
 * Runs one frame through its pipeline and always comes back with an outcome:
 * a pipeline that rejects (it is not supposed to) still gives the frame its reply.
 */
import type { StorageState } from '../../shared/protocol';
import type { CompiledPipeline, PipelineRunResult } from '../pipeline/types';
import type { WaitingFrame } from './frame-queue';

export interface FrameRun {
  outcome: PipelineRunResult;
  seconds: number;
}

export async function runFrame(
  frame: WaitingFrame,
  session: { sessionId: string; cameraId: string },
  storage: StorageState,
): Promise<FrameRun> {
  const pipeline: CompiledPipeline = frame.pipeline;
  const started = performance.now();
  let outcome: PipelineRunResult;
  try {
    outcome = await pipeline.run({
      frameIndex: frame.index,
      imageBytes: frame.bytes,
      header: frame.header,
      session,
    });
  } catch (err) {
    outcome = {
      pipeline: { id: pipeline.id, version: pipeline.version },
      result: {},
      failure: { node: 'station', detail: (err as Error).message },
      timings_ms: { total: performance.now() - started },
      storage,
    };
  }
  return { outcome, seconds: (performance.now() - started) / 1000 };
}
