/**
 * What the window and the API see of a source the station runs: its settings
 * without credentials, its run state and counters from its bridge, and the
 * error it gave up on or retries after.
 */
import type { SourceError, SourceInfo, SourceRunState } from '../../shared/contract';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';
import type { Bridge, BridgeStats } from './bridge';
import type { BridgeError } from './errors';
import { describeSource, parseSource, type SourceKind } from './source-spec';
import type { SourceConfig } from './source-store';

/** A source as the station keeps it: its settings, its bridge while one runs, its last stats. */
export interface Running {
  config: SourceConfig;
  bridge: Bridge | null;
  last: BridgeStats | null;
}

export function sourceInfo(entry: Running): SourceInfo {
  const { config } = entry;
  // Live counters from a running bridge; the last known stats once it has ended.
  const last = entry.bridge?.stats() ?? entry.last;
  const parsed = parseSource(config.url);
  const kind: SourceKind = parsed.ok ? parsed.spec.kind : 'mjpeg';
  return {
    id: config.id,
    camera_id: stationCameraId(config.camera_id),
    url: parsed.ok ? describeSource(parsed.spec) : '(invalid)',
    kind,
    pipeline_id: config.pipeline_id === null ? null : stationPipelineId(config.pipeline_id),
    fps: config.fps,
    enabled: config.enabled,
    state: runState(entry),
    source: last?.source ?? 'waiting',
    station: last?.station ?? 'waiting',
    session_id: last?.session_id ? stationSessionId(last.session_id) : null,
    frames_read: last?.frames_read ?? 0,
    sent: last?.sent ?? 0,
    processed: last?.processed ?? 0,
    dropped: last?.dropped ?? 0,
    source_reconnects: last?.source_reconnects ?? 0,
    station_reconnects: last?.station_reconnects ?? 0,
    error: sourceError(last, runState(entry)),
  };
}

function runState(entry: Running): SourceRunState {
  const last = entry.last;
  if (!entry.config.enabled) return last?.state === 'failed' ? 'failed' : 'disabled';
  if (!last) return 'starting';
  if (last.state === 'failed') return 'failed';
  if (last.state !== 'running') return 'stopped';
  if (last.source === 'open' && last.station === 'open') return 'streaming';
  if (last.source_reconnects + last.station_reconnects > 0) return 'reconnecting';
  return 'starting';
}

/** Changes the window hears of: the state and the error's times, not every frame's counters. */
export function stateKey(entry: Running): string {
  const retried = entry.last?.last_error;
  return `${runState(entry)} ${retried?.at ?? ''} ${retried?.retry_at ?? ''}`;
}

/** The error a source shows: the one its bridge gave up on, else the one it retries after. */
function sourceError(last: BridgeStats | null, state: SourceRunState): SourceError | null {
  if (last?.error) {
    const attempt = last.source_reconnects + last.station_reconnects;
    return { ...words(last.error), end: null, at: null, retry_at: null, attempt };
  }
  const retried = last?.last_error;
  if (!retried || state === 'streaming') return null;
  const { end, at, retry_at, attempt } = retried;
  return { ...words(retried), end, at, retry_at, attempt };
}

function words(error: BridgeError): Pick<SourceError, 'code' | 'message' | 'detail'> {
  return { code: error.code, message: error.message, detail: error.detail ?? null };
}
