/**
 * Preflight: how many frames per second this machine gets through each
 * built-in pipeline, and from that a safe rate per camera for N cameras.
 * Runs the real pipeline engine in this process (the station's catalog and
 * executor) on synthetic frames; a station's sessions add a little on top.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createMetrics } from '../observe/metrics';
import { createPipelineCatalog, type EnginePipelineCatalog } from '../pipeline/catalog';
import type { CompiledPipeline, PipelineCatalog } from '../pipeline/types';
import { STATION_VERSION } from '../version';
import { createFrameSource, type FrameSource } from './frame-source';

export interface PreflightOptions {
  width: number;
  height: number;
  cameras: number;
  /** Measured seconds per pipeline (after a short warm-up). */
  seconds: number;
  /** Frames in flight at once, like that many sessions each with one. */
  concurrency: number;
  /** Share of the measured capacity to plan for; the rest absorbs bursts and the UI. */
  headroom: number;
  /** A camera never needs more than this; caps the suggestion for cheap pipelines. Default 60. */
  maxFps?: number;
  /** Only these pipelines (default: every built-in one). */
  pipelines?: string[];
  onProgress?: (line: string) => void;
}

export interface PreflightRow {
  pipeline: string;
  frames: number;
  failures: number;
  framesPerSecond: number;
  cpuMsPerFrame: number;
  meanMs: number;
  /** floor(framesPerSecond × headroom / cameras), at least 0, at most maxFps. */
  safeFpsPerCamera: number;
}

export interface PreflightReport {
  /** `engine`: the pipeline engine in this process; `station`: end to end through a station. */
  mode: 'engine' | 'station';
  width: number;
  height: number;
  frameBytes: number;
  cameras: number;
  headroom: number;
  rows: PreflightRow[];
}

/** Frames are run this long before the measured run, uncounted: the first ones pay for start-up. */
const WARM_UP_MS = 500;

/** floor(framesPerSecond × headroom / cameras), at least 0, at most maxFps (default 60). */
export function safeFpsPerCamera(framesPerSecond: number, options: PreflightOptions): number {
  return Math.min(
    options.maxFps ?? 60,
    Math.max(0, Math.floor((framesPerSecond * options.headroom) / options.cameras)),
  );
}

/** The station's pipeline engine in this process, on a throwaway data directory. */
interface Engine {
  catalog: EnginePipelineCatalog;
  source: FrameSource;
}

async function withEngine<T>(
  options: PreflightOptions,
  use: (engine: Engine) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-preflight-'));
  const catalog = createPipelineCatalog({
    userDir: join(dataDir, 'pipelines'),
    dataDir,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(STATION_VERSION),
    watch: false,
  });
  try {
    await catalog.start();
    const source = await createFrameSource({
      width: options.width,
      height: options.height,
      cameraId: 'preflight',
      ringSize: 8,
    });
    return await use({ catalog, source });
  } finally {
    await catalog.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The built-in pipelines, or those of them `only` names. */
function builtinPipelines(catalog: PipelineCatalog, only: string[] | undefined): string[] {
  return catalog
    .list()
    .filter((p) => p.source === 'builtin')
    .map((p) => p.id)
    .filter((id) => !only || only.includes(id));
}

/**
 * One pipeline driven by `concurrency` lanes at once, each with its own session
 * and one frame in flight: a warm-up, then the measured run that is counted.
 */
class LaneRun {
  frames = 0;
  failures = 0;
  /** Time spent in the pipeline's run, summed over the lanes. */
  busyMs = 0;
  private measuring = false;
  private until = 0;

  constructor(
    private readonly pipeline: CompiledPipeline,
    private readonly catalog: PipelineCatalog,
    private readonly source: FrameSource,
    private readonly concurrency: number,
  ) {}

  warmUp(until: number): Promise<void> {
    this.until = until;
    return this.lanes();
  }

  measure(until: number): Promise<void> {
    this.measuring = true;
    this.until = until;
    return this.lanes();
  }

  private async lanes(): Promise<void> {
    const lanes = Array.from({ length: this.concurrency }, (_, i) => i);
    await Promise.all(lanes.map((lane) => this.lane(lane)));
  }

  private async lane(lane: number): Promise<void> {
    let frameIndex = 0;
    const session = { sessionId: `preflight-${lane}`, cameraId: `preflight-${lane}` };
    while (performance.now() < this.until) {
      const started = performance.now();
      const result = await this.pipeline.run({
        frameIndex: ++frameIndex,
        // A fresh buffer each time, as off the socket: no cache keyed on the buffer can help.
        imageBytes: Buffer.from(this.source.next()),
        session,
      });
      if (this.measuring) {
        this.frames++;
        this.busyMs += performance.now() - started;
        if (result.failure) this.failures++;
      }
    }
    this.catalog.releaseSession(session.sessionId);
  }
}

async function measurePipeline(
  pipeline: CompiledPipeline,
  engine: Engine,
  options: PreflightOptions,
): Promise<PreflightRow> {
  const run = new LaneRun(pipeline, engine.catalog, engine.source, options.concurrency);
  await run.warmUp(performance.now() + WARM_UP_MS);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run.measure(started + options.seconds * 1000);
  const elapsedS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const { frames } = run;
  const framesPerSecond = frames / elapsedS;
  return {
    pipeline: pipeline.id,
    frames,
    failures: run.failures,
    framesPerSecond,
    cpuMsPerFrame: frames > 0 ? (used.user + used.system) / 1000 / frames : 0,
    meanMs: frames > 0 ? run.busyMs / frames : 0,
    safeFpsPerCamera: safeFpsPerCamera(framesPerSecond, options),
  };
}

export function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  return withEngine(options, async (engine) => {
    const rows: PreflightRow[] = [];
    for (const id of builtinPipelines(engine.catalog, options.pipelines)) {
      const pipeline = engine.catalog.get(id);
      if (!pipeline) continue;
      const row = await measurePipeline(pipeline, engine, options);
      rows.push(row);
      options.onProgress?.(
        `${id}: ${row.framesPerSecond.toFixed(0)} frames/s, ${row.cpuMsPerFrame.toFixed(2)} ms CPU/frame`,
      );
    }
    return {
      mode: 'engine',
      width: options.width,
      height: options.height,
      frameBytes: engine.source.meanBytes,
      cameras: options.cameras,
      headroom: options.headroom,
      rows,
    };
  });
}

export function formatPreflight(report: PreflightReport): string[] {
  const head = [
    'pipeline',
    'frames/s',
    'CPU ms/frame',
    'ms/frame',
    `safe fps/camera (${report.cameras} cameras)`,
  ];
  const rows = report.rows.map((r) => [
    r.pipeline,
    r.framesPerSecond.toFixed(0),
    Number.isNaN(r.cpuMsPerFrame) ? '-' : r.cpuMsPerFrame.toFixed(2),
    r.meanMs.toFixed(1),
    r.failures > 0 ? `${r.safeFpsPerCamera} (${r.failures} failures)` : String(r.safeFpsPerCamera),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  return [
    `Preflight: ${report.width}x${report.height} frames of ${(report.frameBytes / 1024).toFixed(1)} KiB, ` +
      `planning for ${report.cameras} camera(s) at ${Math.round(report.headroom * 100)}% of the measured capacity.`,
    line(head),
    ...rows.map(line),
    ...(report.mode === 'engine'
      ? [
          'Engine only: each frame also costs the station ~0.5-1 ms of CPU for the socket, the session and',
          'the reply (see docs/benchmarks.md), which matters for the cheap pipelines; --url ws://HOST:PORT',
          'measures through a running station instead.',
        ]
      : ['Measured end to end through the station (ms/frame is the reply time cameras see).']),
  ];
}
