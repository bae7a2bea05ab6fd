import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionVersion } from '../../../src/main/pipeline/version';
import noopDefinition from '../../../src/main/pipeline/builtins/noop.json';
import { frame, solidJpeg, tempDir, testCatalog } from './helpers';

describe('pipeline catalog', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  const dirs = () => ({ userDir: join(dir.dir, 'pipelines'), dataDir: dir.dir });

  it('runs the noop built-in: byte count, envelope, version = SHA-256 of the definition', async () => {
    const { catalog } = testCatalog(dirs());
    await catalog.start();
    const jpeg = await solidJpeg(64, 48, { r: 10, g: 20, b: 30 });
    const noop = catalog.get('noop')!;
    const reply = await noop.run(frame(jpeg));
    expect(reply.failure).toBeUndefined();
    expect(reply.result).toEqual({ bytes: { bytes: jpeg.length } });
    expect(reply.pipeline).toEqual({ id: 'noop', version: definitionVersion(noopDefinition) });
    expect(reply.pipeline.version).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(reply.timings_ms).sort()).toEqual(['bytes', 'total']);
    expect(reply.storage).toBe('off');
    await catalog.stop();
  });

  it('runs the metadata built-in on the JPEG header', async () => {
    const { catalog } = testCatalog(dirs());
    await catalog.start();
    const reply = await catalog
      .get('metadata')!
      .run(frame(await solidJpeg(320, 200, { r: 1, g: 2, b: 3 })));
    expect(reply.result.metadata).toMatchObject({
      width: 320,
      height: 200,
      format: 'jpeg',
      orientation: 1,
      chroma_subsampling: '4:2:0',
    });
  });

  it('never rejects: bytes that are not a JPEG give a failure naming the node', async () => {
    const { catalog, metrics } = testCatalog(dirs());
    const reply = await catalog.get('metadata')!.run(frame(Buffer.from('not a jpeg')));
    expect(reply.failure?.node).toBe('metadata');
    expect(reply.failure?.detail).toBeTruthy();
    expect(reply.result).toEqual({});
    const text = await metrics.registry.getSingleMetricAsString('pipeline_failures_total');
    expect(text).toContain('pipeline_failures_total{pipeline_id="metadata",node="metadata"} 1');
  });

  it('records pipeline_node_duration_seconds per node', async () => {
    const { catalog, metrics } = testCatalog(dirs());
    await catalog.get('noop')!.run(frame(await solidJpeg(8, 8, { r: 0, g: 0, b: 0 })));
    const text = await metrics.registry.getSingleMetricAsString('pipeline_node_duration_seconds');
    expect(text).toContain(
      'pipeline_node_duration_seconds_count{pipeline_id="noop",node="bytes"} 1',
    );
  });

  it('loads a user pipeline with delay nodes at start and lists it', async () => {
    const { catalog } = testCatalog(dirs());
    await catalog.start(); // creates the user dir
    await writeFile(
      join(dirs().userDir, 'slow.json'),
      JSON.stringify({
        id: 'slow',
        name: 'Slow',
        description: 'waits',
        nodes: [{ id: 'wait', op: 'delay', params: { ms: 30 } }],
        outputs: ['wait'],
      }),
    );
    await catalog.reload();
    const slow = catalog.get('slow')!;
    expect(slow.summary.source).toBe('user');
    expect(catalog.list().map((p) => p.id)).toContain('slow');
    const reply = await slow.run(frame(Buffer.from([0xff, 0xd8, 0xff, 0xd9])));
    expect(reply.result).toEqual({ wait: { ms: 30 } });
    expect(reply.timings_ms.wait).toBeGreaterThanOrEqual(25);
  });

  it('releaseSession frees motion state, and a late frame of that session does not bring it back', async () => {
    const { catalog } = testCatalog(dirs());
    const motion = catalog.get('motion')!;
    const jpeg = await solidJpeg(320, 240, { r: 90, g: 90, b: 90 });
    await motion.run(frame(jpeg, 1, 'a'));
    await motion.run(frame(jpeg, 1, 'b'));
    expect(catalog.sessionsWithState()).toBe(2);
    catalog.releaseSession('a');
    expect(catalog.sessionsWithState()).toBe(1);
    const late = await motion.run(frame(jpeg, 2, 'a'));
    expect(late.result.motion).toMatchObject({ has_previous: false });
    expect(catalog.sessionsWithState()).toBe(1);
  });

  it('lists built-ins first, then user pipelines by id, each with its nodes and version', async () => {
    const { catalog } = testCatalog(dirs());
    await catalog.start();
    for (const id of ['zeta', 'alpha']) {
      await writeFile(
        join(dirs().userDir, `${id}.json`),
        JSON.stringify({ id, name: id, nodes: [{ id: 'b', op: 'bytes' }], outputs: ['b'] }),
      );
    }
    await catalog.reload();
    const list = catalog.list();
    expect(list.map((p) => p.id)).toEqual([
      'noop',
      'metadata',
      'inspect',
      'motion',
      'record',
      'bench',
      'alpha',
      'zeta',
    ]);
    expect(list.find((p) => p.id === 'inspect')).toMatchObject({
      source: 'builtin',
      outputs: ['metadata', 'exposure', 'sharpness', 'thumbnail'],
    });
    expect(list.find((p) => p.id === 'alpha')!.nodes).toEqual([
      { id: 'b', op: 'bytes', needs: [], params: {} },
    ]);
    await catalog.stop();
  });
});
