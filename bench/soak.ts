/**
 * `npm run soak` (10 minutes by default, --minutes N): the built station as a
 * child process under churn — steady adaptive cameras, cameras connecting and
 * leaving (some reusing an id, so replacements happen), floods switched on and
 * off — then checks that memory, sessions, timers and sockets come back and
 * that the counters add up. Writes bench/results/soak-<time>.{md,json}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { createCameraClient, type CameraClient } from '../src/main/sim/camera-client';
import { renderFrameSources } from '../src/main/sim/fleet';
import { byLabel, fetchMetrics, sumOf, type Sample } from '../tests/helpers/metrics-text';
import { sampleProcess } from './lib/proc-stats';
import { ROOT, startStationProcess } from './lib/station-process';
import { createRng } from './fuzz/rng';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Point {
  t: number;
  rssMiB: number;
  sessions: number;
  fds: number;
  timers: number;
  lagMs: number;
}

function idleFigures(samples: Sample[]) {
  return {
    sessions: sumOf(samples, 'stream_sessions_active'),
    fds: sumOf(samples, 'process_open_fds'),
    resources: byLabel(samples, 'nodejs_active_resources', 'type'),
    handles: byLabel(samples, 'nodejs_active_handles', 'type'),
  };
}

async function main(): Promise<number> {
  const flags = new Command('soak')
    .option('--minutes <n>', 'how long', Number, 10)
    .option('--seed <n>', 'seed of the churn', Number, 1125)
    .parse(process.argv)
    .opts<{ minutes: number; seed: number }>();
  const rng = createRng(flags.seed);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const station = await startStationProcess();
  const started = Date.now();
  const endAt = started + flags.minutes * 60_000;
  const points: Point[] = [];
  const clients: CameraClient[] = [];
  const live = new Set<CameraClient>();
  try {
    const known = (
      (await (await fetch(`${station.httpBase}/api/pipelines`)).json()) as { id: string }[]
    ).map((p) => p.id);
    const pipelines = ['noop', 'metadata', 'inspect', 'bench', 'motion'].filter((id) =>
      known.includes(id),
    );
    const heavy = known.includes('bench') ? 'bench' : 'metadata';
    log(`Rendering frames...`);
    const sources = await renderFrameSources({
      url: 'ws://unused',
      cameras: 12,
      fps: 1,
      width: 640,
      height: 360,
      cameraPrefix: 'soak',
      ringSize: 6,
    });
    await sleep(1000);
    const idleStart = idleFigures(await fetchMetrics(station.httpBase));
    const rssStart = (sampleProcess(station.pid)?.rssBytes ?? 0) / MiB;
    log(`Station pid ${station.pid}; idle: RSS ${rssStart.toFixed(1)} MiB, fds ${idleStart.fds}`);

    const startCamera = async (id: string, fps: number, pipelineId: string, adaptive: boolean) => {
      const client = createCameraClient({
        url: station.url,
        cameraId: id,
        pipelineId,
        fps,
        adaptive,
        frames: rng.pick(sources),
      });
      clients.push(client);
      live.add(client);
      client.subscribe((e) => {
        if (e.type === 'closed') live.delete(client);
      });
      await client.start().catch(() => live.delete(client));
      return client;
    };

    // Steady cameras for the whole run.
    for (let i = 0; i < 3; i++) await startCamera(`steady-${i + 1}`, 10, heavy, true);

    const churn = (async () => {
      let n = 0;
      while (Date.now() < endAt) {
        await sleep(rng.int(1000, 3000));
        if (live.size >= 14 || Date.now() >= endAt) continue;
        // A small pool of ids: cameras come back under the same name, sometimes while still connected.
        const id = `churn-${rng.int(1, 10)}`;
        const lifetime = rng.int(2000, 20_000);
        n++;
        void startCamera(id, rng.int(5, 30), rng.pick(pipelines), rng.chance(0.3)).then(
          async (c) => {
            await sleep(lifetime);
            await c.stop(3000);
          },
        );
      }
      return n;
    })();

    const floods = (async () => {
      let rounds = 0;
      while (Date.now() + 40_000 < endAt) {
        await sleep(20_000);
        rounds++;
        const flood = await Promise.all(
          [1, 2, 3].map((i) => startCamera(`flood-${i}`, 60, heavy, false)),
        );
        await sleep(20_000);
        await Promise.all(flood.map((c) => c.stop(3000)));
      }
      return rounds;
    })();

    while (Date.now() < endAt) {
      await sleep(5000);
      const samples = await fetchMetrics(station.httpBase);
      const point: Point = {
        t: (Date.now() - started) / 1000,
        rssMiB: (sampleProcess(station.pid)?.rssBytes ?? 0) / MiB,
        sessions: sumOf(samples, 'stream_sessions_active'),
        fds: sumOf(samples, 'process_open_fds'),
        timers: sumOf(samples, 'nodejs_active_resources', { type: 'Timeout' }),
        lagMs: sumOf(samples, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      };
      points.push(point);
      process.stderr.write(
        `${process.stderr.isTTY ? '\r\x1b[K' : ''}[${point.t.toFixed(0)}s/${flags.minutes * 60}s] sessions ${point.sessions}, ` +
          `RSS ${point.rssMiB.toFixed(1)} MiB, fds ${point.fds}, timers ${point.timers}, loop lag p99 ${point.lagMs.toFixed(1)} ms` +
          (process.stderr.isTTY ? '' : '\n'),
      );
    }
    const churned = await churn;
    const floodRounds = await floods;
    const rssLoaded = (sampleProcess(station.pid)?.rssBytes ?? 0) / MiB;
    await Promise.all([...live].map((c) => c.stop(3000)));
    await sleep(3000);

    const end = await fetchMetrics(station.httpBase);
    const idleEnd = idleFigures(end);
    const rssEnd = (sampleProcess(station.pid)?.rssBytes ?? 0) / MiB;
    const sessionsLeft = (
      (await (await fetch(`${station.httpBase}/api/sessions`)).json()) as unknown[]
    ).length;
    const received = byLabel(end, 'stream_frames_received_total', 'pipeline_id');
    const processed = byLabel(end, 'stream_frames_processed_total', 'pipeline_id');
    const dropped = byLabel(end, 'stream_frames_dropped_total', 'pipeline_id');
    const rejected = sumOf(end, 'stream_frames_rejected_total');
    const perPipeline = Object.keys(received).map((id) => ({
      pipeline: id,
      received: received[id] ?? 0,
      processed: processed[id] ?? 0,
      dropped: dropped[id] ?? 0,
      consistent: (received[id] ?? 0) === (processed[id] ?? 0) + (dropped[id] ?? 0),
    }));
    const clientSent = clients.reduce((s, c) => s + c.stats().sent, 0);
    const clientReplies = clients.reduce((s, c) => s + c.stats().processed + c.stats().dropped, 0);
    const stoppedCleanly = clients.filter((c) => c.stats().closeCode === 1000);
    const unanswered = stoppedCleanly.reduce((s, c) => s + c.stats().outstanding, 0);
    const violations = clients.reduce((s, c) => s + c.stats().violations, 0);
    const replaced = clients.filter((c) => c.stats().closeCode === 4002).length;
    // RSS drift: the loaded second half of the run, as a slope (least squares) and end-to-end.
    const half = points.filter((p) => p.t >= (flags.minutes * 60) / 2);
    const slope = (() => {
      if (half.length < 2) return 0;
      const mt = half.reduce((s, p) => s + p.t, 0) / half.length;
      const mr = half.reduce((s, p) => s + p.rssMiB, 0) / half.length;
      const num = half.reduce((s, p) => s + (p.t - mt) * (p.rssMiB - mr), 0);
      const den = half.reduce((s, p) => s + (p.t - mt) ** 2, 0);
      return den > 0 ? (num / den) * 60 : 0;
    })();
    const firstLoaded = points.find((p) => p.t >= 60) ?? points[0];
    const checks = {
      sessionsBackToZero: sessionsLeft === 0 && idleEnd.sessions === 0,
      countersConsistent: perPipeline.every((p) => p.consistent) && rejected === 0,
      everyCleanStopAnswered: unanswered === 0 && violations === 0,
      fdsBackToIdle: idleEnd.fds <= idleStart.fds + 2,
      timersBackToIdle: (idleEnd.resources.Timeout ?? 0) <= (idleStart.resources.Timeout ?? 0) + 2,
    };
    const summary = {
      minutes: flags.minutes,
      seed: flags.seed,
      loadAverage: loadavg(),
      cameras: clients.length,
      churned,
      floodRounds,
      replaced,
      clientSent,
      clientReplies,
      stationReceived: Object.values(received).reduce((a, b) => a + b, 0),
      rejected,
      perPipeline,
      rss: {
        idleStartMiB: rssStart,
        after1MinMiB: firstLoaded?.rssMiB ?? 0,
        loadedEndMiB: rssLoaded,
        idleEndMiB: rssEnd,
        secondHalfSlopeMiBPerMin: slope,
        maxMiB: Math.max(...points.map((p) => p.rssMiB)),
      },
      idleStart,
      idleEnd,
      maxLoopLagMs: Math.max(...points.map((p) => p.lagMs)),
      checks,
    };
    const md = [
      `Soak, ${new Date().toISOString()}: ${flags.minutes} min, seed ${flags.seed}, load average ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
      '',
      `- cameras: ${clients.length} sessions opened (${churned} churned, ${floodRounds} flood rounds of 3 x 60 fps, ${replaced} replaced by a reconnect under the same id)`,
      `- frames: cameras sent ${clientSent}, the station received ${summary.stationReceived}, cameras got ${clientReplies} replies; rejected ${rejected}`,
      ...perPipeline.map(
        (p) =>
          `  - ${p.pipeline}: received ${p.received} = processed ${p.processed} + dropped ${p.dropped} ${p.consistent ? '✓' : '✗'}`,
      ),
      `- RSS: idle ${rssStart.toFixed(1)} MiB → after 1 min ${summary.rss.after1MinMiB.toFixed(1)} → end of load ${rssLoaded.toFixed(1)} → idle again ${rssEnd.toFixed(1)} MiB (max ${summary.rss.maxMiB.toFixed(1)}); second-half slope ${slope.toFixed(2)} MiB/min`,
      `- sessions left ${sessionsLeft}; open fds idle ${idleStart.fds} → ${idleEnd.fds}; timers idle ${idleStart.resources.Timeout ?? 0} → ${idleEnd.resources.Timeout ?? 0}; active resources idle ${JSON.stringify(idleStart.resources)} → ${JSON.stringify(idleEnd.resources)}`,
      `- event loop lag p99, worst sample: ${summary.maxLoopLagMs.toFixed(1)} ms`,
      `- checks: ${Object.entries(checks)
        .map(([k, v]) => `${k} ${v ? '✓' : '✗'}`)
        .join(', ')}`,
    ].join('\n');
    process.stdout.write(`\n${md}\n`);
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    writeFileSync(join(dir, `soak-${stamp}.md`), `${md}\n`);
    writeFileSync(
      join(dir, `soak-${stamp}.json`),
      `${JSON.stringify({ summary, points }, null, 2)}\n`,
    );
    return Object.values(checks).every(Boolean) ? 0 : 1;
  } finally {
    await Promise.all([...live].map((c) => c.stop(1000)));
    await station.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
