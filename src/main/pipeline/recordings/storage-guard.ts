/**
 * Whether recording is stopped, and why: free space below a pipeline's
 * threshold, or a write that failed recently. Every change is logged once
 * (`storage_stopped` / `storage_resumed`) and mirrored in `station_storage_stopped`.
 */
import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { StationMetrics } from '../../observe/metrics';
import type { FreeSpaceProbe } from './free-space';

export interface StorageGuardOptions {
  /** The recordings folder (made on the first free-space reading). */
  dir: string;
  probe: FreeSpaceProbe;
  /** How long a free-space reading, and a failed write, hold. */
  checkMs: number;
  logger: Logger;
  metrics: StationMetrics;
}

export class StorageGuard {
  /** Thresholds (bytes) currently above the free space: each pipeline may set its own. */
  private readonly lowSpace = new Set<number>();
  private writeFailed: { detail: string; until: number } | null = null;
  private freeChecked = { at: -Infinity, bytes: Infinity };

  constructor(private readonly options: StorageGuardOptions) {}

  /** `stopped` after a failed write, or while free space is below `minFreeBytes` (any threshold when omitted). */
  state(minFreeBytes?: number): 'ok' | 'stopped' {
    const low =
      minFreeBytes === undefined ? this.lowSpace.size > 0 : this.lowSpace.has(minFreeBytes);
    return this.writeFailed || low ? 'stopped' : 'ok';
  }

  /** What the last failed write said, while writes are still held back after it. */
  heldBack(): string | null {
    return this.writeFailed && Date.now() < this.writeFailed.until ? this.writeFailed.detail : null;
  }

  /** The free space of the recordings folder, read at most once per `checkMs`. */
  async freeBytes(): Promise<number> {
    const now = Date.now();
    if (now - this.freeChecked.at < this.options.checkMs) return this.freeChecked.bytes;
    await mkdir(this.options.dir, { recursive: true });
    this.freeChecked = { at: now, bytes: await this.options.probe(this.options.dir) };
    return this.freeChecked.bytes;
  }

  markLowSpace(threshold: number, free: number, detail: string): void {
    if (this.lowSpace.has(threshold)) return;
    const was = this.isStopped();
    this.lowSpace.add(threshold);
    this.transition(
      was,
      { reason: 'low_space', free_bytes: free, min_free_bytes: threshold },
      detail,
    );
  }

  clearLowSpace(threshold: number): void {
    if (!this.lowSpace.has(threshold)) return;
    const was = this.isStopped();
    this.lowSpace.delete(threshold);
    this.transition(was, {}, '');
  }

  markWriteFailed(detail: string, error: string): void {
    const was = this.isStopped();
    this.writeFailed = { detail, until: Date.now() + this.options.checkMs };
    this.transition(was, { reason: 'write_failed', error }, detail);
  }

  clearWriteFailed(): void {
    if (!this.writeFailed) return;
    const was = this.isStopped();
    this.writeFailed = null;
    this.transition(was, {}, '');
  }

  private isStopped(): boolean {
    return this.writeFailed !== null || this.lowSpace.size > 0;
  }

  private transition(wasStopped: boolean, event: Record<string, unknown>, message: string): void {
    const { logger, metrics, dir } = this.options;
    const nowStopped = this.isStopped();
    metrics.storageStopped.set(nowStopped ? 1 : 0);
    if (!wasStopped && nowStopped) {
      logger.warn({ event: 'storage_stopped', dir, ...event }, `recording stopped: ${message}`);
    } else if (wasStopped && !nowStopped) {
      logger.info({ event: 'storage_resumed', dir }, 'recording resumed');
    }
  }
}
