/**
 * Sources the station pulls in itself: a technician adds an MJPEG/RTSP URL or a
 * video device from the window, and the station runs the camera bridge for it,
 * connected to its own camera endpoint like any camera. Kept in
 * <dataDir>/sources.json (owner-only: URLs may carry credentials).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ActionResult, NewSource, SourceInfo } from '../../shared/contract';
import { CAMERA_ID_PATTERN } from '../../shared/protocol';
import { createBridge, type Bridge, type BridgeStats } from '../bridge/bridge';
import type { BridgeError } from '../bridge/errors';
import { describeSource, parseSource } from '../bridge/source-spec';

const StoredSource = z.object({
  id: z.string(),
  url: z.string(),
  camera_id: z.string(),
  pipeline_id: z.string().nullable(),
  fps: z.number().nullable(),
  added_at: z.string(),
});
type StoredSource = z.infer<typeof StoredSource>;
const SourcesFile = z.object({ version: z.literal(1), sources: z.array(StoredSource) });

export const NewSourceSchema = z.object({
  url: z.string().min(1).max(2048),
  camera_id: z.string().regex(CAMERA_ID_PATTERN, 'must be 1-64 characters of A-Z, a-z, 0-9, . _ -'),
  pipeline_id: z.string().min(1).max(200).optional(),
  fps: z.number().min(0.1).max(120).optional(),
});

/** Most sources a station runs; each is a bridge with its own source connection. */
export const MAX_SOURCES = 32;

export interface SourceManagerOptions {
  dataDir: string;
  logger: Logger;
  /** ws:// address of this station's camera endpoint, known once it listens. */
  stationUrl: () => string;
  token: string | null;
  pipelineExists: (id: string) => boolean;
  /** Called when a source's state changes (coalesced by the caller). */
  onChange: () => void;
}

interface Running {
  record: StoredSource;
  bridge: Bridge;
  unsubscribe: () => void;
  /** The last retryable problem (the bridge keeps only fatal ones); cleared once frames flow. */
  lastError: BridgeError | null;
}

export class SourceManager {
  private readonly path: string;
  private readonly running = new Map<string, Running>();
  private records: StoredSource[] = [];
  private started = false;

  constructor(private readonly options: SourceManagerOptions) {
    this.path = join(options.dataDir, 'sources.json');
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return;
    }
    const parsed = SourcesFile.safeParse(JSON.parse(text) as unknown);
    if (parsed.success) this.records = parsed.data.sources;
    else this.options.logger.error({ event: 'sources_file_invalid', file: this.path });
  }

  private save(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ version: 1, sources: this.records }, null, 2)}\n`, {
        mode: 0o600,
      });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.path);
    } catch (err) {
      this.options.logger.error({ event: 'sources_save_failed', error: (err as Error).message });
    }
  }

  /** Starts the bridges of the saved sources (the station must be listening). */
  start(): void {
    this.started = true;
    for (const record of this.records) this.run(record);
  }

  private run(record: StoredSource): void {
    const parsed = parseSource(record.url);
    if (!parsed.ok) return; // validated on add; a hand-edited file is reported by list()
    const bridge = createBridge({
      station: this.options.stationUrl(),
      source: parsed.spec,
      cameraId: record.camera_id,
      ...(record.pipeline_id ? { pipelineId: record.pipeline_id } : {}),
      ...(this.options.token ? { token: this.options.token } : {}),
      ...(record.fps ? { fps: record.fps } : {}),
      logger: this.options.logger.child({ source_id: record.id, camera_id: record.camera_id }),
    });
    const running: Running = { record, bridge, unsubscribe: () => undefined, lastError: null };
    running.unsubscribe = bridge.subscribe((event) => {
      if (event.type === 'message') return;
      if (event.type === 'error') running.lastError = event.error;
      else if (event.stats.source === 'open' && event.stats.station === 'open')
        running.lastError = null;
      this.options.onChange();
    });
    this.running.set(record.id, running);
    bridge.start();
  }

  add(input: NewSource): ActionResult & { id?: string } {
    const valid = NewSourceSchema.safeParse(input);
    if (!valid.success) {
      const issue = valid.error.issues[0]!;
      return {
        ok: false,
        code: 'invalid_argument',
        message: `${issue.path.join('.')}: ${issue.message}`,
      };
    }
    const { url, camera_id, pipeline_id, fps } = valid.data;
    const parsed = parseSource(url);
    if (!parsed.ok) {
      return { ok: false, code: 'invalid_argument', message: parsed.error.message };
    }
    if (pipeline_id && !this.options.pipelineExists(pipeline_id)) {
      return {
        ok: false,
        code: 'invalid_pipeline',
        message: `Unknown pipeline_id: ${pipeline_id}`,
      };
    }
    if (this.records.some((r) => r.camera_id === camera_id)) {
      return {
        ok: false,
        code: 'invalid_argument',
        message: `A source already feeds camera ${camera_id}`,
      };
    }
    if (this.records.length >= MAX_SOURCES) {
      return { ok: false, code: 'invalid_argument', message: `At most ${MAX_SOURCES} sources` };
    }
    const record: StoredSource = {
      id: randomUUID(),
      url,
      camera_id,
      pipeline_id: pipeline_id ?? null,
      fps: fps ?? null,
      added_at: new Date().toISOString(),
    };
    this.records.push(record);
    this.save();
    this.options.logger.info({
      event: 'source_added',
      source_id: record.id,
      camera_id,
      source: describeSource(parsed.spec),
    });
    if (this.started) this.run(record);
    this.options.onChange();
    return { ok: true, id: record.id };
  }

  async remove(id: string): Promise<ActionResult> {
    const index = this.records.findIndex((r) => r.id === id);
    if (index < 0) return { ok: false, code: 'unknown_source', message: `No source ${id}` };
    const [record] = this.records.splice(index, 1);
    this.save();
    await this.stopOne(id);
    this.options.logger.info({
      event: 'source_removed',
      source_id: id,
      camera_id: record!.camera_id,
    });
    this.options.onChange();
    return { ok: true };
  }

  private async stopOne(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    running.unsubscribe();
    await running.bridge.stop();
  }

  list(): SourceInfo[] {
    return this.records.map((record) => {
      const parsed = parseSource(record.url);
      const running = this.running.get(record.id);
      const stats = running?.bridge.stats();
      const error = stats?.error ?? running?.lastError ?? null;
      return describe(
        record,
        parsed.ok ? describeSource(parsed.spec) : 'invalid source',
        stats,
        error,
      );
    });
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
  }
}

function describe(
  record: StoredSource,
  source: string,
  stats: BridgeStats | undefined,
  error: BridgeError | null,
): SourceInfo {
  return {
    id: record.id,
    camera_id: record.camera_id,
    source,
    pipeline_id: record.pipeline_id,
    fps: record.fps,
    added_at: record.added_at,
    state: stats?.state ?? 'stopped',
    source_state: stats?.source ?? 'waiting',
    station_state: stats?.station ?? 'waiting',
    frames_read: stats?.frames_read ?? 0,
    sent: stats?.sent ?? 0,
    source_reconnects: stats?.source_reconnects ?? 0,
    error: error ? `${error.message}${error.detail ? ` (${error.detail})` : ''}` : null,
  };
}
