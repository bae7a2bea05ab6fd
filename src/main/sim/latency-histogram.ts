/**
 * A fixed-memory latency histogram: 0.05 ms buckets up to 100 ms, 1 ms buckets
 * up to 10 s, then one overflow bucket. Long runs (soak) record millions of
 * replies without growing; percentiles are exact to the bucket width.
 */

const FINE_MS = 0.05;
const FINE_LIMIT_MS = 100;
const COARSE_MS = 1;
const COARSE_LIMIT_MS = 10_000;
const FINE_BUCKETS = Math.round(FINE_LIMIT_MS / FINE_MS);
const COARSE_BUCKETS = Math.round((COARSE_LIMIT_MS - FINE_LIMIT_MS) / COARSE_MS);

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** A histogram's content in plain JSON (non-empty buckets only), to cross a process boundary. */
export interface LatencySnapshot {
  buckets: [index: number, count: number][];
  count: number;
  sum: number;
  max: number;
}

export interface LatencyHistogram {
  record(ms: number): void;
  percentile(p: number): number;
  summary(): LatencySummary;
  /** Adds another histogram's samples to this one (to merge cameras). */
  merge(other: LatencyHistogram): void;
  snapshot(): LatencySnapshot;
  mergeSnapshot(snapshot: LatencySnapshot): void;
  reset(): void;
  readonly count: number;
  /** @internal raw bucket counts, for merge */
  readonly buckets: Uint32Array;
  readonly max: number;
  readonly sum: number;
}

function bucketOf(ms: number): number {
  if (ms < FINE_LIMIT_MS) return Math.max(0, Math.floor(ms / FINE_MS));
  if (ms < COARSE_LIMIT_MS) return FINE_BUCKETS + Math.floor((ms - FINE_LIMIT_MS) / COARSE_MS);
  return FINE_BUCKETS + COARSE_BUCKETS;
}

/** The upper edge of a bucket: a percentile never under-reports. */
function upperEdge(bucket: number): number {
  if (bucket < FINE_BUCKETS) return (bucket + 1) * FINE_MS;
  if (bucket < FINE_BUCKETS + COARSE_BUCKETS) {
    return FINE_LIMIT_MS + (bucket - FINE_BUCKETS + 1) * COARSE_MS;
  }
  return Number.POSITIVE_INFINITY;
}

export function createLatencyHistogram(): LatencyHistogram {
  const buckets = new Uint32Array(FINE_BUCKETS + COARSE_BUCKETS + 1);
  let count = 0;
  let sum = 0;
  let max = 0;

  const histogram: LatencyHistogram = {
    get count() {
      return count;
    },
    get max() {
      return max;
    },
    get sum() {
      return sum;
    },
    buckets,
    record(ms) {
      buckets[bucketOf(ms)]!++;
      count++;
      sum += ms;
      if (ms > max) max = ms;
    },
    percentile(p) {
      if (count === 0) return 0;
      const rank = Math.max(1, Math.ceil((p / 100) * count));
      let seen = 0;
      for (let i = 0; i < buckets.length; i++) {
        seen += buckets[i]!;
        if (seen >= rank) return Math.min(upperEdge(i), max);
      }
      return max;
    },
    summary() {
      return {
        count,
        mean: count === 0 ? 0 : sum / count,
        p50: histogram.percentile(50),
        p95: histogram.percentile(95),
        p99: histogram.percentile(99),
        max,
      };
    },
    merge(other) {
      for (let i = 0; i < buckets.length; i++) buckets[i]! += other.buckets[i]!;
      count += other.count;
      sum += other.sum;
      if (other.max > max) max = other.max;
    },
    snapshot() {
      const pairs: [number, number][] = [];
      for (let i = 0; i < buckets.length; i++) if (buckets[i]! > 0) pairs.push([i, buckets[i]!]);
      return { buckets: pairs, count, sum, max };
    },
    mergeSnapshot(snapshot) {
      for (const [index, n] of snapshot.buckets) buckets[index]! += n;
      count += snapshot.count;
      sum += snapshot.sum;
      if (snapshot.max > max) max = snapshot.max;
    },
    reset() {
      buckets.fill(0);
      count = 0;
      sum = 0;
      max = 0;
    },
  };
  return histogram;
}
