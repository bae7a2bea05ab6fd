/** What the engine lends to nodes, built once per catalog (one station). */
import type { EngineServices } from './node-op';
import { createRecordingStore, type RecordingStoreOptions } from './recordings/recording-store';
import { createSessionStateStore } from './session-state';

/** The recording store's options, its ceiling named as the station's setting. */
export interface EngineServicesOptions extends Omit<RecordingStoreOptions, 'maxTotalBytes'> {
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
