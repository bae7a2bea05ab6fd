/**
 * Which pipeline a new session runs: the technician's pin for the camera, else
 * the one its URL asks for, else the station's default (docs/protocol.md).
 */
import type { PipelineSource } from '../../shared/protocol';
import type { CompiledPipeline, PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from './camera-book';

export type PipelineChoice =
  { pipeline: CompiledPipeline; source: PipelineSource } | { error: string };

export function choosePipeline(
  catalog: PipelineCatalog,
  cameras: CameraBook,
  defaultPipelineId: string,
  cameraId: string | null,
  requested: string,
): PipelineChoice {
  const pinnedId = cameraId ? cameras.pinnedPipeline(cameraId) : null;
  const pinned = pinnedId ? catalog.get(pinnedId) : undefined;
  if (pinned) return { pipeline: pinned, source: 'pinned' };
  if (requested) {
    const pipeline = catalog.get(requested);
    return pipeline ? { pipeline, source: 'url' } : { error: `Unknown pipeline_id: ${requested}` };
  }
  const pipeline = catalog.get(defaultPipelineId);
  return pipeline
    ? { pipeline, source: 'default' }
    : { error: `The station's default pipeline ${defaultPipelineId} is not available` };
}
