/**
 * A simulated camera's count of what it sent and what came back: every frame
 * is answered once (a result or a drop notice), results come in order, and
 * processed frames have a send-to-result time.
 */
import { performance } from 'node:perf_hooks';
import { createLatencyHistogram } from './latency-histogram';

const RECENT = 100;

export class ReplyTally {
  sent = 0;
  processed = 0;
  dropped = 0;
  failed = 0;
  /** Replies that broke the protocol: unknown frame index, results out of order. */
  violations = 0;
  /** Send-to-result times of processed frames: benchmarks merge and reset it. */
  readonly latency = createLatencyHistogram();
  /** Called when the last outstanding frame got its reply. */
  onDrained: (() => void) | null = null;
  private readonly sentAt = new Map<number, number>();
  private readonly recent = new Float64Array(RECENT);
  private recentCount = 0;
  private lastResultIndex = 0;

  /** Frames sent that have no reply yet. */
  get outstanding(): number {
    return this.sentAt.size;
  }

  /** A frame went out; the station numbers frames from 1 in the order they arrive. */
  onSent(): void {
    this.sent++;
    this.sentAt.set(this.sent, performance.now());
  }

  onDropped(frameIndex: number): void {
    if (this.answer(frameIndex) !== null) this.dropped++;
  }

  /** A result arrived: its send-to-result time, or null for a frame never sent. */
  onResult(frameIndex: number, failed: boolean): number | null {
    const ms = this.answer(frameIndex);
    if (frameIndex <= this.lastResultIndex) this.violations++;
    this.lastResultIndex = frameIndex;
    if (ms === null) return null;
    this.processed++;
    if (failed) this.failed++;
    this.latency.record(ms);
    this.recent[this.recentCount++ % RECENT] = ms;
    return ms;
  }

  /** Median of the last 100 results, ms. */
  recentMedian(): number {
    const n = Math.min(this.recentCount, RECENT);
    if (n === 0) return 0;
    const sorted = Array.from(this.recent.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.floor((n - 1) / 2)]!;
  }

  private answer(frameIndex: number): number | null {
    const at = this.sentAt.get(frameIndex);
    if (at === undefined) {
      this.violations++;
      return null;
    }
    this.sentAt.delete(frameIndex);
    if (this.sentAt.size === 0 && this.onDrained) this.onDrained();
    return performance.now() - at;
  }
}
