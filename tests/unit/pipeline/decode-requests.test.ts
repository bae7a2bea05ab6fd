/**
 * A pipeline's usual pixel work carried by the decode: after the first frame,
 * the measuring nodes' requests ride along with the next decodes (one pool job
 * per frame), and the results are the ones the separate analyse call gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jpegDecoder } from '../../../src/main/pipeline/decode';
import { nativeAddon } from '../../../src/main/pipeline/native';
import { compileTest, frame, sceneJpeg } from './helpers';

const native = it.skipIf(jpegDecoder().name !== 'turbojpeg');
const builtin = (id: string): object =>
  JSON.parse(
    readFileSync(join(__dirname, '../../../src/main/pipeline/builtins', `${id}.json`), 'utf8'),
  ) as object;

/** Counts the addon's pool jobs of each kind while `run` runs. */
async function countJobs(run: () => Promise<void>) {
  const addon = nativeAddon()!;
  const analyse = vi.spyOn(addon, 'analyse');
  const decode = vi.spyOn(addon, 'decode');
  await run();
  const counts = { analyse: analyse.mock.calls.length, decode: decode.mock.calls.length };
  const carried = decode.mock.calls.map((call) => call[4]?.length ?? 0);
  return { ...counts, carried };
}

afterEach(() => vi.restoreAllMocks());

describe('requests carried by the decode', () => {
  native('bench: one pool job per frame after the first, the same results', async () => {
    const { pipeline } = compileTest(builtin('bench'));
    const jpegs = [await sceneJpeg(1280, 720, false, 3), await sceneJpeg(1280, 720, false, 4)];
    const first = await pipeline.run(frame(jpegs[0]!, 1));
    const outcomes: (typeof first)[] = [];
    const jobs = await countJobs(async () => {
      for (let i = 0; i < 4; i++) outcomes.push(await pipeline.run(frame(jpegs[i % 2]!, i + 2)));
    });
    expect(first.failure).toBeUndefined();
    expect(jobs).toEqual({ analyse: 0, decode: 4, carried: [3, 3, 3, 3] });
    // Frame 1 went through analyse(); frames 2 and 4 (the same JPEG) carry that work in the decode.
    expect(outcomes[0]!.result).toEqual(first.result);
    expect(outcomes[2]!.result).toEqual(first.result);
    expect(outcomes[0]!.thumbnail).toEqual(first.thumbnail);
    expect(outcomes[1]!.result).toEqual(outcomes[3]!.result);
    expect(outcomes[1]!.result).not.toEqual(first.result);
  });

  native('motion: the comparison with the previous frame keeps its own job', async () => {
    const { pipeline } = compileTest(builtin('motion'));
    const jpegs = await Promise.all([5, 6, 7].map((seed) => sceneJpeg(640, 480, true, seed)));
    await pipeline.run(frame(jpegs[0]!, 1));
    const outcomes: Awaited<ReturnType<typeof pipeline.run>>[] = [];
    const jobs = await countJobs(async () => {
      for (let i = 1; i <= 12; i++) outcomes.push(await pipeline.run(frame(jpegs[i % 3]!, i + 1)));
    });
    for (const outcome of outcomes) expect(outcome.failure).toBeUndefined();
    // Each frame compared with the one before: three different pairs, in turn.
    const motion = outcomes.map((o) => JSON.stringify(o.result['motion'] ?? null));
    expect(new Set(motion).size).toBe(3);
    expect(motion[3]).toBe(motion[0]);
    expect(jobs.decode).toBe(12);
    expect(jobs.analyse).toBe(12);
    // What the first frame asked without anything to compare with stops riding along.
    expect(jobs.carried.at(-1)!).toBeLessThan(jobs.carried[0]!);
  });
});
