/** `npm run simulate` as the README promises: per camera what was sent, processed and dropped. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeStation, startStation, type TestStation } from '../helpers/station';

const ROOT = resolve(__dirname, '..', '..');
let station: TestStation | null = null;
afterEach(async () => {
  station = await disposeStation(station);
});

function simulate(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/simulate.ts', ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    child.on('close', (code) => done({ code, stdout }));
  });
}

describe('npm run simulate', () => {
  it('ends with a line per camera (sent, processed, dropped) and the totals', async () => {
    station = await startStation();
    const run = await simulate([
      ...['--url', station.url(), '--cameras', '2', '--fps', '5', '--seconds', '2'],
      ...['--pipeline', 'noop', '--size', '320x180', '--ring', '4'],
    ]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const header = lines.findIndex((l) => /^camera\s+sent\s+processed\s+dropped/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    const rows = lines.slice(header + 1, header + 3);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^sim-\S+\s+\d+\s+\d+\s+\d+/);
    expect(lines[header + 3]).toMatch(/^total\s+\d+/);
    expect(run.stdout).toMatch(/Summary after/);
  }, 60_000);
});
