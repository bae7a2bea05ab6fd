/**
 * What a technician can do to the station (switch a pipeline, disconnect or
 * forget a camera, manage sources). Each action answers an ActionResult and
 * tells observers what changed.
 */
import type { Logger } from 'pino';
import type { ActionResult, NewSource, StationEvent, StationInfo } from '../../shared/contract';
import { CloseCode } from '../../shared/protocol';
import type { SourceManager, SourceResult } from '../bridge/source-manager';
import type { PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from '../streaming/camera-book';
import type { Session } from '../streaming/session';

export interface ActionDeps {
  catalog: PipelineCatalog;
  cameras: CameraBook;
  sources: SourceManager;
  findSession: (sessionId: string) => Session | undefined;
  info: () => StationInfo;
  emit: (event: StationEvent) => void;
  logger: Logger;
}

export interface StationActions {
  switchPipeline: (sessionId: string, pipelineId: string) => ActionResult;
  setDefaultPipeline: (pipelineId: string) => ActionResult;
  disconnectCamera: (sessionId: string) => ActionResult;
  dismissCamera: (cameraId: string) => ActionResult;
  addSource: (input: NewSource) => ActionResult & { id?: string };
  removeSource: (sourceId: string) => Promise<ActionResult>;
  setSourceEnabled: (sourceId: string, enabled: boolean) => Promise<ActionResult>;
}

function unknownSession(sessionId: string): ActionResult {
  return { ok: false, code: 'unknown_session', message: `No connected session ${sessionId}` };
}

function unknownPipeline(pipelineId: string): ActionResult {
  return { ok: false, code: 'invalid_pipeline', message: `Unknown pipeline_id: ${pipelineId}` };
}

/** The source manager's refusals keep their own codes (src/shared/errors.ts). */
function sourceFailure(result: Extract<SourceResult<unknown>, { ok: false }>): ActionResult {
  return { ok: false, code: result.code, message: result.message };
}

export function createStationActions(deps: ActionDeps): StationActions {
  const { catalog, cameras, sources, findSession, emit, logger } = deps;

  function sourcesDone(result: SourceResult<unknown>): ActionResult {
    if (!result.ok) return sourceFailure(result);
    emit({ type: 'sources_changed', sources: sources.list() });
    return { ok: true };
  }

  return {
    switchPipeline(sessionId, pipelineId) {
      const session = findSession(sessionId);
      if (!session) return unknownSession(sessionId);
      const pipeline = catalog.get(pipelineId);
      if (!pipeline) return unknownPipeline(pipelineId);
      cameras.pin(session.cameraId, pipelineId);
      session.switchPipeline(pipeline, 'pinned');
      logger.info({
        event: 'pipeline_switched',
        session_id: sessionId,
        camera_id: session.cameraId,
        pipeline_id: pipelineId,
      });
      emit({ type: 'cameras_changed', cameras: cameras.list() });
      return { ok: true };
    },
    setDefaultPipeline(pipelineId) {
      if (!catalog.get(pipelineId)) return unknownPipeline(pipelineId);
      cameras.setDefaultPipeline(pipelineId);
      logger.info({ event: 'default_pipeline_set', pipeline_id: pipelineId });
      emit({ type: 'station_changed', station: deps.info() });
      return { ok: true };
    },
    disconnectCamera(sessionId) {
      const session = findSession(sessionId);
      if (!session) return unknownSession(sessionId);
      void session.close(CloseCode.disconnectedByTechnician, 'disconnected_by_technician');
      return { ok: true };
    },
    dismissCamera(cameraId) {
      if (!cameras.has(cameraId))
        return {
          ok: false,
          code: 'unknown_camera',
          message: `No camera ${cameraId} is remembered`,
        };
      if (!cameras.dismiss(cameraId)) {
        return {
          ok: false,
          code: 'invalid_argument',
          message: `Camera ${cameraId} is connected; disconnect it first`,
        };
      }
      emit({ type: 'cameras_changed', cameras: cameras.list() });
      return { ok: true };
    },
    addSource(input) {
      const pipelineId = input.pipeline_id;
      if (pipelineId && !catalog.get(pipelineId)) return unknownPipeline(pipelineId);
      const result = sources.add(input);
      if (!result.ok) return sourceFailure(result);
      emit({ type: 'sources_changed', sources: sources.list() });
      return { ok: true, id: result.value.id };
    },
    async removeSource(sourceId) {
      return sourcesDone(await sources.remove(sourceId));
    },
    async setSourceEnabled(sourceId, enabled) {
      return sourcesDone(await sources.setEnabled(sourceId, enabled));
    },
  };
}
