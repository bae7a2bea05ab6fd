import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPreflightViaStation } from '../../../src/main/sim/preflight-station';
import { createStation } from '../../../src/main/station';
import { formatPreflight, runPreflight } from '../../../src/main/sim/preflight';

describe('runPreflight', () => {
  it('measures the asked built-in pipelines and derives a safe rate per camera', async () => {
    const report = await runPreflight({
      width: 320,
      height: 180,
      cameras: 3,
      seconds: 0.3,
      concurrency: 2,
      headroom: 0.5,
      maxFps: 1000,
      pipelines: ['metadata', 'noop'],
    });
    expect(report.rows.map((r) => r.pipeline).sort()).toEqual(['metadata', 'noop']);
    for (const row of report.rows) {
      expect(row.frames).toBeGreaterThan(0);
      expect(row.failures).toBe(0);
      expect(row.safeFpsPerCamera).toBe(
        Math.min(1000, Math.floor((row.framesPerSecond * 0.5) / 3)),
      );
    }
    const text = formatPreflight(report).join('\n');
    expect(text).toContain('metadata');
    expect(text).toContain('safe fps/camera (3 cameras)');
  });
});

describe('runPreflightViaStation', () => {
  it('measures built-in pipelines end to end through a running station', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-preflight-test-'));
    const station = createStation({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent' });
    try {
      const { port } = await station.start();
      const report = await runPreflightViaStation({
        url: `ws://127.0.0.1:${port}`,
        width: 160,
        height: 120,
        cameras: 2,
        seconds: 0.3,
        concurrency: 2,
        headroom: 0.7,
        pipelines: ['noop', 'metadata'],
      });
      expect(report.mode).toBe('station');
      expect(report.rows.map((r) => r.pipeline).sort()).toEqual(['metadata', 'noop']);
      for (const row of report.rows) {
        expect(row.frames).toBeGreaterThan(0);
        expect(row.failures).toBe(0);
      }
      // Every camera left: the station has no session left over.
      expect(station.snapshot().sessions).toEqual([]);
    } finally {
      await station.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
