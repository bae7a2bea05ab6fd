#!/usr/bin/env node
// A complete Foregsyte Station camera in Node (needs the `ws` package: npm i ws).
//
//   node examples/node-camera.mjs --station ws://127.0.0.1:8765 --camera bench-1 \
//     [--pipeline metadata] [--fps 5] [--count 100] [--token SECRET] frame1.jpg [frame2.jpg ...]
//
// It sends the JPEG files in turn (one binary message per frame), prints every
// reply as a JSON line, follows `slow_down` (sends at the suggested rate, and
// raises its rate again after two quiet intervals), and prints a summary line:
// {"summary":{"sent":..,"processed":..,"failed":..,"dropped":..,"slow_downs":..,"final_fps":..}}
// Exit 0 when every frame was answered; 1 on an error or a close by the station.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    station: { type: 'string', default: 'ws://127.0.0.1:8765' },
    camera: { type: 'string', default: 'node-camera' },
    pipeline: { type: 'string' },
    fps: { type: 'string', default: '5' },
    count: { type: 'string', default: '100' },
    token: { type: 'string', default: process.env.STATION_TOKEN },
    quiet: { type: 'boolean', default: false },
  },
});
if (files.length === 0) {
  console.error('usage: node-camera.mjs [options] frame.jpg [more.jpg ...]');
  process.exit(2);
}
const frames = files.map((file) => readFileSync(file));
const wantedFps = Number(opts.fps);
const count = Number(opts.count);

const url = new URL('/ws/video/stream', opts.station);
url.searchParams.set('camera_id', opts.camera);
if (opts.pipeline) url.searchParams.set('pipeline_id', opts.pipeline);

// The token goes in a header, so it never appears in a URL or a log.
const ws = new WebSocket(url, {
  headers: opts.token ? { Authorization: `Bearer ${opts.token}` } : {},
  maxPayload: 1024 * 1024,
});

const stats = { sent: 0, processed: 0, failed: 0, dropped: 0, slow_downs: 0 };
let fps = wantedFps;
let lastWarningAt = 0;
let warningIntervalMs = 1000; // the station repeats slow_down at this interval; learnt below
let timer = null;
let exitCode = 0;

const print = (obj) => {
  if (!opts.quiet) console.log(JSON.stringify(obj));
};

function sendNext() {
  if (stats.sent >= count) return;
  if (ws.bufferedAmount === 0) {
    ws.send(frames[stats.sent % frames.length], { binary: true });
    stats.sent += 1;
  }
  timer = setTimeout(sendNext, 1000 / fps);
}

// Two intervals without slow_down: raise the rate by half, up to the wanted rate.
const recovery = setInterval(() => {
  if (fps >= wantedFps || Date.now() - lastWarningAt < 2 * warningIntervalMs) return;
  fps = Math.min(wantedFps, fps * 1.5);
  lastWarningAt = Date.now() - warningIntervalMs; // one raise per interval
  print({ rate: { fps } });
}, 250);

function answered() {
  return stats.processed + stats.failed + stats.dropped;
}

ws.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  if (msg.hello) {
    print({ hello: msg.hello });
    sendNext();
  } else if (msg.warning === 'slow_down') {
    stats.slow_downs += 1;
    const now = Date.now();
    if (lastWarningAt && now - lastWarningAt < 10_000) warningIntervalMs = now - lastWarningAt;
    lastWarningAt = now;
    fps = Math.min(fps, Math.max(0.5, msg.suggested_fps));
    print({
      slow_down: { drop_rate: msg.drop_rate, suggested_fps: msg.suggested_fps, now_fps: fps },
    });
  } else if (msg.dropped) {
    stats.dropped += 1;
    print({ dropped: msg.frame_index });
  } else if (msg.result && msg.result.error === 'pipeline_failure') {
    stats.failed += 1;
    print({ failed: msg.frame_index, node: msg.result.node, detail: msg.result.detail });
  } else if (msg.result) {
    stats.processed += 1;
    print({ frame_index: msg.frame_index, result: msg.result, total_ms: msg.timings_ms?.total });
  } else if (msg.error) {
    // The station closes the connection right after an error message.
    console.error(`station error: ${msg.error}: ${msg.detail}`);
    exitCode = 1;
  }
  if (stats.sent >= count && answered() >= count) ws.close(1000);
});

ws.on('unexpected-response', (_req, res) => {
  // 401: wrong token; 403: origin refused; 503: station full (Retry-After).
  console.error(`station refused the connection: HTTP ${res.statusCode}`);
  exitCode = 1;
  ws.terminate();
});
ws.on('error', (err) => {
  console.error(`connection error: ${err.message}`);
  exitCode = 1;
});
ws.on('close', (code, reason) => {
  clearTimeout(timer);
  clearInterval(recovery);
  // 4001: a technician disconnected this camera; 4002: another connection took its camera id.
  if (code !== 1000) {
    console.error(`closed by the station: ${code} ${reason}`);
    exitCode = 1;
  }
  console.log(JSON.stringify({ summary: { ...stats, final_fps: fps, close_code: code } }));
  process.exit(exitCode);
});
