import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frame, solidJpeg, tempDir, testCatalog } from './helpers';

/** A user pipeline with `count` delay nodes named n0..n(count-1). */
function manyNodes(id: string, count: number) {
  const nodes = Array.from({ length: count }, (_, i) => ({
    id: `n${i}`,
    op: 'delay',
    params: { ms: 0 },
  }));
  return { id, name: id, nodes, outputs: nodes.map((n) => n.id) };
}

describe('metrics of pipelines that went away', () => {
  let dir: { dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  it("a removed pipeline's series leave /metrics; a new version drops the nodes it no longer has", async () => {
    const userDir = join(dir.dir, 'pipelines');
    await mkdir(userDir);
    const { catalog, metrics } = testCatalog({ userDir, dataDir: dir.dir });
    const file = join(userDir, 'wide.json');
    await writeFile(file, JSON.stringify(manyNodes('wide', 200)));
    await catalog.start();
    const jpeg = await solidJpeg(8, 8, { r: 0, g: 0, b: 0 });
    const run = async () => {
      const pipeline = catalog.get('wide')!;
      metrics.forPipeline('wide').received.inc();
      metrics.forPipeline('wide').processed.inc();
      return pipeline.run(frame(jpeg));
    };
    expect((await run()).failure).toBeUndefined();
    const series = async () =>
      (await metrics.registry.metrics())
        .split('\n')
        .filter((l) => l.includes('pipeline_id="wide"'));
    expect((await series()).length).toBeGreaterThan(200 * 14);

    await writeFile(file, JSON.stringify(manyNodes('wide', 2)));
    await catalog.reload();
    await run();
    const after = await series();
    expect(after.some((l) => l.includes('node="n1"'))).toBe(true);
    expect(after.some((l) => l.includes('node="n2"'))).toBe(false);

    await rm(file);
    await catalog.reload();
    expect(catalog.get('wide')).toBeUndefined();
    expect(await series()).toEqual([]);
    // Built-ins and other pipelines keep theirs.
    await catalog.get('noop')!.run(frame(jpeg));
    expect(await metrics.registry.metrics()).toContain('pipeline_id="noop"');
    await catalog.stop();
  });
});
