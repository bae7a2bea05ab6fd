/**
 * Sources the station runs itself: the technician adds an MJPEG/RTSP URL (or
 * a video device) in the window, and the station runs a bridge for it to its
 * own camera endpoint, so the camera shows up like any other. Sources persist
 * in <dataDir>/sources.json; what leaves this module never holds credentials.
 *
 * Only http(s)://, rtsp(s):// and /dev/videoN are accepted here: the request
 * may come from another machine, and must never name a file on this one.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { firstIssue, NewSourceInput } from '../../shared/inputs';
import { createBridge, type Bridge, type BridgeStats } from './bridge';
import type { BackoffOptions } from './backoff';
import { localAddressProblem } from './source-address';
import { describeSource, parseSource, type SourceKind } from './source-spec';
import type { NewSource, SourceError, SourceInfo, SourceRunState } from '../../shared/contract';
import type { ActionErrorCode } from '../../shared/errors';
import type { BridgeError } from './errors';
import { createSourceStore, type SourceConfig } from './source-store';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';

/** The source manager's refusals: codes of the registry (src/shared/errors.ts). */
export type SourceActionError = Extract<
  ActionErrorCode,
  | 'invalid_source'
  | 'invalid_argument'
  | 'duplicate_camera'
  | 'unknown_source'
  | 'source_address_refused'
  | 'too_many_sources'
>;
export type SourceResult<T> =
  { ok: true; value: T } | { ok: false; code: SourceActionError; message: string };

export interface SourceManagerOptions {
  dataDir: string;
  /** The station's own camera endpoint, known once it listens: ws://127.0.0.1:PORT. */
  stationUrl(): string;
  token?: string;
  logger: Logger;
  /** Called after any change of a source's settings or state. */
  onChange?(sources: SourceInfo[]): void;
  backoff?: BackoffOptions;
  /** STATION_SOURCES_ALLOW_LOCAL: new sources may point at loopback / cloud-metadata addresses. */
  allowLocal?: boolean;
  /** STATION_MAX_SOURCES: a source beyond it is refused (`too_many_sources`). Default 64. */
  maxSources?: number;
}

export interface SourceManager {
  /** Loads sources.json and starts the enabled ones. Returns the file's error, if any. */
  start(): string | null;
  stop(): Promise<void>;
  list(): SourceInfo[];
  add(input: NewSource): SourceResult<SourceInfo>;
  remove(id: string): Promise<SourceResult<null>>;
  setEnabled(id: string, enabled: boolean): Promise<SourceResult<SourceInfo>>;
}

interface Running {
  config: SourceConfig;
  bridge: Bridge | null;
  last: BridgeStats | null;
}

export function createSourceManager(options: SourceManagerOptions): SourceManager {
  const store = createSourceStore(options.dataDir);
  const entries = new Map<string, Running>();
  let stopped = false;

  /** Entries from before the address restriction keep working, with a warning. */
  function warnIfLocal(config: SourceConfig): void {
    const local = options.allowLocal ? null : localAddressProblem(config.url);
    if (!local) return;
    options.logger.warn(
      {
        event: 'source_address_local',
        source_id: config.id,
        camera_id: config.camera_id,
        detail: local,
      },
      `source ${config.camera_id} points at ${local}: kept, but a new one like it would be refused (STATION_SOURCES_ALLOW_LOCAL)`,
    );
  }

  function info(entry: Running): SourceInfo {
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

  function changed(): void {
    options.onChange?.(list());
  }

  function stateKey(entry: Running): string {
    const retried = entry.last?.last_error;
    return `${runState(entry)} ${retried?.at ?? ''} ${retried?.retry_at ?? ''}`;
  }

  function list(): SourceInfo[] {
    return [...entries.values()].map(info);
  }

  function save(): void {
    store.save([...entries.values()].map((e) => e.config));
  }

  function refuseBeyondCap(): SourceResult<never> | null {
    const max = options.maxSources ?? 64;
    if (entries.size < max) return null;
    options.logger.warn({ event: 'source_refused', code: 'too_many_sources', max });
    return {
      ok: false,
      code: 'too_many_sources',
      message: `Refused: the station runs at most ${max} sources (STATION_MAX_SOURCES). Remove one first.`,
    };
  }

  function launch(entry: Running): void {
    if (stopped || !entry.config.enabled) return;
    const parsed = parseSource(entry.config.url);
    if (!parsed.ok) return;
    const bridge = createBridge({
      station: options.stationUrl(),
      source: parsed.spec,
      cameraId: entry.config.camera_id,
      ...(entry.config.pipeline_id ? { pipelineId: entry.config.pipeline_id } : {}),
      ...(entry.config.fps ? { fps: entry.config.fps } : {}),
      ...(options.token ? { token: options.token } : {}),
      retryWhenReplaced: true,
      ...(options.backoff
        ? { sourceBackoff: options.backoff, stationBackoff: options.backoff }
        : {}),
      logger: options.logger.child({ source_id: entry.config.id }),
    });
    entry.bridge = bridge;
    entry.last = bridge.stats();
    let lastSeen = stateKey(entry);
    bridge.subscribe((event) => {
      if (event.type !== 'state' || entry.bridge !== bridge) return;
      entry.last = event.stats;
      // Counters change with every frame: tell the window about state and error changes only.
      const seen = stateKey(entry);
      if (seen !== lastSeen) {
        lastSeen = seen;
        changed();
      }
    });
    void bridge.done().then((final) => {
      if (entry.bridge !== bridge) return;
      entry.bridge = null;
      entry.last = final;
      // A technician's disconnect ends it until re-enabled; a replacement never does
      // (its bridge retries): a peer taking its camera id must not switch it off.
      if (final.error?.code === 'disconnected_by_technician') {
        entry.config = { ...entry.config, enabled: false };
        save();
      }
      changed();
    });
    bridge.start();
  }

  async function halt(entry: Running): Promise<void> {
    const bridge = entry.bridge;
    entry.bridge = null;
    if (bridge) {
      await bridge.stop();
      entry.last = bridge.stats();
    }
  }

  return {
    start() {
      const loaded = store.load();
      for (const config of loaded.sources) {
        entries.set(config.id, { config, bridge: null, last: null });
        warnIfLocal(config);
      }
      for (const entry of entries.values()) launch(entry);
      if (loaded.error)
        options.logger.error({ event: 'sources_file_invalid', error: loaded.error });
      changed();
      return loaded.error;
    },
    async stop() {
      stopped = true;
      await Promise.all([...entries.values()].map(halt));
    },
    list,
    add(input) {
      const full = refuseBeyondCap();
      if (full) return full;
      const checked = NewSourceInput.safeParse(input);
      if (!checked.success) {
        return { ok: false, code: 'invalid_argument', message: firstIssue(checked.error) };
      }
      const parsed = parseSource(input.url);
      if (!parsed.ok) {
        const message = `${parsed.error.message}; a source is an http(s):// or rtsp(s):// URL, or /dev/videoN`;
        return { ok: false, code: 'invalid_source', message };
      }
      const local = options.allowLocal ? null : localAddressProblem(input.url);
      if (local) {
        options.logger.warn({
          event: 'source_refused',
          code: 'source_address_refused',
          url: describeSource(parsed.spec),
          detail: local,
        });
        return {
          ok: false,
          code: 'source_address_refused',
          message: `Refused: ${local}. Sources may not point at this machine or a cloud metadata service unless the station runs with STATION_SOURCES_ALLOW_LOCAL=true.`,
        };
      }
      if ([...entries.values()].some((e) => e.config.camera_id === input.camera_id)) {
        return {
          ok: false,
          code: 'duplicate_camera',
          message: `A source already feeds camera "${input.camera_id}".`,
        };
      }
      const fps = input.fps ?? null;
      const config: SourceConfig = {
        id: randomUUID(),
        camera_id: input.camera_id,
        url: input.url.trim(),
        pipeline_id: input.pipeline_id || null,
        fps,
        enabled: true,
      };
      const entry: Running = { config, bridge: null, last: null };
      entries.set(config.id, entry);
      save();
      options.logger.info(
        {
          event: 'source_added',
          source_id: config.id,
          camera_id: config.camera_id,
          url: describeSource(parsed.spec),
        },
        'source added',
      );
      launch(entry);
      changed();
      return { ok: true, value: info(entry) };
    },
    async remove(id) {
      const entry = entries.get(id);
      if (!entry) return { ok: false, code: 'unknown_source', message: `No source ${id}.` };
      entries.delete(id);
      save();
      await halt(entry);
      options.logger.info(
        { event: 'source_removed', source_id: id, camera_id: entry.config.camera_id },
        'source removed',
      );
      changed();
      return { ok: true, value: null };
    },
    async setEnabled(id, enabled) {
      const entry = entries.get(id);
      if (!entry) return { ok: false, code: 'unknown_source', message: `No source ${id}.` };
      if (entry.config.enabled === enabled && (!enabled || entry.bridge)) {
        return { ok: true, value: info(entry) };
      }
      entry.config = { ...entry.config, enabled };
      save();
      await halt(entry);
      if (enabled) {
        entry.last = null;
        launch(entry);
      }
      changed();
      return { ok: true, value: info(entry) };
    },
  };
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
