/**
 * Three sessions sending the progressive scan bomb (12,000 scans, ~420 KB),
 * reconnecting and re-sending each time the station closes them, beside a real
 * 2 fps camera on `inspect`, against the built station in its own process.
 * Reports the camera's processed share and p99, and the station's CPU while
 * attacked and in the 2 s after the attackers leave.
 *
 *   npx tsx bench/scan-bomb.ts [--seconds 20]
 */
import { loadavg } from 'node:os';
import WebSocket from 'ws';
import { createCameraClient } from '../src/main/sim/camera-client';
import { createFrameSource } from '../src/main/sim/frame-source';
import { progressiveScanBomb } from './fuzz/decode-bombs';
import { sampleProcess } from './lib/proc-stats';
import { startStationProcess } from './lib/station-process';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One attacker: connect, send the bomb, and again as soon as the station closes the session. */
function attacker(url: string, bomb: Buffer, until: () => boolean, counts: { sent: number }) {
  return new Promise<void>((resolve) => {
    const round = () => {
      if (!until()) return resolve();
      const ws = new WebSocket(`${url}/ws/video/stream?pipeline_id=inspect`);
      ws.on('open', () => {
        ws.send(bomb);
        counts.sent++;
      });
      ws.on('error', () => undefined);
      ws.on('close', () => setTimeout(round, 10));
    };
    round();
  });
}

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const station = await startStationProcess();
  const bomb = await progressiveScanBomb(12_000);
  const camera = createCameraClient({
    url: station.url,
    cameraId: 'real-2fps',
    pipelineId: 'inspect',
    fps: 2,
    frames: await createFrameSource({
      width: 1280,
      height: 720,
      cameraId: 'real-2fps',
      ringSize: 8,
    }),
  });
  await camera.start();
  await sleep(1000);
  const counts = { sent: 0 };
  const before = sampleProcess(station.pid)!;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    [1, 2, 3].map(() => attacker(station.url, bomb, () => Date.now() < end, counts)),
  );
  const attacked = sampleProcess(station.pid)!;
  await sleep(2000);
  const after = sampleProcess(station.pid)!;
  const stats = await camera.stop(5000);
  await station.stop();
  const cpu = (a: typeof before, b: typeof before) =>
    ((100 * (b.cpuSeconds - a.cpuSeconds)) / ((b.at - a.at) / 1000)).toFixed(1);
  console.log(`load average at start: ${load}`);
  console.log(
    `bombs sent: ${counts.sent} (${(bomb.length / 1024).toFixed(0)} KiB each, 3 sessions, ${seconds} s)`,
  );
  console.log(
    `2 fps camera: sent ${stats.sent}, processed ${stats.processed} (${((100 * stats.processed) / stats.sent).toFixed(1)} %), dropped ${stats.dropped}, p50 ${stats.latency.p50.toFixed(1)} ms, p99 ${stats.latency.p99.toFixed(1)} ms`,
  );
  console.log(
    `station CPU while attacked: ${cpu(before, attacked)} %; in the 2 s after: ${cpu(attacked, after)} %`,
  );
}

void main();
