import { describe, expect, it } from 'vitest';
import { PipelineSlots, type SlotClient } from '../../../src/main/streaming/pipeline-slots';

function client(name: string, since: () => number, log: string[]): SlotClient {
  return { nextFrameSince: since, grant: () => log.push(name) };
}

describe('PipelineSlots', () => {
  it('grants at once while slots are free, then queues', () => {
    const log: string[] = [];
    const slots = new PipelineSlots(2);
    slots.request(client('a', () => 1, log));
    slots.request(client('b', () => 2, log));
    slots.request(client('c', () => 3, log));
    expect(log).toEqual(['a', 'b']);
    expect(slots.load()).toEqual({ running: 2, waiting: 1 });
  });

  it('hands a freed slot to the client whose next frame has waited longest', () => {
    const log: string[] = [];
    const slots = new PipelineSlots(1);
    slots.request(client('running', () => 0, log));
    let floodSince = 100;
    slots.request(client('flood', () => floodSince, log));
    slots.request(client('quiet', () => 50, log));
    floodSince = 120; // the flood replaced its frame with a newer one meanwhile
    slots.release();
    expect(log).toEqual(['running', 'quiet']);
    slots.release();
    expect(log).toEqual(['running', 'quiet', 'flood']);
    slots.release();
    expect(slots.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('forgets a cancelled client', () => {
    const log: string[] = [];
    const slots = new PipelineSlots(1);
    slots.request(client('a', () => 0, log));
    const gone = client('gone', () => 1, log);
    slots.request(gone);
    slots.cancel(gone);
    slots.release();
    expect(log).toEqual(['a']);
    expect(slots.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new PipelineSlots(0)).toThrow(RangeError);
  });
});
