/**
 * When retention passes run: a camera's own pass (its pipeline's limits, its
 * folder only) and the station-wide ceiling, each only when due, one at a
 * time. Sizes learnt by a pass plus what was written since say when a limit is near.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  applyCeiling,
  applyRetention,
  type RetentionLimits,
  type RetentionOutcome,
} from './retention';

export interface RetentionScheduleOptions {
  /** The recordings folder. */
  dir: string;
  logger: Logger;
  /** Minimum time between retention passes (per camera, and for the ceiling). */
  retentionMs: number;
  /** The whole recordings/ folder, bytes (0 = no ceiling). */
  maxTotalBytes: number;
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

export class RetentionSchedule {
  private readonly cameras = new Map<string, Tally>();
  private readonly station: Tally = newTally();
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly options: RetentionScheduleOptions) {}

  /** Waits for a retention pass in progress. */
  idle(): Promise<void> {
    return this.pending;
  }

  /** Counts a written frame, then schedules the camera's pass and the ceiling if due. */
  afterWrite(folder: string, policy: RetentionLimits, written: number): void {
    const now = Date.now();
    const tally = this.tallyFor(folder);
    tally.written += written;
    this.station.written += written;
    if (this.passDue(tally, policy, now)) {
      const cameraDir = join(this.options.dir, folder);
      this.schedule(() => applyRetention(cameraDir, policy), tally, `camera ${folder}`);
    }
    if (this.ceilingDue(now)) {
      const { dir, maxTotalBytes } = this.options;
      this.schedule(() => applyCeiling(dir, maxTotalBytes), this.station, 'station');
    }
  }

  private tallyFor(folder: string): Tally {
    let tally = this.cameras.get(folder);
    if (!tally) {
      if (this.cameras.size >= MAX_TRACKED_CAMERAS) {
        this.cameras.delete(this.cameras.keys().next().value!);
      }
      this.cameras.set(folder, (tally = newTally()));
    }
    return tally;
  }

  private passDue(tally: Tally, policy: RetentionLimits, now: number): boolean {
    if (!policy.maxAgeMs && !policy.maxTotalBytes) return false;
    if (now - tally.lastPass < this.options.retentionMs) return false;
    const overSize = policy.maxTotalBytes > 0 && tally.known + tally.written > policy.maxTotalBytes;
    // Age limits are hours to days: a pass every AGE_SCAN_MS is plenty.
    const ageDue = policy.maxAgeMs > 0 && now - tally.lastPass >= AGE_SCAN_MS;
    // The first pass learns what earlier runs left on disk.
    return overSize || ageDue || tally.lastPass === -Infinity;
  }

  private ceilingDue(now: number): boolean {
    const { maxTotalBytes, retentionMs } = this.options;
    const station = this.station;
    const overCeiling = maxTotalBytes > 0 && station.known + station.written > maxTotalBytes;
    const firstCeiling = maxTotalBytes > 0 && station.lastPass === -Infinity;
    return (overCeiling || firstCeiling) && now - station.lastPass >= retentionMs;
  }

  private schedule(pass: () => Promise<RetentionOutcome>, tally: Tally, scope: string): void {
    tally.lastPass = Date.now();
    tally.written = 0;
    this.pending = this.pending
      .then(pass)
      .then((outcome) => {
        tally.known = outcome.totalBytes;
        if (outcome.deletedFiles) this.logPruned(scope, outcome);
      })
      .catch((err: unknown) => {
        this.options.logger.warn(
          { event: 'recordings_prune_failed', dir: this.options.dir, scope, error: String(err) },
          'pruning recordings failed',
        );
      });
  }

  private logPruned(scope: string, outcome: RetentionOutcome): void {
    this.options.logger.info(
      {
        event: 'recordings_pruned',
        dir: this.options.dir,
        scope,
        deleted_files: outcome.deletedFiles,
        deleted_sessions: outcome.deletedSessions,
        freed_bytes: outcome.freedBytes,
      },
      `recordings pruned (${scope}): ${outcome.deletedFiles} files`,
    );
  }
}
