/**
 * A source that keeps failing says why, in words, wherever it shows: the API,
 * the log and (tests/e2e) the window; with its retry count and next retry time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceInfo } from '../../src/shared/contract';
import { disposeStation, startStation, waitFor, type TestStation } from '../helpers/station';
import { freePort } from '../helpers/ports';

let station: TestStation | null = null;
afterEach(async () => {
  station = await disposeStation(station);
});

async function sources(s: TestStation): Promise<SourceInfo[]> {
  return (await (await fetch(s.http('/api/sources'))).json()) as SourceInfo[];
}

describe('a failing source', () => {
  it('carries its last error, retry count and next retry time in /api/sources and the log', async () => {
    // The unplugged camera's address is on loopback, where sources are refused unless allowed.
    station = await startStation({ sourcesAllowLocal: true });
    const port = await freePort();
    const added = station.station.addSource({
      url: `http://127.0.0.1:${port}/video.mjpg`,
      camera_id: 'unplugged',
    });
    expect(added.ok).toBe(true);
    const s = station;
    await waitFor(() => (s.station.snapshot().sources[0]?.source_reconnects ?? 0) >= 2, 15_000);

    const [source] = await sources(s);
    expect(source?.state).toBe('reconnecting');
    expect(source?.error).toMatchObject({
      code: 'source_unreachable',
      message: 'The camera source could not be reached; retrying.',
      end: 'source',
      attempt: expect.any(Number) as number,
    });
    expect(source?.error?.detail).toContain('ECONNREFUSED');
    expect(source?.error?.attempt).toBeGreaterThanOrEqual(2);
    const retryAt = Date.parse(source?.error?.retry_at ?? '');
    expect(retryAt).toBeGreaterThan(Date.parse(source?.error?.at ?? ''));
    expect(retryAt).toBeLessThan(Date.now() + 16_000);

    const lost = s.logs.lines.filter((l) => l.event === 'source_lost');
    expect(lost.at(-1)).toMatchObject({
      code: 'source_unreachable',
      attempt: expect.any(Number) as number,
      retry_at: expect.any(String) as string,
    });
  });
});
