import { describe, expect, it } from 'vitest';
import type { DecodeEvent, NodeRunEvent } from '../../../src/main/pipeline/frame';
import { compileTest, frame, noiseJpeg, solidJpeg } from './helpers';

describe('pipeline executor', () => {
  it('runs independent branches concurrently (their run intervals overlap)', async () => {
    const runs: NodeRunEvent[] = [];
    const { pipeline } = compileTest(
      {
        id: 'branches',
        name: 'branches',
        nodes: [
          { id: 'left', op: 'delay', params: { ms: 150 } },
          { id: 'right', op: 'delay', params: { ms: 150 } },
          { id: 'join', op: 'bytes', needs: ['left', 'right'] },
        ],
        outputs: ['left', 'right', 'join'],
      },
      { hooks: { onNodeRun: (e) => runs.push(e) } },
    );
    const reply = await pipeline.run(frame(await solidJpeg(16, 16, { r: 0, g: 0, b: 0 })));
    expect(reply.failure).toBeUndefined();
    expect(runs.map((r) => r.node)).toEqual(['left', 'right', 'join']);
    const [left, right, join] = runs as [NodeRunEvent, NodeRunEvent, NodeRunEvent];
    // Each started before the other ended: they ran at the same time.
    expect(right.startedAt).toBeLessThan(left.endedAt);
    expect(left.startedAt).toBeLessThan(right.endedAt);
    // The join waited for both.
    expect(join.startedAt).toBeGreaterThanOrEqual(Math.max(left.endedAt, right.endedAt));
    expect(Object.keys(reply.timings_ms).sort()).toEqual(['join', 'left', 'right', 'total']);
  });

  it('decodes the JPEG once per frame, however many nodes need pixels', async () => {
    const decodes: DecodeEvent[] = [];
    const { pipeline } = compileTest(
      {
        id: 'many',
        name: 'many',
        nodes: [
          { id: 'metadata', op: 'metadata' },
          { id: 'exposure', op: 'exposure' },
          { id: 'sharpness', op: 'sharpness' },
          { id: 'stats', op: 'stats' },
          { id: 'motion', op: 'motion' },
          { id: 'thumb', op: 'thumbnail', params: { width: 200 } },
          { id: 'small', op: 'resize', params: { width: 100 } },
          { id: 'grey', op: 'grayscale', needs: ['small'] },
        ],
        outputs: ['exposure', 'sharpness', 'stats', 'motion', 'thumb', 'grey'],
      },
      { hooks: { onDecode: (e) => decodes.push(e) } },
    );
    const jpeg = await noiseJpeg(1280, 720);
    for (let i = 1; i <= 3; i++) {
      const reply = await pipeline.run(frame(jpeg, i));
      expect(reply.failure).toBeUndefined();
      expect(reply.timings_ms.decode).toBeGreaterThan(0);
    }
    expect(decodes.map((d) => d.frameIndex)).toEqual([1, 2, 3]);
    // Shrink-on-load: decoded at the widest size any node needs (320), in colour.
    expect(decodes[0]).toMatchObject({ width: 320, height: 180, channels: 3 });
  });

  it('decodes small and grey when no node needs more (the bench plan)', async () => {
    const decodes: DecodeEvent[] = [];
    const { pipeline } = compileTest(
      {
        id: 'grey-small',
        name: 'grey-small',
        nodes: [
          { id: 'small', op: 'resize', params: { width: 320 } },
          { id: 'grey', op: 'grayscale', needs: ['small'] },
          { id: 'sharpness', op: 'sharpness', needs: ['grey'], params: { width: 0 } },
        ],
        outputs: ['sharpness'],
      },
      { hooks: { onDecode: (e) => decodes.push(e) } },
    );
    await pipeline.run(frame(await noiseJpeg(1280, 720)));
    expect(decodes).toHaveLength(1);
    expect(decodes[0]).toMatchObject({ width: 320, height: 180, channels: 1 });
  });

  it('does not decode for header-only pipelines', async () => {
    const decodes: DecodeEvent[] = [];
    const { pipeline } = compileTest(
      {
        id: 'header',
        name: 'header',
        nodes: [
          { id: 'm', op: 'metadata' },
          { id: 'b', op: 'bytes' },
        ],
        outputs: ['m', 'b'],
      },
      { hooks: { onDecode: (e) => decodes.push(e) } },
    );
    await pipeline.run(frame(await noiseJpeg(640, 480)));
    expect(decodes).toHaveLength(0);
  });

  it('a node over its timeout fails the frame, naming it; its dependants do not run', async () => {
    const runs: string[] = [];
    const { pipeline, metrics } = compileTest(
      {
        id: 'slow',
        name: 'slow',
        nodes: [
          { id: 'wait', op: 'delay', params: { ms: 2000 }, timeout_ms: 50 },
          { id: 'after', op: 'bytes', needs: ['wait'] },
        ],
        outputs: ['after'],
      },
      { hooks: { onNodeRun: (e) => runs.push(`${e.node}:${e.outcome}`) } },
    );
    const reply = await pipeline.run(frame(Buffer.from([0xff, 0xd8, 0xff, 0xd9])));
    expect(reply.failure).toEqual({
      node: 'wait',
      detail: 'timed out after 50 ms',
      timedOut: true,
    });
    expect(reply.result).toEqual({});
    expect(reply.pipeline.id).toBe('slow');
    expect(runs).toEqual(['wait:timeout']);
    expect(reply.timings_ms.after).toBeUndefined();
    expect(await metrics.registry.getSingleMetricAsString('pipeline_failures_total')).toContain(
      'pipeline_failures_total{pipeline_id="slow",node="wait"} 1',
    );
  });

  it('bytes that do not decode fail the frame without rejecting; the next frame is fine', async () => {
    const { pipeline } = compileTest({
      id: 'pix',
      name: 'pix',
      nodes: [{ id: 'sharp', op: 'sharpness' }],
      outputs: ['sharp'],
    });
    const broken = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      Buffer.alloc(100, 7),
      Buffer.from([0xff, 0xd9]),
    ]);
    const bad = await pipeline.run(frame(broken, 1));
    expect(bad.failure?.node).toBe('sharp');
    expect(bad.failure?.detail).toMatch(/^could not decode the JPEG: /);
    const good = await pipeline.run(frame(await noiseJpeg(64, 64), 2));
    expect(good.failure).toBeUndefined();
    expect(good.result.sharp).toMatchObject({ width: 64 });
  });
});
