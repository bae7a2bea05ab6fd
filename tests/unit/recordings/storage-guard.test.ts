import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, type StationMetrics } from '../../../src/main/observe/metrics';
import { StorageGuard } from '../../../src/main/pipeline/recordings/storage-guard';

describe('storage guard', () => {
  let dir: string;
  let lines: Array<{ event?: string; reason?: string }>;
  let metrics: StationMetrics;
  let guard: StorageGuard;
  let free: number;
  let readings: number;

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'guard-')), 'recordings');
    lines = [];
    metrics = createMetrics('test');
    free = 500;
    readings = 0;
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    const probe = () => {
      readings++;
      return Promise.resolve(free);
    };
    guard = new StorageGuard({ dir, probe, checkMs: 60_000, logger, metrics });
  });
  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  const stopped = async () => (await metrics.storageStopped.get()).values[0]?.value;
  const events = () => lines.map((l) => `${l.event}${l.reason ? `:${l.reason}` : ''}`);

  it('stops once for two low thresholds and resumes only when both are cleared', async () => {
    guard.markLowSpace(1000, 500, 'below 1000');
    guard.markLowSpace(2000, 500, 'below 2000');
    expect(guard.state(1000)).toBe('stopped');
    expect(guard.state(100)).toBe('ok');
    expect(guard.state()).toBe('stopped');
    guard.clearLowSpace(1000);
    expect(guard.state()).toBe('stopped');
    expect(await stopped()).toBe(1);
    guard.clearLowSpace(2000);
    expect(guard.state()).toBe('ok');
    expect(await stopped()).toBe(0);
    expect(events()).toEqual(['storage_stopped:low_space', 'storage_resumed']);
  });

  it('holds writes back after a failed write, until a write succeeds', () => {
    guard.markWriteFailed('cannot write 00000001.jpg: ENOSPC', 'ENOSPC');
    expect(guard.heldBack()).toBe('cannot write 00000001.jpg: ENOSPC');
    expect(guard.state(1000)).toBe('stopped');
    guard.clearWriteFailed();
    expect(guard.heldBack()).toBeNull();
    expect(guard.state()).toBe('ok');
    expect(events()).toEqual(['storage_stopped:write_failed', 'storage_resumed']);
  });

  it('reads free space once per check interval, making the folder first', async () => {
    expect(await guard.freeBytes()).toBe(500);
    free = 10;
    expect(await guard.freeBytes()).toBe(500);
    expect(readings).toBe(1);
  });
});
