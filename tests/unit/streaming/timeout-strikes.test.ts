import { describe, expect, it } from 'vitest';
import { PIPELINE_TIMEOUT_STRIKES } from '../../../src/shared/protocol';
import { TimeoutStrikes } from '../../../src/main/streaming/timeout-strikes';

describe('pipeline timeout strikes', () => {
  it(`ends the session at ${PIPELINE_TIMEOUT_STRIKES} timed-out frames in a row, and after`, () => {
    const strikes = new TimeoutStrikes();
    for (let i = 1; i < PIPELINE_TIMEOUT_STRIKES; i++) expect(strikes.count(true)).toBe(false);
    expect(strikes.count(true)).toBe(true);
    expect(strikes.count(true)).toBe(true);
  });

  it('starts again from nothing after a frame that finished in time', () => {
    const strikes = new TimeoutStrikes(2);
    expect(strikes.count(true)).toBe(false);
    expect(strikes.count(false)).toBe(false);
    expect(strikes.count(true)).toBe(false);
    expect(strikes.count(true)).toBe(true);
  });
});
