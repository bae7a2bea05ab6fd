/** The bounded quit drain on its own: clean, failed, thrown and hung stops. */
import { describe, expect, it } from 'vitest';
import { createQuitDrain } from '../../../src/main/shell/quit-drain';

function drainWith(stop: () => Promise<void>, timeoutMs = 2000) {
  const exits: number[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const drain = createQuitDrain({
    stop,
    timeoutMs,
    exit: (code) => exits.push(code),
    log: (event) => logs.push(event),
  });
  return { drain, exits, logs };
}

describe('quit drain', () => {
  it('exits 0 once after a clean drain, however often quit is asked', async () => {
    let stops = 0;
    const { drain, exits, logs } = drainWith(() => {
      stops += 1;
      return new Promise((resolve) => setTimeout(resolve, 20));
    });
    drain.begin();
    drain.begin();
    expect(drain.started).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect({ stops, exits, logs }).toEqual({ stops: 1, exits: [0], logs: [] });
  });

  it('a failed or throwing stop exits 1 with the reason logged', async () => {
    for (const stop of [
      () => Promise.reject(new Error('socket stuck')),
      () => {
        throw new Error('socket stuck');
      },
    ]) {
      const { drain, exits, logs } = drainWith(stop);
      drain.begin();
      await new Promise((resolve) => setImmediate(resolve));
      expect(exits).toEqual([1]);
      expect(logs).toEqual([
        expect.objectContaining({ event: 'quit_drain_failed', message: 'socket stuck' }),
      ]);
    }
  });

  it('a hung stop exits 1 after the timeout, and a late finish changes nothing', async () => {
    let finishLate: () => void = () => undefined;
    const { drain, exits, logs } = drainWith(
      () => new Promise<void>((resolve) => (finishLate = resolve)),
      50,
    );
    drain.begin();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(exits).toEqual([1]);
    expect(logs[0]).toMatchObject({ event: 'quit_drain_timeout', timeout_ms: 50 });
    finishLate();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([1]);
  });
});
