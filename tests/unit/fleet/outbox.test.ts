import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxMessage } from '../../../src/main/fleet/outbox';

const msg = (n: number): OutboxMessage => ({ kind: 'result', topic: 't', payload: String(n) });

describe('Outbox', () => {
  it('is first in, first out', () => {
    const box = new Outbox(4, () => undefined);
    [1, 2, 3].forEach((n) => box.push(msg(n)));
    expect([box.shift(), box.shift(), box.shift(), box.shift()].map((m) => m?.payload)).toEqual([
      '1',
      '2',
      '3',
      undefined,
    ]);
  });

  it('evicts the oldest when full and reports each eviction', () => {
    const evicted: string[] = [];
    const box = new Outbox(3, (m) => evicted.push(m.payload));
    for (let n = 1; n <= 10; n++) box.push(msg(n));
    expect(box.size).toBe(3);
    expect(evicted).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect([box.shift(), box.shift(), box.shift()].map((m) => m?.payload)).toEqual([
      '8',
      '9',
      '10',
    ]);
  });

  it('puts a returned message first, or gives it up when newer ones fill the box', () => {
    const evicted: string[] = [];
    const box = new Outbox(2, (m) => evicted.push(m.payload));
    box.push(msg(2));
    box.unshift(msg(1));
    expect(box.shift()?.payload).toBe('1');
    box.push(msg(3));
    box.unshift(msg(0));
    expect(evicted).toEqual(['0']);
    expect(box.size).toBe(2);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Outbox(0, () => undefined)).toThrow(TypeError);
  });
});
