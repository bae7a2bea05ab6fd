/**
 * Runs one scenario against a child server: warm-up, a measured window, drain.
 * The flood runs in a load process of its own; watched cameras and the
 * /healthz probe run here, on a quiet event loop, so their latencies are the
 * station's and not the load generator's.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createCameraClient } from '../../src/main/sim/camera-client';
import { totalsOf } from '../../src/main/sim/fleet';
import { createLatencyHistogram } from '../../src/main/sim/latency-histogram';
import { startHealthzProbe } from './healthz-probe';
import { startLoadProcess } from './load-client';
import type { LoadCamera, LoadCounters } from './load-messages';
import { createProcSampler } from './proc-stats';
import type { Scenario, ScenarioResult } from './scenario';
import type { ChildServer } from './station-process';

export interface RunOptions {
  server: ChildServer;
  system: 'station' | 'floor';
  pipeline: string;
  /** Per camera position, the files of its pre-rendered frame ring. */
  frameFiles: string[][];
  warmupSeconds: number;
  seconds: number;
  probeHealthz: boolean;
  progress: (line: string) => void;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runScenario(
  scenario: Scenario,
  options: RunOptions,
): Promise<ScenarioResult> {
  const { server } = options;
  const watch = new Set(scenario.watch ?? []);
  const cameraAt = (i: number): LoadCamera => ({
    cameraId: `bench-${i + 1}`,
    fps: scenario.overrides?.[i]?.fps ?? scenario.fps,
    closedLoop: scenario.overrides?.[i]?.closedLoop ?? scenario.closedLoop,
    frameFiles: options.frameFiles[i % options.frameFiles.length]!,
  });
  const positions = Array.from({ length: scenario.cameras }, (_, i) => i);
  const watched = positions.filter((i) => watch.has(i)).map(cameraAt);
  const flood = positions.filter((i) => !watch.has(i)).map(cameraAt);

  const loadBefore = loadavg();
  const load = startLoadProcess();
  await load.start(server.url, options.pipeline, flood);
  const local = watched.map((camera) => {
    let cursor = 0;
    const frames = camera.frameFiles.map((f) => readFileSync(f));
    return createCameraClient({
      url: server.url,
      cameraId: camera.cameraId,
      pipelineId: options.pipeline,
      fps: camera.fps,
      closedLoop: camera.closedLoop,
      frames: { next: () => frames[cursor++ % frames.length]! },
    });
  });
  await Promise.all(local.map((c) => c.start()));

  const sampler = createProcSampler(server.pid);
  const loadSampler = createProcSampler(load.pid);
  const probe = options.probeHealthz ? startHealthzProbe(server.httpBase) : null;
  const counters = async (): Promise<LoadCounters> => {
    const remote = await load.counters();
    const mine = totalsOf(local);
    return {
      ...remote,
      cameras: remote.cameras + mine.cameras,
      sent: remote.sent + mine.sent,
      processed: remote.processed + mine.processed,
      dropped: remote.dropped + mine.dropped,
      slowDowns: remote.slowDowns + mine.slowDowns,
    };
  };
  const tick = async (label: string, elapsed: number, total: number, since: LoadCounters) => {
    const now = await counters();
    const rss = (sampler.samples[sampler.samples.length - 1]?.rssBytes ?? 0) / MiB;
    options.progress(
      `${scenario.id} ${label} ${elapsed.toFixed(0)}/${total}s  ` +
        `${((now.processed - since.processed) / Math.max(elapsed, 0.001)).toFixed(0)} frames/s  ` +
        `dropped ${now.dropped - since.dropped}  p99 ${now.p99.toFixed(1)} ms  rss ${rss.toFixed(0)} MiB`,
    );
  };

  const warmStart = Date.now();
  const warmBase = await counters();
  while (Date.now() - warmStart < options.warmupSeconds * 1000) {
    await sleep(500);
    await tick('warm-up', (Date.now() - warmStart) / 1000, options.warmupSeconds, warmBase);
  }

  for (const client of local) client.latency.reset();
  await load.reset();
  probe?.reset();
  const base = await counters();
  const cpuStart = sampler.mark();
  const loadCpuStart = loadSampler.mark();
  const windowStart = Date.now();
  // A watched camera's window: the frames it sends from now until it stops, each with its
  // own reply (a reply to a frame sent during the warm-up is not counted).
  const watchedWindow = local.map((client) => {
    const firstIndex = client.stats().sent + 1;
    const own = { processed: 0, dropped: 0, latency: createLatencyHistogram(), firstIndex };
    client.subscribe((event) => {
      if (event.type === 'result' && event.frameIndex >= firstIndex) {
        own.processed++;
        own.latency.record(event.latencyMs);
      } else if (event.type === 'dropped' && event.frameIndex >= firstIndex) {
        own.dropped++;
      }
    });
    return own;
  });
  while (Date.now() - windowStart < options.seconds * 1000) {
    await sleep(1000);
    await tick('measuring', (Date.now() - windowStart) / 1000, options.seconds, base);
  }
  const end = await counters();
  const cpuEnd = sampler.mark();
  const loadCpuEnd = loadSampler.mark();
  const windowSeconds = (Date.now() - windowStart) / 1000;
  await probe?.stop();
  await Promise.all(local.map((c) => c.stop(5000)));
  const stopped = await load.stop();
  sampler.stop();
  loadSampler.stop();

  const latency = createLatencyHistogram();
  for (const snapshot of stopped.latency) latency.mergeSnapshot(snapshot);
  for (const client of local) latency.merge(client.latency);
  const localTotals = totalsOf(local);
  const processed = end.processed - base.processed;
  const dropped = end.dropped - base.dropped;
  const cpuSeconds = cpuStart && cpuEnd ? cpuEnd.cpuSeconds - cpuStart.cpuSeconds : 0;
  const mainSeconds =
    cpuStart && cpuEnd ? cpuEnd.mainThreadCpuSeconds - cpuStart.mainThreadCpuSeconds : 0;
  const loadCpuSeconds =
    loadCpuStart && loadCpuEnd ? loadCpuEnd.cpuSeconds - loadCpuStart.cpuSeconds : 0;
  const rss = sampler.samples.filter((s) => s.at >= windowStart).map((s) => s.rssBytes / MiB);
  const offered = scenario.closedLoop
    ? null
    : positions.reduce((sum, i) => sum + cameraAt(i).fps, 0);
  return {
    id: scenario.id,
    title: scenario.title,
    system: options.system,
    pipeline: options.pipeline,
    cameras: scenario.cameras,
    offeredFps: offered,
    seconds: windowSeconds,
    framesPerSecond: processed / windowSeconds,
    cpuMsPerFrame: processed > 0 ? (cpuSeconds * 1000) / processed : 0,
    mainThreadMsPerFrame: processed > 0 ? (mainSeconds * 1000) / processed : 0,
    loadGeneratorCpuPercent: (loadCpuSeconds / windowSeconds) * 100,
    sent: end.sent - base.sent,
    processed,
    dropped,
    dropRate: processed + dropped > 0 ? dropped / (processed + dropped) : 0,
    slowDowns: end.slowDowns - base.slowDowns,
    skippedByClient: stopped.counters.skipped + localTotals.skipped,
    unanswered: stopped.counters.outstanding + localTotals.outstanding,
    violations: stopped.counters.violations + localTotals.violations,
    latency: latency.summary(),
    healthz: probe ? { ...probe.latency.summary(), failures: probe.failures } : null,
    rssStartMiB: rss[0] ?? 0,
    rssEndMiB: rss[rss.length - 1] ?? 0,
    rssMaxMiB: rss.length > 0 ? Math.max(...rss) : 0,
    watched: local.map((client, k) => {
      const s = client.stats();
      const own = watchedWindow[k]!;
      return {
        cameraId: s.cameraId,
        sent: s.sent - own.firstIndex + 1,
        processed: own.processed,
        dropped: own.dropped,
        latency: own.latency.summary(),
      };
    }),
    target: scenario.target,
    loadAverage: [...loadBefore, ...loadavg()].map((v) => Math.round(v * 100) / 100),
  };
}
