/**
 * The heap may grow 4x between full collections only while it is small: a
 * station with a large live heap gets V8's own growing factor back.
 */
import { describe, expect, it } from 'vitest';
import {
  HEAP_GROWING_PERCENT,
  SMALL_HEAP_BYTES,
  growingPercentFor,
} from '../../../src/main/pipeline/heap-headroom';

describe('heap headroom', () => {
  it('grows a small heap 4x and leaves a large one to V8', () => {
    expect(HEAP_GROWING_PERCENT).toBe(300);
    expect(growingPercentFor(15 * 1024 * 1024)).toBe(300);
    expect(growingPercentFor(SMALL_HEAP_BYTES)).toBe(300);
    expect(growingPercentFor(SMALL_HEAP_BYTES + 1)).toBe(0);
  });
});
