/**
 * `npm run fuzz`: the long fuzz pass (>= 100,000 frames by default) against the
 * built station as a child process, with a healthy camera beside it; reports
 * the inputs tried and the station's memory before and after.
 * Flags: --frames N, --max-minutes M, --lanes L, --seed S.
 */
import { Command } from 'commander';
import { fuzzJpegs, healthyCamera } from './fuzz/fixtures';
import { runFuzz } from './fuzz/run-fuzz';
import { sampleProcess } from './lib/proc-stats';
import { startStationProcess } from './lib/station-process';

const MAX_FRAME_BYTES = 256 * 1024;
const HEARTBEAT_MS = 1000;
const MiB = 1024 * 1024;

async function main(): Promise<number> {
  const flags = new Command('fuzz')
    .option('--frames <n>', 'frames to send', Number, 100_000)
    .option('--max-minutes <n>', 'stop after this long even if short of frames', Number, 40)
    .option('--lanes <n>', 'parallel fuzzing sessions', Number, 24)
    .option('--seed <n>', 'seed (replays a run)', Number, Date.now() % 2 ** 31)
    .parse(process.argv)
    .opts<{ frames: number; maxMinutes: number; lanes: number; seed: number }>();
  const station = await startStationProcess([
    '--max-frame-bytes',
    String(MAX_FRAME_BYTES),
    '--heartbeat-ms',
    String(HEARTBEAT_MS),
  ]);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const pipelinesRes = await fetch(`${station.httpBase}/api/pipelines`);
    const known = ((await pipelinesRes.json()) as { id: string }[]).map((p) => p.id);
    const pipelines = ['noop', 'metadata', 'inspect', 'bench'].filter((id) => known.includes(id));
    const info = (await (await fetch(`${station.httpBase}/api/snapshot`)).json()) as {
      station: { default_pipeline: string };
    };
    const jpegs = await fuzzJpegs();
    const fresh = sampleProcess(station.pid);
    // A short warm-up pass first, so "before" is a station that has seen every path (JIT,
    // libvips caches, pools) and the comparison shows growth, not start-up.
    log(
      `Station pid ${station.pid}, RSS at start ${((fresh?.rssBytes ?? 0) / MiB).toFixed(1)} MiB; warming up...`,
    );
    const target = {
      port: station.port,
      lanes: flags.lanes,
      maxFrameBytes: MAX_FRAME_BYTES,
      heartbeatMs: HEARTBEAT_MS,
      pipelines,
      defaultPipeline: info.station.default_pipeline,
      jpegs,
    };
    await runFuzz({ ...target, seed: flags.seed + 1, seconds: 60, maxFrames: 2000 });
    await new Promise((r) => setTimeout(r, 3000));
    const before = sampleProcess(station.pid);
    log(`RSS after warm-up ${((before?.rssBytes ?? 0) / MiB).toFixed(1)} MiB; seed ${flags.seed}`);

    const healthy = await healthyCamera(station.url);
    await healthy.start();
    const tty = process.stderr.isTTY;
    const report = await runFuzz({
      ...target,
      seed: flags.seed,
      seconds: flags.maxMinutes * 60,
      maxFrames: flags.frames,
      onProgress: (r) => {
        const rss = (sampleProcess(station.pid)?.rssBytes ?? 0) / MiB;
        const line =
          `${r.elapsedS.toFixed(0)} s: ${r.framesTotal}/${flags.frames} frames (${(r.framesTotal / r.elapsedS).toFixed(0)}/s), ` +
          `${r.sessions} sessions, ${r.violations.length} violations, station RSS ${rss.toFixed(0)} MiB`;
        if (tty) process.stderr.write(`\r\x1b[K${line}`);
        else if (Math.round(r.elapsedS) % 10 === 0) log(line);
      },
    });
    const stats = await healthy.stop(5000);
    await new Promise((r) => setTimeout(r, 3000));
    const after = sampleProcess(station.pid);
    const sessions = (await (await fetch(`${station.httpBase}/api/sessions`)).json()) as unknown[];
    const healthz = (await fetch(`${station.httpBase}/healthz`)).status;
    const inputs =
      report.framesTotal +
      report.queries +
      report.rapid +
      Object.values(report.attacks).reduce((a, b) => a + b, 0);
    const lines = [
      '',
      `Fuzz, seed ${report.seed}: ${inputs} inputs in ${report.elapsedS.toFixed(0)} s`,
      `  frames ${report.framesTotal}: ${JSON.stringify(report.frames)}`,
      `  outcomes: ${JSON.stringify(report.outcomes)}; sessions ${report.sessions}; queries ${report.queries}; rapid disconnects ${report.rapid}`,
      `  raw-socket attacks: ${JSON.stringify(report.attacks)}; notes: ${JSON.stringify(report.notes)}`,
      `  tiny-frame floods: ${JSON.stringify(report.floods)}`,
      `  healthy camera: sent ${stats.sent}, processed ${stats.processed}, dropped ${stats.dropped}, unanswered ${stats.outstanding}, protocol violations ${stats.violations}`,
      `  station RSS at start ${((fresh?.rssBytes ?? 0) / MiB).toFixed(1)} MiB, before (after warm-up) ${((before?.rssBytes ?? 0) / MiB).toFixed(1)} MiB, after ${((after?.rssBytes ?? 0) / MiB).toFixed(1)} MiB; ` +
        `sessions left ${sessions.length}; /healthz ${healthz}; station alive ${after !== null}`,
      `  violations: ${report.violations.length === 0 ? 'none' : `\n    ${report.violations.join('\n    ')}`}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const healthyOk =
      stats.outstanding === 0 &&
      stats.violations === 0 &&
      stats.processed + stats.dropped === stats.sent;
    return report.violations.length === 0 && healthyOk && sessions.length === 0 && healthz === 200
      ? 0
      : 1;
  } finally {
    await station.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
