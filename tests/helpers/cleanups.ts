/** What a test starts, stopped after it, last started first. */
import { afterEach } from 'vitest';
import { removeDir, startStation, type TestStation } from './station';

export interface Cleanups {
  push(cleanup: () => Promise<void>): void;
}

/** Call once at a test file's top level: every cleanup pushed runs after the test. */
export function cleanupsAfterEach(): Cleanups {
  const pending: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of pending.splice(0).reverse()) await cleanup();
  });
  return { push: (cleanup) => void pending.push(cleanup) };
}

/**
 * A station closed after the test, its data folder removed with it unless
 * `keepData` (a folder the test gave and removes itself).
 */
export async function stationForTest(
  cleanups: Cleanups,
  options: Parameters<typeof startStation>[0] = {},
  dataDir?: string,
  { keepData = false } = {},
): Promise<TestStation> {
  const s = await startStation(options, dataDir);
  cleanups.push(async () => {
    await s.close();
    if (!keepData) removeDir(s.dataDir);
  });
  return s;
}
