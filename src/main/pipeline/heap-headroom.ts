/**
 * How far V8 lets the heap grow between full collections, for a process that
 * runs the station.
 *
 * Every camera frame brings about 300 KB of ArrayBuffers (the socket reads,
 * the assembled WebSocket message, the decoded pixels) that die within
 * milliseconds, and V8 counts ArrayBuffer memory allocated since the last
 * mark-compact against the old generation's limit. The station's own heap is
 * small (~15 MB live), so with V8's usual growing factor that limit is a few
 * tens of MB away and a full mark-compact ran 6 times a second at 400 frames/s:
 * ~0.4 ms of CPU per frame (marking threads included) and 5-10 ms pauses of
 * the thread that serves sockets and /healthz. Growing to 4x the live heap
 * (V8's own upper bound for its dynamic factor) spaces them about a second
 * apart for ~20 MB more resident memory. Only while the live heap is small:
 * past SMALL_HEAP_BYTES V8's own factor applies again, so a large heap never
 * grows 4x. The flag is read at every collection, so it can change at run time.
 * docs/benchmarks.md has the measurements.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Growth between full collections while the heap is small, in percent of the live heap (300: to 4x). */
export const HEAP_GROWING_PERCENT = 300;
/** Live heap above which V8 decides the growth itself again. */
export const SMALL_HEAP_BYTES = 64 * 1024 * 1024;

let observer: PerformanceObserver | null = null;
let growing: number | null = null;

/** The growth for a live heap of `usedBytes`; 0 lets V8 choose. */
export function growingPercentFor(usedBytes: number): number {
  return usedBytes <= SMALL_HEAP_BYTES ? HEAP_GROWING_PERCENT : 0;
}

function apply(percent: number): void {
  if (percent === growing) return;
  growing = percent;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export function allowHeapHeadroom(): void {
  if (observer) return;
  apply(growingPercentFor(getHeapStatistics().used_heap_size));
  // After each full collection: what is live now decides the growth until the next one.
  observer = new PerformanceObserver((list) => {
    const major = list.getEntries().some((entry) => {
      const detail = (entry as { detail?: { kind?: number } }).detail;
      return detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
    });
    if (major) apply(growingPercentFor(getHeapStatistics().used_heap_size));
  });
  observer.observe({ entryTypes: ['gc'] });
}
