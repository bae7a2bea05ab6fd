/**
 * What the station shows of itself: its info (addresses, default pipeline,
 * limits), the full snapshot a window starts from, and the cheap health answer.
 */
import type { Logger } from 'pino';
import type { StationInfo, StationSnapshot } from '../../shared/contract';
import type { SourceManager } from '../bridge/source-manager';
import type { StationSettings } from '../config/settings';
import type { PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from '../streaming/camera-book';
import { STATION_VERSION } from '../version';
import type { LiveState } from './live';
import { stationUrls } from './urls';
import { stationPipelineId } from '../../shared/station-ids';

export interface ViewDeps {
  settings: StationSettings;
  catalog: PipelineCatalog;
  cameras: CameraBook;
  sources: SourceManager;
  /** The live state, read each time. */
  live: Pick<LiveState, 'port' | 'draining' | 'sessions' | 'sessionCount'>;
}

export interface StationView {
  info: () => StationInfo;
  snapshot: () => StationSnapshot;
  /** Cheap: /healthz must answer fast under load. */
  health: () => { draining: boolean; version: string; sessions: number };
  /** The technician's choice, else the configured one, else `inspect` (or `metadata`). */
  defaultPipelineId: () => string;
  /** Logs which default pipeline new cameras get, and who chose it. */
  logDefaultPipeline: (logger: Logger) => void;
}

export function createStationView(deps: ViewDeps): StationView {
  const { settings, catalog, cameras, sources } = deps;
  const startedAt = new Date();

  function defaultPipelineId(): string {
    const chosen = cameras.getDefaultPipeline() ?? settings.defaultPipeline;
    if (chosen && catalog.get(chosen)) return chosen;
    return catalog.get('inspect') ? 'inspect' : 'metadata';
  }

  function info(): StationInfo {
    const { port } = deps.live;
    return {
      version: STATION_VERSION,
      started_at: startedAt.toISOString(),
      host: settings.host,
      port,
      ...stationUrls(settings.host, port),
      token_required: settings.token !== null,
      default_pipeline: stationPipelineId(defaultPipelineId()),
      data_dir: settings.dataDir,
      max_sessions: settings.maxSessions,
      draining: deps.live.draining,
    };
  }

  return {
    info,
    snapshot: () => ({
      station: info(),
      sessions: deps.live.sessions(),
      cameras: cameras.list(),
      pipelines: catalog.list(),
      pipeline_errors: catalog.errors(),
      sources: sources.list(),
    }),
    health() {
      const { live } = deps;
      return { draining: live.draining, version: STATION_VERSION, sessions: live.sessionCount() };
    },
    defaultPipelineId,
    logDefaultPipeline(logger) {
      const chosenBy = cameras.getDefaultPipeline()
        ? 'window'
        : settings.defaultPipeline
          ? 'setting'
          : 'built-in default';
      logger.info({
        event: 'default_pipeline',
        pipeline_id: defaultPipelineId(),
        chosen_by: chosenBy,
      });
      if (settings.defaultPipeline && !catalog.get(settings.defaultPipeline)) {
        logger.warn({
          event: 'default_pipeline_unknown',
          pipeline_id: settings.defaultPipeline,
          using: defaultPipelineId(),
        });
      }
    },
  };
}
