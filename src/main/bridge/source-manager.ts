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
import { createBridge } from './bridge';
import type { BackoffOptions } from './backoff';
import { localAddressProblem } from './source-address';
import { describeSource, parseSource, type SourceSpec } from './source-spec';
import type { NewSource, SourceInfo } from '../../shared/contract';
import type { ActionErrorCode } from '../../shared/errors';
import { sourceInfo, stateKey, type Running } from './source-info';
import { createSourceStore, type SourceConfig, type SourceStore } from './source-store';

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

type Refusal = Extract<SourceResult<never>, { ok: false }>;

/** Why a new source is refused (beyond the cap, broken, local, a taken camera), else its spec. */
function checkNewSource(
  input: NewSource,
  entries: Map<string, Running>,
  options: SourceManagerOptions,
): Refusal | { ok: true; spec: SourceSpec } {
  const max = options.maxSources ?? 64;
  if (entries.size >= max) {
    options.logger.warn({ event: 'source_refused', code: 'too_many_sources', max });
    return {
      ok: false,
      code: 'too_many_sources',
      message: `Refused: the station runs at most ${max} sources (STATION_MAX_SOURCES). Remove one first.`,
    };
  }
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
  return { ok: true, spec: parsed.spec };
}

function unknownSource(id: string): Refusal {
  return { ok: false, code: 'unknown_source', message: `No source ${id}.` };
}

class StationSources implements SourceManager {
  private readonly store: SourceStore;
  private readonly entries = new Map<string, Running>();
  private stopped = false;

  constructor(private readonly options: SourceManagerOptions) {
    this.store = createSourceStore(options.dataDir);
  }

  start(): string | null {
    const loaded = this.store.load();
    for (const config of loaded.sources) {
      this.entries.set(config.id, { config, bridge: null, last: null });
      this.warnIfLocal(config);
    }
    for (const entry of this.entries.values()) this.launch(entry);
    if (loaded.error) {
      this.options.logger.error({ event: 'sources_file_invalid', error: loaded.error });
    }
    this.changed();
    return loaded.error;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.entries.values()].map((entry) => this.halt(entry)));
  }

  list(): SourceInfo[] {
    return [...this.entries.values()].map(sourceInfo);
  }

  add(input: NewSource): SourceResult<SourceInfo> {
    const checked = checkNewSource(input, this.entries, this.options);
    if (!checked.ok) return checked;
    const config: SourceConfig = {
      id: randomUUID(),
      camera_id: input.camera_id,
      url: input.url.trim(),
      pipeline_id: input.pipeline_id || null,
      fps: input.fps ?? null,
      enabled: true,
    };
    const entry: Running = { config, bridge: null, last: null };
    this.entries.set(config.id, entry);
    this.save();
    this.options.logger.info(
      {
        event: 'source_added',
        source_id: config.id,
        camera_id: config.camera_id,
        url: describeSource(checked.spec),
      },
      'source added',
    );
    this.launch(entry);
    this.changed();
    return { ok: true, value: sourceInfo(entry) };
  }

  async remove(id: string): Promise<SourceResult<null>> {
    const entry = this.entries.get(id);
    if (!entry) return unknownSource(id);
    this.entries.delete(id);
    this.save();
    await this.halt(entry);
    this.options.logger.info(
      { event: 'source_removed', source_id: id, camera_id: entry.config.camera_id },
      'source removed',
    );
    this.changed();
    return { ok: true, value: null };
  }

  async setEnabled(id: string, enabled: boolean): Promise<SourceResult<SourceInfo>> {
    const entry = this.entries.get(id);
    if (!entry) return unknownSource(id);
    if (entry.config.enabled === enabled && (!enabled || entry.bridge)) {
      return { ok: true, value: sourceInfo(entry) };
    }
    entry.config = { ...entry.config, enabled };
    this.save();
    await this.halt(entry);
    if (enabled) {
      entry.last = null;
      this.launch(entry);
    }
    this.changed();
    return { ok: true, value: sourceInfo(entry) };
  }

  /** Entries from before the address restriction keep working, with a warning. */
  private warnIfLocal(config: SourceConfig): void {
    const local = this.options.allowLocal ? null : localAddressProblem(config.url);
    if (!local) return;
    this.options.logger.warn(
      {
        event: 'source_address_local',
        source_id: config.id,
        camera_id: config.camera_id,
        detail: local,
      },
      `source ${config.camera_id} points at ${local}: kept, but a new one like it would be refused (STATION_SOURCES_ALLOW_LOCAL)`,
    );
  }

  private changed(): void {
    this.options.onChange?.(this.list());
  }

  private save(): void {
    this.store.save([...this.entries.values()].map((e) => e.config));
  }

  private launch(entry: Running): void {
    const { options } = this;
    if (this.stopped || !entry.config.enabled) return;
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
    this.follow(entry);
    bridge.start();
  }

  /** Tells observers of the bridge's state and error changes, and of its end. */
  private follow(entry: Running): void {
    const bridge = entry.bridge!;
    let lastSeen = stateKey(entry);
    bridge.subscribe((event) => {
      if (event.type !== 'state' || entry.bridge !== bridge) return;
      entry.last = event.stats;
      // Counters change with every frame: tell the window about state and error changes only.
      const seen = stateKey(entry);
      if (seen !== lastSeen) {
        lastSeen = seen;
        this.changed();
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
        this.save();
      }
      this.changed();
    });
  }

  private async halt(entry: Running): Promise<void> {
    const bridge = entry.bridge;
    entry.bridge = null;
    if (bridge) {
      await bridge.stop();
      entry.last = bridge.stats();
    }
  }
}

export function createSourceManager(options: SourceManagerOptions): SourceManager {
  return new StationSources(options);
}
