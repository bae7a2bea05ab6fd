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
import { statfsFreeSpace, type FreeSpaceProbe } from './free-space';
import { cameraFolder } from './camera-folder';
import {
  applyCeiling,
  applyRetention,
  type RetentionLimits,
  type RetentionOutcome,
} from './retention';

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
  freeSpace?: FreeSpaceProbe;
  /** How long a free-space reading is trusted. */
  freeSpaceCheckMs?: number;
  /** Minimum time between retention passes (per camera, and for the ceiling). */
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

/** Time between retention passes for the age limit alone. */
const AGE_SCAN_MS = 10 * 60_000;
/** Camera folders whose sizes are remembered between passes (others are re-learnt). */
const MAX_TRACKED_CAMERAS = 1024;

/** What the last pass found, plus what was written since: scans only when due. */
interface Tally {
  known: number;
  written: number;
  lastPass: number;
}
const newTally = (): Tally => ({ known: 0, written: 0, lastPass: -Infinity });

export function createRecordingStore(options: RecordingStoreOptions): RecordingStore {
  const dir = join(options.dataDir, 'recordings');
  const probe = options.freeSpace ?? statfsFreeSpace;
  const checkMs = options.freeSpaceCheckMs ?? 1000;
  const retentionMs = options.retentionIntervalMs ?? 10_000;
  const maxTotalBytes = options.maxTotalBytes ?? 0;
  const { logger, metrics } = options;

  /** Thresholds (bytes) currently above the free space: each pipeline may set its own. */
  const lowSpace = new Set<number>();
  let writeFailed: { detail: string; until: number } | null = null;
  let freeChecked = { at: -Infinity, bytes: Infinity };
  /** Session folders known to exist (bounded: old sessions are forgotten). */
  const madeDirs = new Set<string>();
  let retention: Promise<void> = Promise.resolve();

  const isStopped = () => writeFailed !== null || lowSpace.size > 0;

  function transition(wasStopped: boolean, event: Record<string, unknown>, message: string) {
    const nowStopped = isStopped();
    metrics.storageStopped.set(nowStopped ? 1 : 0);
    if (!wasStopped && nowStopped) {
      logger.warn({ event: 'storage_stopped', dir, ...event }, `recording stopped: ${message}`);
    } else if (wasStopped && !nowStopped) {
      logger.info({ event: 'storage_resumed', dir }, 'recording resumed');
    }
  }

  function markLowSpace(threshold: number, free: number, detail: string) {
    if (lowSpace.has(threshold)) return;
    const was = isStopped();
    lowSpace.add(threshold);
    transition(was, { reason: 'low_space', free_bytes: free, min_free_bytes: threshold }, detail);
  }

  function clearLowSpace(threshold: number) {
    if (!lowSpace.has(threshold)) return;
    const was = isStopped();
    lowSpace.delete(threshold);
    transition(was, {}, '');
  }

  function markWriteFailed(detail: string, error: string) {
    const was = isStopped();
    writeFailed = { detail, until: Date.now() + checkMs };
    transition(was, { reason: 'write_failed', error }, detail);
  }

  function clearWriteFailed() {
    if (!writeFailed) return;
    const was = isStopped();
    writeFailed = null;
    transition(was, {}, '');
  }

  async function freeBytes(): Promise<number> {
    const now = Date.now();
    if (now - freeChecked.at < checkMs) return freeChecked.bytes;
    await mkdir(dir, { recursive: true });
    freeChecked = { at: now, bytes: await probe(dir) };
    return freeChecked.bytes;
  }

  const cameras = new Map<string, Tally>();
  const station: Tally = newTally();

  function schedule(pass: () => Promise<RetentionOutcome>, tally: Tally, scope: string) {
    tally.lastPass = Date.now();
    tally.written = 0;
    retention = retention
      .then(pass)
      .then((outcome) => {
        tally.known = outcome.totalBytes;
        if (outcome.deletedFiles) logPruned(scope, outcome);
      })
      .catch((err: unknown) => {
        logger.warn(
          { event: 'recordings_prune_failed', dir, scope, error: String(err) },
          'pruning recordings failed',
        );
      });
  }

  function logPruned(scope: string, outcome: RetentionOutcome) {
    logger.info(
      {
        event: 'recordings_pruned',
        dir,
        scope,
        deleted_files: outcome.deletedFiles,
        deleted_sessions: outcome.deletedSessions,
        freed_bytes: outcome.freedBytes,
      },
      `recordings pruned (${scope}): ${outcome.deletedFiles} files`,
    );
  }

  /** The camera's own pass (its pipeline's limits, its folder only), then the ceiling. */
  function scheduleRetention(folder: string, policy: RecordingPolicy, written: number) {
    const now = Date.now();
    let tally = cameras.get(folder);
    if (!tally) {
      if (cameras.size >= MAX_TRACKED_CAMERAS) cameras.delete(cameras.keys().next().value!);
      cameras.set(folder, (tally = newTally()));
    }
    tally.written += written;
    station.written += written;
    if (passDue(tally, policy, now)) {
      const cameraDir = join(dir, folder);
      schedule(() => applyRetention(cameraDir, policy), tally, `camera ${folder}`);
    }
    const overCeiling = maxTotalBytes > 0 && station.known + station.written > maxTotalBytes;
    const firstCeiling = maxTotalBytes > 0 && station.lastPass === -Infinity;
    if ((overCeiling || firstCeiling) && now - station.lastPass >= retentionMs) {
      schedule(() => applyCeiling(dir, maxTotalBytes), station, 'station');
    }
  }

  function passDue(tally: Tally, policy: RecordingPolicy, now: number): boolean {
    if (!policy.maxAgeMs && !policy.maxTotalBytes) return false;
    if (now - tally.lastPass < retentionMs) return false;
    const overSize = policy.maxTotalBytes > 0 && tally.known + tally.written > policy.maxTotalBytes;
    // Age limits are hours to days: a pass every AGE_SCAN_MS is plenty.
    const ageDue = policy.maxAgeMs > 0 && now - tally.lastPass >= AGE_SCAN_MS;
    // The first pass learns what earlier runs left on disk.
    return overSize || ageDue || tally.lastPass === -Infinity;
  }

  return {
    dir,
    state: (minFreeBytes) =>
      writeFailed || (minFreeBytes === undefined ? lowSpace.size > 0 : lowSpace.has(minFreeBytes))
        ? 'stopped'
        : 'ok',
    idle: () => retention,
    async write(record, policy) {
      if (writeFailed && Date.now() < writeFailed.until) {
        return { stored: false, reason: 'write_failed', detail: writeFailed.detail };
      }
      let free: number;
      try {
        free = await freeBytes();
      } catch (err) {
        markWriteFailed(`cannot check free space: ${String(err)}`, String(err));
        return { stored: false, reason: 'write_failed', detail: String(err) };
      }
      if (free < policy.minFreeBytes) {
        const detail = `free space ${Math.floor(free / 1048576)} MiB is below the ${Math.floor(policy.minFreeBytes / 1048576)} MiB threshold`;
        markLowSpace(policy.minFreeBytes, free, detail);
        return { stored: false, reason: 'low_space', detail };
      }
      clearLowSpace(policy.minFreeBytes);
      const folder = cameraFolder(record.cameraId);
      const sessionDir = join(dir, folder, safeSegment(record.sessionId));
      const file = frameFileName(record.frameIndex);
      try {
        if (!madeDirs.has(sessionDir)) {
          await mkdir(sessionDir, { recursive: true });
          if (madeDirs.size >= 1000) madeDirs.clear();
          madeDirs.add(sessionDir);
        }
        await writeFile(join(sessionDir, file), record.bytes);
        const line = {
          frame_index: record.frameIndex,
          file,
          time: new Date().toISOString(),
          ...record.line,
        };
        await appendFile(join(sessionDir, 'results.jsonl'), `${JSON.stringify(line)}\n`);
      } catch (err) {
        // Retention may have removed the folder: make it again next time.
        madeDirs.delete(sessionDir);
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        markWriteFailed(`cannot write ${file}: ${code}`, code);
        return { stored: false, reason: 'write_failed', detail: code };
      }
      clearWriteFailed();
      scheduleRetention(folder, policy, record.bytes.length);
      return { stored: true, file };
    },
  };
}
