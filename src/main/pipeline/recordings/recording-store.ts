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
import { applyRetention, type RetentionLimits } from './retention';

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
  state(): 'ok' | 'stopped';
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
  /** Minimum time between retention passes. */
  retentionIntervalMs?: number;
}

/** Path segments from ids: never `.`/`..`, only portable characters. */
export function safeSegment(id: string): string {
  const cleaned = id
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, (dots) => '_'.repeat(dots.length));
  return cleaned || '_';
}

export function frameFileName(frameIndex: number): string {
  return `${String(frameIndex).padStart(8, '0')}.jpg`;
}

export function createRecordingStore(options: RecordingStoreOptions): RecordingStore {
  const dir = join(options.dataDir, 'recordings');
  const probe = options.freeSpace ?? statfsFreeSpace;
  const checkMs = options.freeSpaceCheckMs ?? 1000;
  const retentionMs = options.retentionIntervalMs ?? 10_000;
  const { logger, metrics } = options;

  let stopped: { reason: 'low_space' | 'write_failed'; detail: string; until: number } | null =
    null;
  let freeChecked = { at: -Infinity, bytes: Infinity };
  const madeDirs = new Set<string>();
  let lastRetention = -Infinity;
  let retention: Promise<void> = Promise.resolve();

  function stop(
    reason: 'low_space' | 'write_failed',
    detail: string,
    extra: Record<string, unknown>,
  ) {
    const wasStopped = stopped !== null;
    stopped = { reason, detail, until: Date.now() + checkMs };
    if (!wasStopped) {
      metrics.storageStopped.set(1);
      logger.warn(
        { event: 'storage_stopped', reason, dir, ...extra },
        `recording stopped: ${detail}`,
      );
    }
  }

  function resume() {
    if (!stopped) return;
    stopped = null;
    metrics.storageStopped.set(0);
    logger.info({ event: 'storage_resumed', dir }, 'recording resumed');
  }

  async function freeBytes(): Promise<number> {
    const now = Date.now();
    if (now - freeChecked.at < checkMs) return freeChecked.bytes;
    await mkdir(dir, { recursive: true });
    freeChecked = { at: now, bytes: await probe(dir) };
    return freeChecked.bytes;
  }

  function scheduleRetention(policy: RecordingPolicy) {
    if (!policy.maxAgeMs && !policy.maxTotalBytes) return;
    const now = Date.now();
    if (now - lastRetention < retentionMs) return;
    lastRetention = now;
    retention = retention
      .then(() => applyRetention(dir, policy))
      .then((outcome) => {
        if (outcome.deletedFiles) {
          logger.info(
            {
              event: 'recordings_pruned',
              dir,
              deleted_files: outcome.deletedFiles,
              deleted_sessions: outcome.deletedSessions,
              freed_bytes: outcome.freedBytes,
            },
            `recordings pruned: ${outcome.deletedFiles} files`,
          );
        }
      })
      .catch((err: unknown) => {
        logger.warn(
          { event: 'recordings_prune_failed', dir, error: String(err) },
          'pruning recordings failed',
        );
      });
  }

  return {
    dir,
    state: () => (stopped ? 'stopped' : 'ok'),
    idle: () => retention,
    async write(record, policy) {
      if (stopped?.reason === 'write_failed' && Date.now() < stopped.until) {
        return { stored: false, reason: stopped.reason, detail: stopped.detail };
      }
      let free: number;
      try {
        free = await freeBytes();
      } catch (err) {
        stop('write_failed', `cannot check free space: ${String(err)}`, { error: String(err) });
        return { stored: false, reason: 'write_failed', detail: String(err) };
      }
      if (free < policy.minFreeBytes) {
        const detail = `free space ${Math.floor(free / 1048576)} MiB is below the ${Math.floor(policy.minFreeBytes / 1048576)} MiB threshold`;
        stop('low_space', detail, { free_bytes: free, min_free_bytes: policy.minFreeBytes });
        return { stored: false, reason: 'low_space', detail };
      }
      const sessionDir = join(dir, safeSegment(record.cameraId), safeSegment(record.sessionId));
      const file = frameFileName(record.frameIndex);
      try {
        if (!madeDirs.has(sessionDir)) {
          await mkdir(sessionDir, { recursive: true });
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
        stop('write_failed', `cannot write ${file}: ${code}`, { error: code });
        return { stored: false, reason: 'write_failed', detail: code };
      }
      resume();
      scheduleRetention(policy);
      return { stored: true, file };
    },
  };
}
