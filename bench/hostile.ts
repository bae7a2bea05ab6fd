/**
 * The camera port under attack, against the built station in its own process:
 * (a) 3 scan-bomb sessions re-sending beside a 2 fps camera on `inspect`, and
 * the station's CPU in the 2 s after they leave; (b) 4 sessions flooding the
 * smallest valid JPEG, reconnecting after each 4029, beside a 5 fps camera, with
 * /healthz polled meanwhile; (c) 300 event streams that never read beside
 * camera churn, with the station's RSS and /healthz. Prints a table; `--json FILE` writes the numbers.
 * The attackers run in a process of their own (this file, forked with
 * `--attack`), so their busy event loop never delays the camera and the
 * /healthz probe this process measures.
 *
 *   npm run bench:hostile -- [--seconds 20] [--json bench/results/hostile.json]
 */
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { createCameraClient } from '../src/main/sim/camera-client';
import { createFrameSource } from '../src/main/sim/frame-source';
import { progressiveScanBomb, tinyJpeg } from './fuzz/decode-bombs';
import { sampleProcess } from './lib/proc-stats';
import { startStationProcess } from './lib/station-process';

const flag = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const seconds = Number(flag('--seconds') ?? 20);
const jsonFile = flag('--json');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One attacker: connects, runs `attack` on the socket, and again each time the station closes it. */
function attacker(url: string, until: () => boolean, attack: (ws: WebSocket) => void) {
  return new Promise<void>((resolve) => {
    const round = () => {
      if (!until()) return resolve();
      const ws = new WebSocket(`${url}/ws/video/stream?pipeline_id=inspect`);
      ws.on('open', () => attack(ws));
      ws.on('error', () => undefined);
      ws.on('close', () => setTimeout(round, 10));
    };
    round();
  });
}

/** Tiny frames as fast as the socket takes them. */
function flood(ws: WebSocket, counts: { sent: number }): void {
  const frame = tinyJpeg();
  const burst = () => {
    if (ws.readyState !== ws.OPEN) return;
    while (ws.bufferedAmount < 256 * 1024) {
      ws.send(frame);
      counts.sent++;
    }
    setImmediate(burst);
  };
  burst();
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

async function camera(url: string, fps: number) {
  const id = `real-${fps}fps`;
  const client = createCameraClient({
    url,
    cameraId: id,
    pipelineId: 'inspect',
    fps,
    frames: await createFrameSource({ width: 1280, height: 720, cameraId: id, ringSize: 8 }),
  });
  await client.start();
  return client;
}

type Row = Record<string, string | number>;
type AttackKind = 'scan-bomb' | 'tiny-flood' | 'event-streams';

/** 300 event streams that never read, beside cameras that connect, send a frame and leave. */
async function streamsAndChurn(url: string, streams: number, ms: number): Promise<number> {
  const { hostname, port } = new URL(url.replace(/^ws/, 'http'));
  const sockets: Socket[] = [];
  for (let i = 0; i < streams; i++) {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => undefined);
    socket.write(`GET /api/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
    socket.pause();
    sockets.push(socket);
  }
  const end = Date.now() + ms;
  let churned = 0;
  const frame = tinyJpeg();
  const cameraLoop = async (lane: number) => {
    while (Date.now() < end) {
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`${url}/ws/video/stream?camera_id=churn-${lane}-${churned++}`);
        ws.on('open', () => ws.send(frame));
        ws.on('message', () => ws.close());
        ws.on('error', () => resolve());
        ws.on('close', () => resolve());
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, lane) => cameraLoop(lane)));
  for (const socket of sockets) socket.destroy();
  return churned;
}

/** In the attacker process: `sessions` attackers until `ms` pass; sends the count to the parent. */
async function runAttack(kind: AttackKind, url: string, sessions: number, ms: number) {
  if (kind === 'event-streams') {
    const churned = await streamsAndChurn(url, sessions, ms);
    process.send!(churned, () => process.exit(0));
    return;
  }
  const counts = { sent: 0 };
  const end = Date.now() + ms;
  const bomb = kind === 'scan-bomb' ? await progressiveScanBomb(12_000) : null;
  const attack = bomb
    ? (ws: WebSocket) => (ws.send(bomb), counts.sent++)
    : (ws: WebSocket) => flood(ws, counts);
  const all = Array.from({ length: sessions }, () => attacker(url, () => Date.now() < end, attack));
  await Promise.all(all);
  process.send!(counts.sent, () => process.exit(0));
}

/** Runs the attackers in a child process; resolves with the messages they sent. */
function attackFrom(kind: AttackKind, url: string, sessions: number, ms: number): Promise<number> {
  const child = fork(__filename, ['--attack', kind, url, String(sessions), String(ms)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (sent) => resolve(Number(sent)));
    child.once('exit', (code) => reject(new Error(`the attacker process exited (${code})`)));
  });
}

async function scanBombs(): Promise<Row> {
  const station = await startStationProcess();
  const real = await camera(station.url, 2);
  await sleep(1000);
  const before = sampleProcess(station.pid)!;
  const sent = await attackFrom('scan-bomb', station.url, 3, seconds * 1000);
  const attacked = sampleProcess(station.pid)!;
  await sleep(2000);
  const after = sampleProcess(station.pid)!;
  const stats = await real.stop(5000);
  await station.stop();
  const cpu = (a: typeof before, b: typeof before) =>
    (100 * (b.cpuSeconds - a.cpuSeconds)) / ((b.at - a.at) / 1000);
  return {
    scenario: '3 scan-bomb sessions, 2 fps camera',
    attack_messages: sent,
    processed_pct: (100 * stats.processed) / Math.max(1, stats.sent),
    p99_ms: stats.latency.p99,
    cpu_attacked_pct: cpu(before, attacked),
    cpu_2s_after_pct: cpu(attacked, after),
  };
}

/** GET /healthz every 100 ms for `ms` (and `each` beside it); its times in `health`. */
function probeHealth(station: { httpBase: string }, ms: number, each = () => undefined as void) {
  const health: number[] = [];
  const end = Date.now() + ms;
  const poll = (async () => {
    while (Date.now() < end) {
      const started = performance.now();
      await fetch(`${station.httpBase}/healthz`).then((r) => r.arrayBuffer());
      health.push(performance.now() - started);
      each();
      await sleep(100);
    }
  })();
  return { health, poll };
}

async function tinyFloods(): Promise<Row> {
  const station = await startStationProcess();
  const real = await camera(station.url, 5);
  await sleep(1000);
  const { health, poll } = probeHealth(station, seconds * 1000);
  const sent = await attackFrom('tiny-flood', station.url, 4, seconds * 1000);
  await poll;
  const stats = await real.stop(5000);
  await station.stop();
  return {
    scenario: '4 tiny-frame flooders, 5 fps camera',
    attack_messages: sent,
    processed_pct: (100 * stats.processed) / Math.max(1, stats.sent),
    p99_ms: stats.latency.p99,
    healthz_p99_ms: p99(health),
  };
}

async function eventStreams(): Promise<Row> {
  const station = await startStationProcess();
  let maxRss = 0;
  const { health, poll } = probeHealth(station, seconds * 1000, () => {
    maxRss = Math.max(maxRss, sampleProcess(station.pid)?.rssBytes ?? 0);
  });
  const churned = await attackFrom('event-streams', station.url, 300, seconds * 1000);
  await poll;
  await station.stop();
  return {
    scenario: '300 non-reading event streams, camera churn',
    attack_messages: churned,
    rss_max_mb: maxRss / 2 ** 20,
    healthz_p99_ms: p99(health),
  };
}

async function main(): Promise<void> {
  const rows = [await scanBombs(), await tinyFloods(), await eventStreams()];
  const round = (v: string | number) => (typeof v === 'number' ? Number(v.toFixed(1)) : v);
  console.table(
    rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round(v)]))),
  );
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ seconds, rows }, null, 2)}\n`);
}

if (process.argv[2] === '--attack') {
  const [kind, url, sessions, ms] = process.argv.slice(3);
  void runAttack(kind as AttackKind, url!, Number(sessions), Number(ms));
} else {
  void main();
}
