/**
 * Writes recorded frames under `<dataDir>/recordings/<camera>/<session>/`: the
 * JPEG as received, then one line in an append-only results.jsonl (so a line
 * never names a file that is not there). Below the free-space threshold, or
 * when a write fails, storing stops (logged, `station_storage_stopped` = 1)
 * and resumes by itself once space is back; the station never crashes on it.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { StationMetrics } from '../../observe/metrics';
import { cameraFolder } from './camera-folder';
import { statfsFreeSpace, type FreeSpaceProbe } from './free-space';
import { RetentionSchedule } from './retention-schedule';
import type { RetentionLimits } from './retention';
import { StorageGuard } from './storage-guard';

export interface RecordingPolicy extends RetentionLimits {
  minFreeBytes: number;
}

export interface FrameRecord {
  cameraId: string;
  sessionId: string;
  frameIndex: number;
  bytes: Buffer;
  /** The JSON line's content besides `frame_index`, `file` and `time`. */
  line: Record<string, unknown>;
}

export type StoreOutcome =
  | { stored: true; file: string }
  | { stored: false; reason: 'low_space' | 'write_failed'; detail: string };

export interface RecordingStore {
  readonly dir: string;
  /** `stopped` after a failed write, or while free space is below `minFreeBytes` (any threshold when omitted). */
  state(minFreeBytes?: number): 'ok' | 'stopped';
  write(record: FrameRecord, policy: RecordingPolicy): Promise<StoreOutcome>;
  /** Waits for a retention pass in progress (tests, shutdown). */
  idle(): Promise<void>;
}

export interface RecordingStoreOptions {
  dataDir: string;
  logger: Logger;
  metrics: StationMetrics;
  /** Free-space reading for the store's guard (default: statfs of the recordings dir). */
  freeSpace?: FreeSpaceProbe;
  /** How long a free-space reading is trusted, ms (default 1000). */
  freeSpaceCheckMs?: number;
  /** Minimum time between retention passes (per camera, and for the ceiling), ms (default 10000). */
  retentionIntervalMs?: number;
  /** STATION_RECORDINGS_MAX_MB in bytes: the whole recordings/ folder (0 = no ceiling). */
  maxTotalBytes?: number;
}

/** Path segments from station-made ids (sessions): never `.`/`..`, only portable characters. */
export function safeSegment(id: string): string {
  const cleaned = id
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return cleaned || '_';
}

export function frameFileName(frameIndex: number): string {
  return `${String(frameIndex).padStart(8, '0')}.jpg`;
}

/** The recordings folder's writer: guarded by free space, pruned by retention. */
class FrameRecordingStore implements RecordingStore {
  readonly dir: string;
  private readonly guard: StorageGuard;
  private readonly retention: RetentionSchedule;
  /** Session folders known to exist (bounded: old sessions are forgotten). */
  private readonly madeDirs = new Set<string>();

  constructor(options: RecordingStoreOptions) {
    const { logger, metrics } = options;
    const dir = (this.dir = join(options.dataDir, 'recordings'));
    this.guard = new StorageGuard({
      dir,
      probe: options.freeSpace ?? statfsFreeSpace,
      checkMs: options.freeSpaceCheckMs ?? 1000,
      logger,
      metrics,
    });
    this.retention = new RetentionSchedule({
      dir,
      logger,
      retentionMs: options.retentionIntervalMs ?? 10_000,
      maxTotalBytes: options.maxTotalBytes ?? 0,
    });
  }

  state(minFreeBytes?: number): 'ok' | 'stopped' {
    return this.guard.state(minFreeBytes);
  }

  idle(): Promise<void> {
    return this.retention.idle();
  }

  async write(record: FrameRecord, policy: RecordingPolicy): Promise<StoreOutcome> {
    const heldBack = this.guard.heldBack();
    if (heldBack !== null) return { stored: false, reason: 'write_failed', detail: heldBack };
    const refused = await this.checkFreeSpace(policy);
    if (refused) return refused;
    const folder = cameraFolder(record.cameraId);
    const sessionDir = join(this.dir, folder, safeSegment(record.sessionId));
    const file = frameFileName(record.frameIndex);
    try {
      await this.writeFrame(sessionDir, file, record);
    } catch (err) {
      // Retention may have removed the folder: make it again next time.
      this.madeDirs.delete(sessionDir);
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      this.guard.markWriteFailed(`cannot write ${file}: ${code}`, code);
      return { stored: false, reason: 'write_failed', detail: code };
    }
    this.guard.clearWriteFailed();
    this.retention.afterWrite(folder, policy, record.bytes.length);
    return { stored: true, file };
  }

  /** Why the frame cannot be stored for lack of space (or of a reading), or null if it can. */
  private async checkFreeSpace(policy: RecordingPolicy): Promise<StoreOutcome | null> {
    let free: number;
    try {
      free = await this.guard.freeBytes();
    } catch (err) {
      this.guard.markWriteFailed(`cannot check free space: ${String(err)}`, String(err));
      return { stored: false, reason: 'write_failed', detail: String(err) };
    }
    if (free < policy.minFreeBytes) {
      const detail = `free space ${Math.floor(free / 1048576)} MiB is below the ${Math.floor(policy.minFreeBytes / 1048576)} MiB threshold`;
      this.guard.markLowSpace(policy.minFreeBytes, free, detail);
      return { stored: false, reason: 'low_space', detail };
    }
    this.guard.clearLowSpace(policy.minFreeBytes);
    return null;
  }

  /** The JPEG first, then its line: a line never names a file that is not there. */
  private async writeFrame(sessionDir: string, file: string, record: FrameRecord): Promise<void> {
    if (!this.madeDirs.has(sessionDir)) {
      await mkdir(sessionDir, { recursive: true });
      if (this.madeDirs.size >= 1000) this.madeDirs.clear();
      this.madeDirs.add(sessionDir);
    }
    await writeFile(join(sessionDir, file), record.bytes);
    const line = {
      frame_index: record.frameIndex,
      file,
      time: new Date().toISOString(),
      ...record.line,
    };
    await appendFile(join(sessionDir, 'results.jsonl'), `${JSON.stringify(line)}\n`);
  }
}

export function createRecordingStore(options: RecordingStoreOptions): RecordingStore {
  return new FrameRecordingStore(options);
}
