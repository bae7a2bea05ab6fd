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
 * ~0.45 ms of CPU per frame (marking threads included) and 5-10 ms pauses of
 * the thread that serves sockets and /healthz. Growing 4x the live heap (V8's
 * own upper bound for the dynamic factor) spaces them about a second apart for
 * ~25 MB more resident memory; the flag is read at every collection, so setting
 * it at start-up is enough. docs/benchmarks.md has the measurements.
 */
import { setFlagsFromString } from 'node:v8';

/** Growth between full collections, in percent of the live heap (300: to 4x). */
export const HEAP_GROWING_PERCENT = 300;

let applied = false;

export function allowHeapHeadroom(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
