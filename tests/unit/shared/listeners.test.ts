import { describe, expect, it } from 'vitest';
import { Listeners } from '../../../src/shared/listeners';

describe('Listeners', () => {
  it('tells every subscriber until it unsubscribes', () => {
    const listeners = new Listeners<number>();
    const heard: number[] = [];
    const stop = listeners.subscribe((n) => heard.push(n));
    listeners.emit(1);
    stop();
    listeners.emit(2);
    expect(heard).toEqual([1]);
  });

  it('counts who listens now; a second unsubscribe changes nothing', () => {
    const listeners = new Listeners<number>();
    const stopA = listeners.subscribe(() => undefined);
    const stopB = listeners.subscribe(() => undefined);
    expect(listeners.size).toBe(2);
    stopA();
    stopA();
    expect(listeners.size).toBe(1);
    stopB();
    expect(listeners.size).toBe(0);
  });

  it('without onError, a throwing listener throws to the emitter', () => {
    const listeners = new Listeners<void>();
    listeners.subscribe(() => {
      throw new Error('boom');
    });
    expect(() => listeners.emit()).toThrow('boom');
  });

  it('with onError, a throwing listener is reported and the others still hear', () => {
    const errors: unknown[] = [];
    const listeners = new Listeners<string>((err) => errors.push(err));
    const heard: string[] = [];
    listeners.subscribe(() => {
      throw new Error('boom');
    });
    listeners.subscribe((s) => heard.push(s));
    listeners.emit('x');
    expect(heard).toEqual(['x']);
    expect(errors).toEqual([new Error('boom')]);
  });
});
