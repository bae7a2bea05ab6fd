/** What the engine lends to nodes, built once per catalog (one station). */
import type { Logger } from 'pino';
import type { StationMetrics } from '../observe/metrics';
import type { EngineServices } from './node-op';
import type { FreeSpaceProbe } from './recordings/free-space';
import { createRecordingStore } from './recordings/recording-store';
import { createSessionStateStore } from './session-state';

export interface EngineServicesOptions {
  dataDir: string;
  logger: Logger;
  metrics: StationMetrics;
  /** Free-space reading for the store's guard (default: statfs of the recordings dir). */
  freeSpace?: FreeSpaceProbe;
  /** How long a free-space reading is trusted, ms (default 1000). */
  freeSpaceCheckMs?: number;
  /** Minimum time between retention passes, ms (default 10000). */
  retentionIntervalMs?: number;
  /** Ceiling on the whole recordings/ folder, bytes (STATION_RECORDINGS_MAX_MB; 0 or absent: none). */
  recordingsMaxBytes?: number;
}

export function createEngineServices(options: EngineServicesOptions): EngineServices {
  return {
    logger: options.logger,
    metrics: options.metrics,
    dataDir: options.dataDir,
    sessionState: createSessionStateStore(),
    recordings: createRecordingStore({ ...options, maxTotalBytes: options.recordingsMaxBytes }),
  };
}
