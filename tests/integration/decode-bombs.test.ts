/**
 * Decode bombs over a real socket: a progressive JPEG with thousands of scans
 * is refused before any decode (invalid_jpeg, 1007) while a real camera beside
 * it keeps getting results.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { progressiveScanBomb } from '../../bench/fuzz/decode-bombs';
import {
  TestCamera,
  disposeStation,
  makeJpeg,
  startStation,
  type TestStation,
} from '../helpers/station';

describe('decode bombs', () => {
  let s: TestStation | null = null;
  afterEach(async () => {
    s = await disposeStation(s);
  });

  it('refuses a progressive scan bomb as invalid_jpeg (1007); the camera beside it is served', async () => {
    s = await startStation();
    const camera = new TestCamera(s.url({ pipeline_id: 'inspect', camera_id: 'real' }));
    await camera.opened;
    const jpeg = await makeJpeg(640, 480);
    const bomb = await progressiveScanBomb(12_000);
    expect(bomb.length).toBeGreaterThan(400_000);

    const attackers = [1, 2, 3].map(
      (i) => new TestCamera(s!.url({ pipeline_id: 'inspect', camera_id: `bomb-${i}` })),
    );
    await Promise.all(attackers.map((a) => a.opened));
    for (const attacker of attackers) attacker.send(bomb);
    for (let i = 0; i < 5; i++) camera.send(jpeg);

    for (const attacker of attackers) {
      expect((await attacker.closed).code).toBe(1007);
      expect(attacker.messages.at(-1)).toEqual({
        error: 'invalid_jpeg',
        detail: 'Refused JPEG: more than 64 scans (a decode bomb)',
      });
      expect(attacker.replies()).toEqual([]);
    }
    await camera.until((m) => m.filter((r) => typeof r.frame_index === 'number').length === 5);
    const results = camera.replies().filter((r) => r.result !== undefined);
    expect(results.some((r) => !JSON.stringify(r.result).includes('pipeline_failure'))).toBe(true);
    const metrics = await (await fetch(s.http('/metrics'))).text();
    expect(metrics).toContain('stream_frames_rejected_total{code="invalid_jpeg"} 3');
    // No decode ran for a refused frame.
    expect(metrics).not.toMatch(/pipeline_failures_total\{pipeline_id="inspect"/);
    camera.close();
  });
});
