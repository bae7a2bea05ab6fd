/**
 * Work that outlives its node timeout (a decode on the thread pool cannot be
 * stopped) keeps its pipeline slot until it really ends, and a camera whose
 * frames keep timing out is closed with 4008.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  TestCamera,
  disposeStation,
  makeDataDir,
  makeJpeg,
  startStation,
  writePipeline,
  type TestStation,
} from '../helpers/station';

const STUCK_MS = 700;

function stuckPipeline(): Record<string, unknown> {
  return {
    id: 'stuck',
    name: 'Stuck',
    nodes: [{ id: 'wait', op: 'delay', params: { ms: STUCK_MS }, timeout_ms: 50 }],
    outputs: ['wait'],
  };
}

describe('timed-out work', () => {
  let s: TestStation | null = null;
  afterEach(async () => {
    s = await disposeStation(s);
  });

  it('keeps its pipeline slot until it ends: another camera waits for it, not beside it', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, stuckPipeline());
    s = await startStation({ pipelineSlots: 1 }, dataDir);
    const jpeg = await makeJpeg(64, 48);
    const stuck = new TestCamera(s.url({ pipeline_id: 'stuck', camera_id: 'stuck' }));
    const other = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'other' }));
    await Promise.all([stuck.opened, other.opened]);

    const sentAt = Date.now();
    stuck.send(jpeg);
    await stuck.until((m) => m.some((r) => r.frame_index === 1));
    const answeredAt = Date.now();
    expect(stuck.replies()[0]).toMatchObject({
      result: { error: 'pipeline_failure', node: 'wait', detail: 'timed out after 50 ms' },
    });
    // The reply came at the timeout; the delay still runs and holds the only slot.
    expect(answeredAt - sentAt).toBeLessThan(STUCK_MS);
    other.send(jpeg);
    await other.until((m) => m.some((r) => r.frame_index === 1));
    expect(other.replies()[0]).toMatchObject({ result: { bytes: { bytes: jpeg.length } } });
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(STUCK_MS - 20);
    stuck.close();
    other.close();
  });

  it('closes a session whose frames time out 3 times in a row with 4008 pipeline_timeouts', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, stuckPipeline());
    s = await startStation({}, dataDir);
    const jpeg = await makeJpeg(64, 48);
    const cam = new TestCamera(s.url({ pipeline_id: 'stuck', camera_id: 'slowpoke' }));
    await cam.opened;
    for (let i = 1; i <= 3; i++) {
      cam.send(jpeg);
      await cam.until((m) => m.some((r) => r.frame_index === i));
    }
    const closed = await cam.closed;
    expect(closed).toEqual({ code: 4008, reason: 'pipeline_timeouts' });
    expect(cam.messages.at(-1)).toEqual({
      error: 'pipeline_timeouts',
      detail: "3 frames in a row outlived their pipeline's node timeout",
    });
    expect(s.logs.lines.find((l) => l.event === 'pipeline_timeouts')).toMatchObject({
      camera_id: 'slowpoke',
    });
  });
});
