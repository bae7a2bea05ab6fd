/**
 * `npm run bench:pipelines`: ms per frame of each built-in pipeline at 640x480
 * and 1280x720, one frame at a time, beside the same work written directly on
 * sharp (bench/pipelines/raw.ts), alternating in rounds within the same run;
 * then frames/s of the `bench` pipeline with two frames in flight.
 * Writes bench/results/pipelines-<time>.{json,md}.
 * Env: BENCH_ROUNDS (6), BENCH_FRAMES per round (60), BENCH_THROUGHPUT_MS (3000),
 * BENCH_ONLY (comma-separated pipeline ids).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import sharp from 'sharp';
import { createMetrics } from '../../src/main/observe/metrics';
import { createPipelineCatalog } from '../../src/main/pipeline/catalog';
import { createFrameSource } from '../../src/main/sim/frame-source';
import { rawPipelines, type RawPipeline } from './raw';

const ALL_PIPELINES = ['noop', 'metadata', 'inspect', 'motion', 'record', 'bench'];
/** BENCH_ONLY=inspect,bench narrows the table (e.g. to repeat a noisy row). */
const PIPELINES = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ALL_PIPELINES;
const SIZES = [
  [640, 480],
  [1280, 720],
] as const;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const FRAMES_PER_ROUND = Number(process.env.BENCH_FRAMES ?? 60);
const THROUGHPUT_MS = Number(process.env.BENCH_THROUGHPUT_MS ?? 3000);

type Work = (frameIndex: number) => Promise<unknown>;

interface BlockTime {
  wall: number;
  cpu: number;
}

/** Wall and CPU (all threads of the process) ms per frame over `count` frames. */
async function timeBlock(work: Work, first: number, count: number): Promise<BlockTime> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await work(first + i);
  const cpu = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / count, cpu: (cpu.user + cpu.system) / 1000 / count };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Frames/s and CPU ms per frame with `inFlight` frames processed at once, for `ms` milliseconds. */
async function throughput(
  work: Work,
  inFlight: number,
  ms: number,
): Promise<{ fps: number; cpu: number }> {
  let done = 0;
  let next = 1;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await work(next++);
        done++;
      }
    }),
  );
  const cpu = process.cpuUsage(c0);
  return {
    fps: done / ((performance.now() - t0) / 1000),
    cpu: (cpu.user + cpu.system) / 1000 / done,
  };
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pipelines-'));
  const catalog = createPipelineCatalog({
    userDir: join(dataDir, 'pipelines'),
    dataDir,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics('bench'),
    watch: false,
  });
  await catalog.start();
  const rows: Record<string, unknown>[] = [];
  const lines: string[] = [
    `# Pipeline engine vs raw sharp`,
    '',
    `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? '?'} · load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} · UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
    '',
    `One frame at a time; median of ${ROUNDS} alternating rounds of ${FRAMES_PER_ROUND} frames.`,
    '',
    'Wall = elapsed ms per frame; CPU = CPU ms per frame over all threads (less sensitive to other load).',
    '',
    '| pipeline | size | frame KiB | engine wall | raw wall | wall ratio | engine CPU | raw CPU | CPU ratio |',
    '|---|---|---|---|---|---|---|---|---|',
  ];

  for (const [width, height] of SIZES) {
    const source = await createFrameSource({ width, height, cameraId: 'bench', ringSize: 10 });
    const frames = source.frames;
    for (const id of PIPELINES) {
      const pipeline = catalog.get(id);
      if (!pipeline) throw new Error(`no built-in pipeline "${id}"`);
      const sessionId = `bench-${id}-${width}`;
      const engine: Work = async (i) => {
        const reply = await pipeline.run({
          frameIndex: i,
          imageBytes: frames[i % frames.length]!,
          session: { sessionId, cameraId: 'bench' },
        });
        if (reply.failure) throw new Error(`${id}: ${reply.failure.node}: ${reply.failure.detail}`);
      };
      const raws = rawPipelines(join(dataDir, 'raw-recordings', `${id}-${width}`));
      const rawFn: RawPipeline = raws[id]!;
      const raw: Work = (i) => rawFn(frames[i % frames.length]!, i);

      // Warm up both (JIT, libvips caches, directories).
      await timeBlock(engine, 1, 20);
      await timeBlock(raw, 1, 20);
      const engineMs: BlockTime[] = [];
      const rawMs: BlockTime[] = [];
      let index = 100;
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which goes first so drift in machine load hits both alike.
        const pair: [Work, BlockTime[]][] =
          round % 2
            ? [
                [raw, rawMs],
                [engine, engineMs],
              ]
            : [
                [engine, engineMs],
                [raw, rawMs],
              ];
        for (const [work, into] of pair) {
          into.push(await timeBlock(work, index, FRAMES_PER_ROUND));
          index += FRAMES_PER_ROUND;
        }
      }
      catalog.releaseSession(sessionId);
      const e = {
        wall: median(engineMs.map((b) => b.wall)),
        cpu: median(engineMs.map((b) => b.cpu)),
      };
      const r = { wall: median(rawMs.map((b) => b.wall)), cpu: median(rawMs.map((b) => b.cpu)) };
      const row = {
        pipeline: id,
        width,
        height,
        frame_bytes: Math.round(source.meanBytes),
        engine_wall_ms: e.wall,
        raw_wall_ms: r.wall,
        wall_ratio: e.wall / r.wall,
        engine_cpu_ms: e.cpu,
        raw_cpu_ms: r.cpu,
        cpu_ratio: e.cpu / r.cpu,
      };
      rows.push(row);
      lines.push(
        `| ${id} | ${width}x${height} | ${(source.meanBytes / 1024).toFixed(0)} | ${e.wall.toFixed(3)} | ${r.wall.toFixed(3)} | ${row.wall_ratio.toFixed(3)} | ${e.cpu.toFixed(3)} | ${r.cpu.toFixed(3)} | ${row.cpu_ratio.toFixed(3)} |`,
      );
      console.log(lines[lines.length - 1]);
    }
  }

  // Throughput of the reference workload, two frames in flight (2 cores).
  const source = await createFrameSource({
    width: 1280,
    height: 720,
    cameraId: 'bench',
    ringSize: 10,
  });
  const bench = catalog.get('bench')!;
  const rawBench = rawPipelines(join(dataDir, 'unused')).bench!;
  const engineWork: Work = (i) =>
    bench.run({
      frameIndex: i,
      imageBytes: source.frames[i % source.frames.length]!,
      session: { sessionId: 'throughput', cameraId: 'bench' },
    });
  const rawWork: Work = (i) => rawBench(source.frames[i % source.frames.length]!, i);
  const cores = cpus().length;
  const summary = (list: { fps: number; cpu: number }[]) => ({
    fps: median(list.map((r) => r.fps)),
    cpu: median(list.map((r) => r.cpu)),
  });
  const describe = (run: { fps: number; cpu: number }) =>
    `${run.fps.toFixed(0)} frames/s (${run.cpu.toFixed(2)} CPU ms/frame: at most ` +
    `${((cores * 1000) / run.cpu).toFixed(0)} frames/s on ${cores} idle cores)`;
  const throughputs: Record<string, { engine: unknown; raw: unknown }> = {};
  lines.push('', `\`bench\` at 1280x720, 2 frames in flight:`, '');
  // libvips splits each image over `concurrency` threads; with several frames in
  // flight one thread per image avoids oversubscribing the cores.
  const defaultConcurrency = sharp.concurrency();
  // sharp's default is 1 on glibc Linux (no jemalloc), the cores elsewhere: try both.
  const other = defaultConcurrency === 1 ? cores : 1;
  for (const concurrency of [defaultConcurrency, other]) {
    sharp.concurrency(concurrency);
    await throughput(engineWork, 2, 500);
    await throughput(rawWork, 2, 500);
    const runs: Record<'engine' | 'raw', { fps: number; cpu: number }[]> = { engine: [], raw: [] };
    for (let round = 0; round < 2; round++) {
      runs.engine.push(await throughput(engineWork, 2, THROUGHPUT_MS / 2));
      runs.raw.push(await throughput(rawWork, 2, THROUGHPUT_MS / 2));
    }
    const engineRun = summary(runs.engine);
    const rawRun = summary(runs.raw);
    throughputs[`concurrency_${concurrency}`] = { engine: engineRun, raw: rawRun };
    lines.push(
      `- sharp.concurrency(${concurrency}): engine ${describe(engineRun)}; raw sharp ${describe(rawRun)}`,
    );
    console.log(lines[lines.length - 1]);
  }
  sharp.concurrency(defaultConcurrency);

  await catalog.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = join(__dirname, '..', 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, `pipelines-${stamp}.json`),
    JSON.stringify({ rows, throughput: throughputs }, null, 2),
  );
  writeFileSync(join(outDir, `pipelines-${stamp}.md`), `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}\n\nwritten to bench/results/pipelines-${stamp}.md`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
