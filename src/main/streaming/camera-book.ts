/**
 * What the station remembers across sessions and restarts, kept in
 * <dataDir>/station-state.json: cameras seen (for the window's offline list),
 * the technician's pinned pipelines, and the default pipeline.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CameraRecord } from '../../shared/contract';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';

const StateFile = z.object({
  version: z.literal(1),
  default_pipeline: z.string().nullable().default(null),
  pins: z.record(z.string(), z.string()).default({}),
  cameras: z
    .array(
      z.object({
        camera_id: z.string(),
        remote: z.string(),
        first_seen_at: z.string(),
        last_seen_at: z.string(),
        last_close_code: z.number().nullable(),
        last_close_reason: z.string().nullable(),
      }),
    )
    .default([]),
});
type StateFile = z.infer<typeof StateFile>;
type StoredCamera = StateFile['cameras'][number];

/** Cameras kept at most; offline throwaway ids are forgotten first, oldest first. */
export const MAX_REMEMBERED_CAMERAS = 500;
/** A camera seen this long, or in two sessions, is a real one: forgotten last. */
const ESTABLISHED_MS = 60_000;

export class CameraBook {
  private readonly path: string;
  private defaultPipeline: string | null = null;
  private readonly pins = new Map<string, string>();
  private readonly cameras = new Map<string, StoredCamera>();
  private readonly online = new Map<string, string>(); // camera_id → session_id
  /** Sessions seen per camera since start (bounded with `cameras`). */
  private readonly visits = new Map<string, number>();
  private saveTimer: NodeJS.Timeout | null = null;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    /** Called when a camera is forgotten (dismissed, or the oldest beyond the limit). */
    private readonly onForget: (cameraId: string) => void = () => undefined,
  ) {
    this.path = join(dataDir, 'station-state.json');
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return; // first start
    }
    try {
      const state = StateFile.parse(JSON.parse(text));
      this.defaultPipeline = state.default_pipeline;
      for (const [camera, pipeline] of Object.entries(state.pins)) this.pins.set(camera, pipeline);
      for (const camera of state.cameras) this.cameras.set(camera.camera_id, camera);
    } catch (err) {
      // Keep the unreadable file for inspection and start clean rather than refuse to start.
      this.logger.error({
        event: 'state_file_invalid',
        file: this.path,
        error: (err as Error).message,
      });
      try {
        renameSync(this.path, `${this.path}.invalid-${Date.now()}`);
      } catch {
        /* best effort */
      }
    }
  }

  /** Debounced atomic write: a crash mid-write never leaves a half file. */
  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saveNow();
    }, 200);
    this.saveTimer.unref();
  }

  saveNow(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    const state: StateFile = {
      version: 1,
      default_pipeline: this.defaultPipeline,
      pins: Object.fromEntries(this.pins),
      cameras: [...this.cameras.values()],
    };
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(tmp, this.path);
    } catch (err) {
      this.logger.error({
        event: 'state_save_failed',
        file: this.path,
        error: (err as Error).message,
      });
    }
  }

  getDefaultPipeline(): string | null {
    return this.defaultPipeline;
  }

  setDefaultPipeline(pipelineId: string): void {
    this.defaultPipeline = pipelineId;
    this.saveNow();
  }

  pinnedPipeline(cameraId: string): string | null {
    return this.pins.get(cameraId) ?? null;
  }

  pin(cameraId: string, pipelineId: string): void {
    this.pins.set(cameraId, pipelineId);
    this.saveNow();
  }

  connected(cameraId: string, sessionId: string, remote: string): void {
    const now = new Date().toISOString();
    const known = this.cameras.get(cameraId);
    this.cameras.delete(cameraId); // re-insert: Map order = most recently seen last
    this.cameras.set(cameraId, {
      camera_id: cameraId,
      remote,
      first_seen_at: known?.first_seen_at ?? now,
      last_seen_at: now,
      last_close_code: known?.last_close_code ?? null,
      last_close_reason: known?.last_close_reason ?? null,
    });
    this.online.set(cameraId, sessionId);
    this.visits.set(cameraId, (this.visits.get(cameraId) ?? 0) + 1);
    this.forgetBeyondLimit();
    this.scheduleSave();
  }

  /** Seen once, briefly, and not pinned: an id like those a peer can make up by the thousand. */
  private isThrowaway(camera: StoredCamera): boolean {
    if (this.pins.has(camera.camera_id) || (this.visits.get(camera.camera_id) ?? 0) > 1)
      return false;
    return Date.parse(camera.last_seen_at) - Date.parse(camera.first_seen_at) < ESTABLISHED_MS;
  }

  /**
   * Beyond the limit, offline throwaway ids go first, then other offline
   * cameras; pinned ones never (Map order is last-seen order: oldest first).
   */
  private forgetBeyondLimit(): void {
    for (const pass of [(c: StoredCamera) => this.isThrowaway(c), () => true]) {
      for (const camera of this.cameras.values()) {
        if (this.cameras.size <= MAX_REMEMBERED_CAMERAS) return;
        const id = camera.camera_id;
        if (this.online.has(id) || this.pins.has(id) || !pass(camera)) continue;
        this.forget(id);
      }
    }
  }

  private forget(cameraId: string): void {
    this.cameras.delete(cameraId);
    this.visits.delete(cameraId);
    this.onForget(cameraId);
  }

  disconnected(cameraId: string, sessionId: string, code: number, reason: string): void {
    // A replaced session closes after its successor registered: it no longer owns the camera.
    if (this.online.get(cameraId) === sessionId) this.online.delete(cameraId);
    const known = this.cameras.get(cameraId);
    if (known) {
      known.last_seen_at = new Date().toISOString();
      known.last_close_code = code;
      known.last_close_reason = reason;
    }
    this.scheduleSave();
  }

  /** Forgets an offline camera (its pin stays). False when unknown or online. */
  dismiss(cameraId: string): boolean {
    if (this.online.has(cameraId) || !this.cameras.has(cameraId)) return false;
    this.forget(cameraId);
    this.scheduleSave();
    return true;
  }

  has(cameraId: string): boolean {
    return this.cameras.has(cameraId);
  }

  list(): CameraRecord[] {
    return [...this.cameras.values()].map((c) => {
      const sessionId = this.online.get(c.camera_id);
      const pinned = this.pins.get(c.camera_id);
      return {
        ...c,
        camera_id: stationCameraId(c.camera_id),
        online: this.online.has(c.camera_id),
        session_id: sessionId === undefined ? null : stationSessionId(sessionId),
        pinned_pipeline: pinned === undefined ? null : stationPipelineId(pinned),
      };
    });
  }
}
