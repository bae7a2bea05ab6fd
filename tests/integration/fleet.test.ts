/**
 * Three headless stations on one Mosquitto (all on loopback): results exactly
 * once per frame, camera events, retained status and the will, a broker
 * outage the cameras never notice, and a full station handing a camera on.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetSnapshot } from '../../src/shared/fleet';
import { createFleet as createSimFleet } from '../../src/main/sim/fleet';
import { startBroker, type TestBroker } from '../helpers/mosquitto';
import { makeJpeg, TestCamera, type Message } from '../helpers/station';
import { slowPipeline, startStation, type StationProcess } from '../e2e/helpers/station-process';

interface Received {
  topic: string;
  data: Record<string, unknown>;
  retain: boolean;
}

const prefix = `lab-${randomBytes(3).toString('hex')}`;
let broker: TestBroker;
let watcher: MqttClient;
const received: Received[] = [];
const stations: Record<'a' | 'b' | 'c', StationProcess> = {} as never;

function fleetArgs(id: string, extra: string[] = []): string[] {
  return ['--mqtt-url', broker.url, '--station-id', id, '--mqtt-prefix', prefix, ...extra];
}

async function getJson<T>(station: StationProcess, path: string): Promise<T> {
  const res = await fetch(`${station.baseUrl}${path}`);
  return (await res.json()) as T;
}

async function metric(station: StationProcess, line: string): Promise<number> {
  const text = await (await fetch(`${station.baseUrl}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A camera's upgrade request, answered without a WebSocket: status, headers, body. */
function refusedUpgrade(url: string) {
  return new Promise<{ status: number; retryAfter: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = request(url, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            body,
          }),
        );
      });
      req.on('upgrade', () => reject(new Error('the station took the camera')));
      req.on('error', reject);
      req.end();
    },
  );
}

const on = (station: string, camera: string, kind: 'result' | 'event') =>
  received.filter((m) => m.topic === `${prefix}/stations/${station}/cameras/${camera}/${kind}`);

/** Sends `count` frames, one every `intervalMs`; returns each frame's reply time (ms). */
async function paced(cam: TestCamera, jpeg: Buffer, count: number, intervalMs: number) {
  const sentAt = new Map<number, number>();
  const base = cam.replies().length;
  const first = cam.replies().reduce((n, m) => Math.max(n, Number(m.frame_index ?? 0)), 0);
  for (let i = 1; i <= count; i++) {
    sentAt.set(first + i, performance.now());
    cam.send(jpeg);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await cam.until((m) => m.filter((x) => 'frame_index' in x).length >= base + count);
  return sentAt;
}

beforeAll(async () => {
  broker = await startBroker();
  watcher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 200 });
  watcher.on('message', (topic, payload, packet) => {
    const text = payload.toString();
    received.push({
      topic,
      data: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      retain: packet.retain,
    });
  });
  await watcher.subscribeAsync(`${prefix}/#`, { qos: 1 });
  const slow = { 'slow.json': slowPipeline('slow', 60) };
  [stations.a, stations.b, stations.c] = await Promise.all([
    startStation({
      pipelines: slow,
      args: fleetArgs('st-a', ['--max-sessions', '2', '--mqtt-outbox', '40']),
    }),
    startStation({ pipelines: slow, args: fleetArgs('st-b') }),
    startStation({ pipelines: slow, args: fleetArgs('st-c') }),
  ]);
  // Every station has heard the other two.
  for (const s of Object.values(stations)) {
    const deadline = Date.now() + 15_000;
    while ((await getJson<FleetSnapshot>(s, '/api/fleet')).stations.length < 3) {
      if (Date.now() > deadline) throw new Error('stations did not see each other');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 60_000);

afterAll(async () => {
  await watcher?.endAsync(true);
  await Promise.all(Object.values(stations).map((s) => s.stop()));
  await broker?.close();
});

describe('three stations on one broker', () => {
  it('publishes every processed frame once, by frame index, with connect, state and disconnect events', async () => {
    const jpeg = await makeJpeg(320, 240);
    const cams = (['a', 'b', 'c'] as const).map(
      (k) => new TestCamera(`${stations[k].cameraUrl}?pipeline_id=metadata&camera_id=cam-${k}`),
    );
    await Promise.all(cams.map((c) => c.opened));
    await Promise.all(cams.map((c) => paced(c, jpeg, 40, 15)));
    // A flood on a 60 ms pipeline: drops, then slow_down.
    const flood = new TestCamera(`${stations.b.cameraUrl}?pipeline_id=slow&camera_id=flood`);
    await flood.opened;
    for (let i = 0; i < 80; i++) {
      flood.send(jpeg);
      await new Promise((r) => setTimeout(r, 5));
    }
    await flood.until((m) => m.some((x) => x.warning === 'slow_down'));
    // Every frame answered (result or drop) before the camera leaves.
    await flood.until((m) => m.filter((x) => 'frame_index' in x).length === 80);
    for (const c of [...cams, flood]) c.close();
    await Promise.all([...cams, flood].map((c) => c.closed));

    for (const [k, cam] of (['a', 'b', 'c'] as const).map((k, i) => [k, cams[i]!] as const)) {
      const station = `st-${k}`;
      const replied = cam
        .replies()
        .filter((m: Message) => 'result' in m)
        .map((m) => Number(m.frame_index));
      // Most frames are processed (a busy machine may supersede a few: those are no results).
      expect(replied.length).toBeGreaterThan(30);
      await waitFor(() =>
        on(station, `cam-${k}`, 'event').some((e) => e.data.event === 'disconnect'),
      );
      const published = on(station, `cam-${k}`, 'result').map((m) => Number(m.data.frame_index));
      // Exactly once each: same indexes, no duplicate.
      expect([...published].sort((x, y) => x - y)).toEqual([...replied].sort((x, y) => x - y));
      const sample = on(station, `cam-${k}`, 'result')[0]!.data;
      expect(sample).toMatchObject({
        station_id: station,
        camera_id: `cam-${k}`,
        session_id: cam.hello().session_id,
        pipeline: { id: 'metadata' },
      });
      expect(sample.result).toEqual(cam.replies().find((m) => 'result' in m)!.result);
      const events = on(station, `cam-${k}`, 'event').map((e) => e.data.event);
      expect(events[0]).toBe('connect');
      expect(events.at(-1)).toBe('disconnect');
      expect(on(station, `cam-${k}`, 'event').at(-1)!.data).toMatchObject({
        code: 1005,
        reason: 'camera_closed',
      });
    }
    await waitFor(() => on('st-b', 'flood', 'event').some((e) => e.data.event === 'disconnect'));
    const floodEvents = on('st-b', 'flood', 'event').map((e) => e.data);
    expect(floodEvents).toContainEqual(
      expect.objectContaining({ event: 'state', state: 'slow_down' }),
    );
    const floodResults = on('st-b', 'flood', 'result').length;
    const floodProcessed = flood.replies().filter((m) => 'result' in m).length;
    expect(floodResults).toBe(floodProcessed);
  });

  it('keeps replying through a 5 s broker outage; the outbox and the dropped counter show it; publishing resumes', async () => {
    const jpeg = await makeJpeg(320, 240);
    const cam = new TestCamera(`${stations.a.cameraUrl}?pipeline_id=metadata&camera_id=steady`);
    await cam.opened;
    const latencies = (sentAt: Map<number, number>, arrived: Map<number, number>) =>
      [...sentAt].map(([i, t]) => (arrived.get(i) ?? Infinity) - t).sort((x, y) => x - y);
    const arrived = new Map<number, number>();
    cam.ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as Message;
      if (typeof m.frame_index === 'number') arrived.set(m.frame_index, performance.now());
    });
    const before = await paced(cam, jpeg, 50, 20);
    let during = new Map<number, number>();
    await broker.stop();
    const outageStarted = Date.now();
    try {
      await waitFor(async () => (await metric(stations.a, 'mqtt_connected')) === 0);
      during = await paced(cam, jpeg, 150, 20);
      // The results of the outage went into an outbox of 40: full, the oldest counted out.
      const results = cam
        .replies()
        .filter((m) => 'result' in m && during.has(Number(m.frame_index))).length;
      expect(results).toBeGreaterThan(100);
      expect(await metric(stations.a, 'mqtt_outbox_messages')).toBe(40);
      const droppedLine = 'mqtt_messages_dropped_total{kind="result",reason="outbox_full"}';
      expect(await metric(stations.a, droppedLine)).toBe(results - 40);
      await new Promise((r) => setTimeout(r, Math.max(0, 5000 - (Date.now() - outageStarted))));
    } finally {
      await broker.start();
    }
    await waitFor(async () => (await metric(stations.a, 'mqtt_connected')) === 1, 20_000);
    await waitFor(() => watcher.connected, 10_000);
    // The watcher's own subscription is back (idempotent), and what the outbox held is out.
    await watcher.subscribeAsync(`${prefix}/#`, { qos: 1 });
    await waitFor(async () => (await metric(stations.a, 'mqtt_outbox_messages')) === 0, 10_000);
    // Once both are back: new frames are published again, every one.
    const after = await paced(cam, jpeg, 20, 20);
    const published = () =>
      new Set(on('st-a', 'steady', 'result').map((m) => Number(m.data.frame_index)));
    await waitFor(() => [...after.keys()].every((i) => published().has(i)), 10_000);
    cam.close();

    // Every frame got its one reply, during the outage too.
    for (const sent of [before, during, after])
      for (const i of sent.keys()) expect(arrived.has(i)).toBe(true);
    const median = (l: number[]) => l[Math.floor(l.length / 2)]!;
    const normal = median(latencies(before, arrived));
    const outage = median(latencies(during, arrived));
    console.info(
      `reply latency p50: broker up ${normal.toFixed(1)} ms, broker down ${outage.toFixed(1)} ms`,
    );
    // A blocked frame path would show seconds; noise on a shared machine is milliseconds.
    expect(outage).toBeLessThan(normal + 100);
    expect(await metric(stations.a, 'mqtt_outbox_messages')).toBe(0);
  });

  it('a full station names a peer with room, and the simulator streams there', async () => {
    // After the outage every station is back on the broker, and st-a has heard both peers again.
    for (const s of Object.values(stations))
      await waitFor(async () => (await metric(s, 'mqtt_connected')) === 1, 20_000);
    await waitFor(
      async () =>
        (await getJson<FleetSnapshot>(stations.a, '/api/fleet')).alternatives.length === 2,
      10_000,
    );
    const holders = [1, 2].map(
      (i) => new TestCamera(`${stations.a.cameraUrl}?pipeline_id=metadata&camera_id=hold-${i}`),
    );
    await Promise.all(holders.map((h) => h.opened));
    // The raw answer: 503, Retry-After, and the peers.
    const refused = await refusedUpgrade(`${stations.a.baseUrl}/ws/video/stream?camera_id=third`);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    const body = JSON.parse(refused.body) as {
      error: string;
      retry_after: number;
      alternatives: string[];
    };
    expect(body.error).toBe('station_full');
    expect(body.retry_after).toBe(5);
    expect(body.alternatives.sort()).toEqual([stations.b.cameraUrl, stations.c.cameraUrl].sort());

    const handoffs: string[] = [];
    const sim = await createSimFleet({
      url: stations.a.cameraUrl,
      cameras: 1,
      fps: 10,
      width: 320,
      height: 180,
      pipelineId: 'metadata',
      cameraPrefix: 'third',
      ringSize: 4,
      onHandoff: (_id, url) => handoffs.push(url),
    });
    const { refused: notTaken } = await sim.start();
    expect(notTaken).toEqual([]);
    expect(handoffs).toHaveLength(1);
    expect([stations.b.cameraUrl, stations.c.cameraUrl]).toContain(handoffs[0]);
    await waitFor(() => sim.totals().processed >= 5, 10_000);
    const peer = handoffs[0] === stations.b.cameraUrl ? stations.b : stations.c;
    const sessions = await getJson<Array<{ camera_id: string }>>(peer, '/api/sessions');
    expect(sessions.map((s) => s.camera_id)).toContain('third-1');
    await sim.stop();
    for (const h of holders) h.close();
    await Promise.all(holders.map((h) => h.closed));
  });

  it('keeps each station retained; online:false after a clean stop and, by the will, after SIGKILL', async () => {
    const newcomer = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const retained: Received[] = [];
    newcomer.on('message', (topic, payload, packet) =>
      retained.push({
        topic,
        data: JSON.parse(payload.toString()) as Record<string, unknown>,
        retain: packet.retain,
      }),
    );
    await newcomer.subscribeAsync(`${prefix}/stations/+/status`, { qos: 1 });
    // A live republish (every 5 s, or on a session change) may arrive beside the
    // retained copies; the retained ones are what a newcomer is owed, one per station.
    const retainedIds = () => [
      ...new Set(retained.filter((m) => m.retain).map((m) => m.data.station_id)),
    ];
    await waitFor(() => retainedIds().length >= 3);
    expect(retained.filter((m) => m.retain).every((m) => m.data.online === true)).toBe(true);
    expect(retainedIds().sort()).toEqual(['st-a', 'st-b', 'st-c']);
    expect(retained.find((m) => m.data.station_id === 'st-b')!.data).toMatchObject({
      camera_url: stations.b.cameraUrl,
      dashboard_url: `${stations.b.baseUrl}/`,
      max_sessions: 64,
      capacity_fps: null,
    });
    await newcomer.endAsync(true);

    await stations.c.stop();
    await stations.b.kill();
    const offline = (id: string) => async () =>
      (await getJson<FleetSnapshot>(stations.a, '/api/fleet')).stations.find(
        (s) => s.station_id === id,
      )?.state === 'offline';
    await waitFor(offline('st-c'), 10_000);
    await waitFor(offline('st-b'), 10_000);
    const late = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const last: Received[] = [];
    late.on('message', (topic, payload, packet) =>
      last.push({
        topic,
        data: JSON.parse(payload.toString()) as Record<string, unknown>,
        retain: packet.retain,
      }),
    );
    await late.subscribeAsync(`${prefix}/stations/+/status`, { qos: 1 });
    await waitFor(() => last.length >= 3);
    await late.endAsync(true);
    const byId = Object.fromEntries(last.map((m) => [m.data.station_id, m.data]));
    expect(byId['st-a']).toMatchObject({ online: true });
    expect(byId['st-b']).toMatchObject({ online: false });
    expect(byId['st-c']).toMatchObject({ online: false });
    // With both peers gone, a full st-a has nobody to name.
    expect((await getJson<FleetSnapshot>(stations.a, '/api/fleet')).alternatives).toEqual([]);
  });
});
