/** Pipeline files edited while a camera streams, over real sockets. */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  makeDataDir,
  makeJpeg,
  removeDir,
  startStation,
  TestCamera,
  writePipeline,
  type Message,
  type TestStation,
} from '../helpers/station';

let current: TestStation | null = null;
afterEach(async () => {
  if (current) {
    await current.close();
    removeDir(current.dataDir);
    current = null;
  }
});

const lab = (op: string) => ({
  id: 'lab',
  name: 'Lab',
  description: `measures ${op}`,
  nodes: [{ id: op, op }],
  outputs: [op],
});

/** Sends frames one at a time until a result satisfies `done` (bounded). */
async function streamUntil(cam: TestCamera, jpeg: Buffer, done: (reply: Message) => boolean) {
  for (let i = 0; i < 200; i++) {
    const before = cam.replies().length;
    cam.send(jpeg);
    await cam.until((m) => m.filter((x) => typeof x.frame_index === 'number').length > before);
    const reply = cam.replies().at(-1)!;
    if (done(reply)) return reply;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the results never changed');
}

describe('pipeline hot reload over a live camera', () => {
  it('a changed file changes the results at a next frame; a removed one keeps the session on its last version', async () => {
    const dataDir = makeDataDir();
    const file = writePipeline(dataDir, lab('bytes'));
    current = await startStation({}, dataDir);
    const cam = new TestCamera(current.url({ pipeline_id: 'lab', camera_id: 'reload-cam' }));
    await cam.opened;
    const jpeg = await makeJpeg(320, 240);

    const first = await streamUntil(cam, jpeg, () => true);
    expect(first.result).toEqual({ bytes: { bytes: jpeg.length } });
    const v1 = (first.pipeline as { version: string }).version;

    writePipeline(dataDir, lab('metadata'));
    const changed = await streamUntil(cam, jpeg, (r) => 'metadata' in (r.result as object));
    expect(changed.result).toEqual({
      metadata: expect.objectContaining({ width: 320, height: 240, format: 'jpeg' }) as unknown,
    });
    const v2 = (changed.pipeline as { version: string }).version;
    expect(v2).not.toBe(v1);

    rmSync(file);
    const deadline = Date.now() + 10_000;
    while (current.station.snapshot().pipelines.some((p) => p.id === 'lab')) {
      if (Date.now() > deadline) throw new Error('lab never left the list');
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await streamUntil(cam, jpeg, () => true);
    expect(after.pipeline).toEqual({ id: 'lab', version: v2 });
    expect('metadata' in (after.result as object)).toBe(true);

    // A new camera cannot pick the removed pipeline.
    const late = new TestCamera(current.url({ pipeline_id: 'lab', camera_id: 'late-cam' }));
    await late.opened;
    await late.until((m) => m.some((x) => x.error === 'invalid_pipeline'));
    expect((await late.closed).code).toBe(1008);
    cam.close();
  });

  it('an invalid file shows up in the pipeline errors and leaves the valid ones running', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, lab('bytes'));
    current = await startStation({}, dataDir);
    writePipeline(dataDir, { ...lab('bytes'), id: 'broken', outputs: ['nowhere'] }, 'broken.json');
    const deadline = Date.now() + 10_000;
    while (current.station.snapshot().pipeline_errors.length === 0) {
      if (Date.now() > deadline) throw new Error('no pipeline error listed');
      await new Promise((r) => setTimeout(r, 50));
    }
    const response = await fetch(current.http('/api/pipelines/errors'));
    expect(await response.json()).toEqual([
      {
        file: 'broken.json',
        error:
          'broken.json: field "outputs": unknown node "nowhere"; outputs must name nodes of this pipeline',
      },
    ]);
    expect(
      current.logs.lines.some((l) => l.event === 'pipeline_invalid' && l.file === 'broken.json'),
    ).toBe(true);
    const cam = new TestCamera(current.url({ pipeline_id: 'lab', camera_id: 'still-fine' }));
    await cam.opened;
    const jpeg = await makeJpeg(64, 64);
    const reply = await streamUntil(cam, jpeg, () => true);
    expect(reply.result).toEqual({ bytes: { bytes: jpeg.length } });
    cam.close();
  });
});
