/**
 * `npm run bench`: the station as a child process under simulated cameras —
 * closed loop (capacity, with the native decoder, its WebAssembly build and
 * with sharp), open-loop overload, a quiet camera beside a flood, 64 cameras
 * at the session limit —
 * then the bare floor server in closed loop, the station/floor ratios and the
 * ratio to the original design. Writes bench/results/bench-<time>.{json,md,svg};
 * `--profile` adds a main-thread CPU profile of the closed-loop station.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { renderFrameSources } from '../src/main/sim/fleet';
import { benchChart } from './lib/chart';
import {
  profileIn,
  profileMarkdown,
  summariseProfile,
  type ProfileSummary,
} from './lib/cpu-profile';
import { fetchMetrics, sumOf } from '../tests/helpers/metrics-text';
import { perfAvailable, perfMarkdown, recordPerf, summarisePerf } from './lib/perf-profile';
import { markdownTable, originalLines, ratioLines, ratiosOf } from './lib/report';
import { brokerEnv, mqttLine } from './lib/mqtt';
import { runScenario } from './lib/run-scenario';
import { startBroker } from '../tests/helpers/mosquitto';
import type { Scenario, ScenarioResult } from './lib/scenario';
import {
  ROOT,
  startFloorProcess,
  startStationProcess,
  type ChildServer,
} from './lib/station-process';
import { closedLoop } from './scenarios/closed-loop';
import { closedLoopMqtt } from './scenarios/closed-loop-mqtt';
import { closedLoopSharp } from './scenarios/closed-loop-sharp';
import { oneCamera } from './scenarios/one-camera';
import { closedLoopWasm } from './scenarios/closed-loop-wasm';
import { manyCameras } from './scenarios/many-cameras';
import { overload } from './scenarios/overload';
import { quietCamera } from './scenarios/quiet-camera';

const SCENARIOS: Scenario[] = [
  closedLoop,
  oneCamera,
  closedLoopMqtt,
  overload,
  quietCamera,
  manyCameras,
  closedLoopWasm,
  closedLoopSharp,
];
/** Frames are rendered for this many camera positions; others reuse them in turn. */
const RENDERED_CAMERAS = 16;

interface Flags {
  seconds: number;
  warmup: number;
  only?: string;
  pipeline?: string;
  floor: boolean;
  profile: boolean;
  perf: boolean;
  station?: string;
}

function progressWriter() {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (line: string) => {
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (Date.now() - last > 5000) {
      last = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
}

const log = (line: string) =>
  process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`);

async function pickPipeline(server: ChildServer): Promise<string> {
  const response = await fetch(`${server.httpBase}/api/pipelines`);
  const list = (await response.json()) as { id: string }[];
  return list.some((p) => p.id === 'bench') ? 'bench' : 'metadata';
}

async function renderFrames(): Promise<{ frameFiles: string[][]; frameKiB: number }> {
  log(`Rendering 1280x720 frames for ${RENDERED_CAMERAS} cameras...`);
  const sources = await renderFrameSources({
    url: 'ws://unused',
    cameras: RENDERED_CAMERAS,
    fps: 1,
    width: 1280,
    height: 720,
    cameraPrefix: 'bench',
    ringSize: 8,
  });
  const frameKiB = sources.reduce((s, f) => s + f.meanBytes, 0) / sources.length / 1024;
  const framesDir = mkdtempSync(join(tmpdir(), 'foregsyte-bench-frames-'));
  const frameFiles = sources.map((source, c) =>
    source.frames.map((frame, i) => {
      const file = join(framesDir, `cam${c + 1}-${i}.jpg`);
      writeFileSync(file, frame);
      return file;
    }),
  );
  process.on('exit', () => rmSync(framesDir, { recursive: true, force: true }));
  return { frameFiles, frameKiB };
}

/** perf on the station from the end of the warm-up to a second before the window ends. */
async function delayedPerf(pid: number, flags: Flags, file: string): Promise<void> {
  await new Promise((r) => setTimeout(r, (flags.warmup + 0.5) * 1000));
  await recordPerf(pid, Math.max(1, flags.seconds - 1.5), file);
}

async function main(): Promise<void> {
  const flags = new Command('bench')
    .option('--seconds <n>', 'measured seconds per scenario', Number, 12)
    .option('--warmup <n>', 'warm-up seconds per scenario', Number, 3)
    .option('--only <ids>', `comma-separated scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}`)
    .option('--pipeline <id>', 'pipeline to run (default: bench, or metadata when absent)')
    .option('--no-floor', 'skip the bare floor measurement')
    .option('--profile', 'CPU-profile the main thread of the closed-loop station')
    .option('--perf', 'sample every thread of the closed-loop station with perf (Linux)')
    .option(
      '--station <file>',
      "measure another build (e.g. an older commit's out/main/headless.js)",
    )
    .parse(process.argv)
    .opts<Flags>();
  if (flags.perf && (flags.profile || !perfAvailable())) {
    throw new Error(
      flags.profile
        ? '--perf and --profile measure differently loaded stations: run them one at a time'
        : '--perf needs the perf tool (e.g. apt-get install linux-perf)',
    );
  }
  const only = flags.only?.split(',').map((s) => s.trim());
  const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id));
  const progress = progressWriter();
  const { frameFiles, frameKiB } = await renderFrames();
  const loadAtStart = loadavg();
  log(
    `Frames ${frameKiB.toFixed(1)} KiB; load average ${loadAtStart.map((v) => v.toFixed(2)).join(' ')}; ${cpus().length} cores`,
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });

  const results: ScenarioResult[] = [];
  let profile: ProfileSummary | null = null;
  let perfText: string | null = null;
  let stationPipeline = flags.pipeline ?? '';
  for (const scenario of scenarios) {
    const profileDir =
      flags.profile && scenario.id === closedLoop.id ? join(dir, `profile-${stamp}`) : null;
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const broker = scenario.broker ? await startBroker() : null;
    const env = broker ? { ...scenario.env, ...brokerEnv(broker.url) } : scenario.env;
    // A fresh station per scenario: RSS and counters start from the same place.
    const station = await startStationProcess([], { nodeArgs, env, script: flags.station });
    let frames: number | undefined;
    try {
      // Chosen once, so every scenario of a run measures the same work.
      stationPipeline ||= await pickPipeline(station);
      log(`▶ ${scenario.title} → station (pid ${station.pid}, pipeline ${stationPipeline})`);
      const perfFile =
        flags.perf && scenario.id === closedLoop.id ? join(dir, `perf-${stamp}.data`) : null;
      // Started with the scenario, it samples from the end of the warm-up for most of the window.
      const sampling = perfFile ? delayedPerf(station.pid, flags, perfFile) : null;
      results.push(
        await runScenario(scenario, {
          server: station,
          system: 'station',
          pipeline: stationPipeline,
          frameFiles,
          warmupSeconds: flags.warmup,
          seconds: flags.seconds,
          probeHealthz: true,
          progress,
        }),
      );
      if (perfFile && sampling) {
        await sampling;
        perfText = perfMarkdown(
          summarisePerf(perfFile, station.pid, results.at(-1)!.cpuMsPerFrame),
        );
        rmSync(perfFile, { force: true });
      }
      const metrics = await fetchMetrics(station.httpBase);
      frames = sumOf(metrics, 'stream_frames_processed_total');
      if (broker) log(mqttLine(metrics));
    } finally {
      await station.stop();
      await broker?.close();
    }
    const file = profileDir ? profileIn(profileDir) : null;
    if (file) profile = summariseProfile(file, frames ?? 0);
  }

  let ratios: ReturnType<typeof ratiosOf> | null = null;
  const stationClosed = results.find((r) => r.id === closedLoop.id);
  if (flags.floor && stationClosed) {
    const floor = await startFloorProcess();
    try {
      log(`▶ ${closedLoop.title} → bare floor (pid ${floor.pid}, same sharp work as bench)`);
      const floorResult = await runScenario(closedLoop, {
        server: floor,
        system: 'floor',
        pipeline: 'floor (bench work)',
        frameFiles,
        warmupSeconds: flags.warmup,
        seconds: flags.seconds,
        probeHealthz: false,
        progress,
      });
      results.push(floorResult);
      ratios = ratiosOf(stationClosed, floorResult);
    } finally {
      await floor.stop();
    }
  }

  const heading =
    `Foregsyte Station benchmark, ${new Date().toISOString()}: ${cpus().length} cores ` +
    `(${cpus()[0]?.model ?? '?'}), Node ${process.version}, load ${loadAtStart[0]!.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`;
  const lines = [
    heading,
    `frames 1280x720 ~${frameKiB.toFixed(1)} KiB, ${flags.warmup} s warm-up + ${flags.seconds} s measured per scenario; ` +
      `load average at start ${loadAtStart.map((v) => v.toFixed(2)).join(' ')}, at end ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    '',
    markdownTable(results),
    '',
    ...(ratios ? ratioLines(ratios, stationPipeline) : []),
    ...originalLines(results, stationPipeline),
    '',
    'Targets: ' +
      results
        .filter((r) => r.system === 'station')
        .map((r) => `${r.title}: ${r.target}`)
        .join('; '),
    ...(profile ? ['', profileMarkdown(profile)] : []),
    ...(perfText ? ['', perfText] : []),
  ];
  const text = lines.join('\n');
  log('');
  process.stdout.write(`${text}\n`);
  writeFileSync(join(dir, `bench-${stamp}.md`), `${text}\n`);
  writeFileSync(join(dir, `bench-${stamp}.svg`), benchChart(results, heading));
  writeFileSync(
    join(dir, `bench-${stamp}.json`),
    `${JSON.stringify({ frameKiB, loadAtStart, loadAtEnd: loadavg(), results, ratios, profile }, null, 2)}\n`,
  );
  log(`Written: bench/results/bench-${stamp}.{md,json,svg}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\nbench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
