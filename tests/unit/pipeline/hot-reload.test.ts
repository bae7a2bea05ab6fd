import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnginePipelineCatalog } from '../../../src/main/pipeline/catalog';
import { frame, solidJpeg, tempDir, testCatalog } from './helpers';

const definition = (id: string, ms: number, extra: object = {}) =>
  JSON.stringify({
    id,
    name: id,
    description: 'test',
    nodes: [{ id: 'wait', op: 'delay', params: { ms } }],
    outputs: ['wait'],
    ...extra,
  });

/** Resolves at the next onChange whose catalog state satisfies `ready`. */
function changed(catalog: EnginePipelineCatalog, ready: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no matching onChange within 10 s'));
    }, 10_000);
    const off = catalog.onChange(() => {
      if (!ready()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('pipeline hot reload', () => {
  let base: { dir: string; cleanup: () => Promise<void> };
  let userDir: string;
  let ctx: ReturnType<typeof testCatalog>;

  beforeEach(async () => {
    base = await tempDir('reload-test-');
    userDir = join(base.dir, 'pipelines');
    ctx = testCatalog({ userDir, dataDir: base.dir }, { watch: true, reloadDebounceMs: 50 });
    await ctx.catalog.start();
  });
  afterEach(async () => {
    await ctx.catalog.stop();
    await base.cleanup();
  });

  it('adding, changing and removing a file takes effect without restart; sessions keep their version', async () => {
    const { catalog, records } = ctx;
    const file = join(userDir, 'lab.json');

    let next = changed(catalog, () => catalog.get('lab') !== undefined);
    await writeFile(file, definition('lab', 1));
    await next;
    const first = catalog.get('lab')!;
    expect(records.some((r) => r.event === 'pipeline_loaded' && r.pipeline_id === 'lab')).toBe(
      true,
    );

    next = changed(catalog, () => catalog.get('lab')?.version !== first.version);
    await writeFile(file, definition('lab', 2));
    await next;
    const second = catalog.get('lab')!;
    const jpeg = await solidJpeg(8, 8, { r: 0, g: 0, b: 0 });
    expect((await second.run(frame(jpeg))).result).toEqual({ wait: { ms: 2 } });

    next = changed(catalog, () => catalog.get('lab') === undefined);
    await rm(file);
    await next;
    expect(catalog.list().map((p) => p.id)).not.toContain('lab');
    expect(records.some((r) => r.event === 'pipeline_removed' && r.pipeline_id === 'lab')).toBe(
      true,
    );
    // A session still holding the old version can keep running it.
    expect((await second.run(frame(jpeg))).result).toEqual({ wait: { ms: 2 } });
  });

  it('an invalid file is listed with its error and never takes a valid one down', async () => {
    const { catalog, records } = ctx;
    const next = changed(
      catalog,
      () => catalog.get('good') !== undefined && catalog.errors().length === 3,
    );
    await writeFile(join(userDir, 'good.json'), definition('good', 1));
    await writeFile(join(userDir, 'broken.json'), '{"id": "broken", ');
    await writeFile(join(userDir, 'range.json'), definition('range', 99_999));
    await writeFile(join(userDir, 'notes.txt'), 'ignored: not a .json file');
    await writeFile(join(userDir, 'inspect.json'), definition('inspect', 1));
    await next;
    expect(catalog.errors()).toEqual([
      {
        file: 'broken.json',
        error:
          'broken.json: not valid JSON at line 1, column 18 (Expected double-quoted property name)',
      },
      {
        file: 'inspect.json',
        error:
          'inspect.json: field "id": "inspect" is a built-in pipeline and cannot be replaced; give this pipeline another id',
      },
      {
        file: 'range.json',
        error:
          'range.json: node "wait" field "params.ms": must be a whole number between 0 and 10000, got 99999',
      },
    ]);
    expect(catalog.get('inspect')!.summary.source).toBe('builtin');
    expect(records.filter((r) => r.event === 'pipeline_invalid').map((r) => r.file)).toEqual([
      'broken.json',
      'inspect.json',
      'range.json',
    ]);
  });

  it('a second file with the same id is rejected, naming the first', async () => {
    const { catalog } = ctx;
    const next = changed(
      catalog,
      () => catalog.errors().length === 1 && catalog.get('twin') !== undefined,
    );
    await writeFile(join(userDir, 'a.json'), definition('twin', 1));
    await writeFile(join(userDir, 'b.json'), definition('twin', 2));
    await next;
    expect(catalog.errors()).toEqual([
      {
        file: 'b.json',
        error:
          'b.json: field "id": pipeline "twin" is already defined in a.json; give this pipeline another id',
      },
    ]);
    expect((await catalog.get('twin')!.run(frame(Buffer.alloc(4)))).result).toEqual({
      wait: { ms: 1 },
    });
  });

  it('breaking a valid file removes it and lists the error; fixing it brings it back', async () => {
    const { catalog } = ctx;
    const file = join(userDir, 'flip.json');
    let next = changed(catalog, () => catalog.get('flip') !== undefined);
    await writeFile(file, definition('flip', 1));
    await next;
    next = changed(
      catalog,
      () => catalog.get('flip') === undefined && catalog.errors().length === 1,
    );
    await writeFile(file, definition('flip', 1, { outputs: ['nope'] }));
    await next;
    expect(catalog.errors()[0]!.error).toBe(
      'flip.json: field "outputs": unknown node "nope"; outputs must name nodes of this pipeline',
    );
    next = changed(
      catalog,
      () => catalog.get('flip') !== undefined && catalog.errors().length === 0,
    );
    await writeFile(file, definition('flip', 3));
    await next;
  });
});
