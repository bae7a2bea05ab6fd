/**
 * The message budget over real sockets: a tiny-frame flood is closed with 4029
 * (too_many_frames), while a camera that waits for each reply, however fast, is
 * never closed by it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tinyJpeg } from '../../bench/fuzz/decode-bombs';
import {
  TestCamera,
  disposeStation,
  makeDataDir,
  makeJpeg,
  slowPipeline,
  startStation,
  writePipeline,
  type TestStation,
} from '../helpers/station';

const MAX_FPS = 5;

/** Sends bursts of tiny frames until the socket closes or `limit` frames went. */
async function flood(camera: TestCamera, limit: number): Promise<number> {
  const frame = tinyJpeg();
  let sent = 0;
  let open = true;
  void camera.closed.then(() => (open = false));
  while (open && sent < limit) {
    for (let i = 0; i < 10 && sent < limit; i++, sent++) camera.send(frame);
    await new Promise((r) => setTimeout(r, 10));
  }
  return sent;
}

/** Sends `count` frames, each after the previous one's reply. */
async function closedLoop(camera: TestCamera, jpeg: Buffer, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    camera.send(jpeg);
    await camera.until((m) => m.filter((r) => r.frame_index === i).length === 1);
  }
}

describe('message budget', () => {
  let s: TestStation | null = null;
  afterEach(async () => {
    s = await disposeStation(s);
  });

  it('closes a tiny-frame flood with 4029; a fast closed-loop camera beside it stays open', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 100));
    s = await startStation({ maxFps: MAX_FPS }, dataDir);
    const flooder = new TestCamera(s.url({ pipeline_id: 'slow', camera_id: 'flood' }));
    const camera = new TestCamera(s.url({ pipeline_id: 'noop', camera_id: 'real' }));
    await Promise.all([flooder.opened, camera.opened]);
    expect(flooder.hello().max_fps).toBe(MAX_FPS);

    const jpeg = await makeJpeg(64, 48);
    const [sent] = await Promise.all([flood(flooder, 20_000), closedLoop(camera, jpeg, 300)]);
    const closed = await flooder.closed;
    expect(closed).toEqual({ code: 4029, reason: 'too_many_frames' });
    expect(sent).toBeLessThan(20_000);
    expect(flooder.messages.find((m) => m.error === 'too_many_frames')).toBeDefined();

    // 300 frames back to back, far more than MAX_FPS a second: every one answered, no close.
    expect(camera.replies().filter((r) => r.result !== undefined)).toHaveLength(300);
    expect(camera.ws.readyState).toBe(camera.ws.OPEN);
    const metrics = await (await fetch(s.http('/metrics'))).text();
    expect(metrics).toContain('stream_frames_rejected_total{code="too_many_frames"} 1');
    camera.close();
  });
});
