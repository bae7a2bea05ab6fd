import { describe, expect, it } from 'vitest';
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
