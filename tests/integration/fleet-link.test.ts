/** The fleet module against a real Mosquitto: results, status, trust rules, outage, will. */
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFleet, type Fleet, type FleetSettings } from '../../src/main/fleet/fleet';
import { startBroker, type TestBroker } from '../helpers/mosquitto';

let broker: TestBroker;
const fleets: Fleet[] = [];
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await startBroker();
});
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.stop()));
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
});
afterAll(async () => {
  await broker.close();
});

function settings(stationId: string, prefix: string, extra: Partial<FleetSettings> = {}) {
  return {
    mqttUrl: broker.url,
    mqttUsername: null,
    mqttPasswordFile: null,
    stationId,
    mqttPrefix: prefix,
    mqttResults: 'all' as const,
    mqttOutbox: 10_000,
    capacityFps: null,
    ...extra,
  };
}

function makeFleet(stationId: string, prefix: string, extra: Partial<FleetSettings> = {}) {
  const registry = new Registry();
  const local = { sessions: 0, maxSessions: 4 };
  const fleet = createFleet({
    settings: settings(stationId, prefix, extra),
    version: 'test',
    logger: pino({ level: 'silent' }),
    registry,
    local: () => ({
      figures: { ...local, fpsIn: 0, fpsOut: 0 },
      cameraUrl: `ws://127.0.0.1:1/${stationId}/ws/video/stream`,
      dashboardUrl: `http://127.0.0.1:1/${stationId}/`,
    }),
  });
  fleets.push(fleet);
  fleet.start();
  return { fleet, registry, local };
}

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}) {
  const m = await registry.getSingleMetric(name)?.get();
  const value = m?.values.find((v) =>
    Object.entries(labels).every(([k, want]) => String(v.labels[k as never]) === want),
  );
  return value?.value ?? 0;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function subscriber(topic: string) {
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  clients.push(client);
  const messages: Array<{ topic: string; data: Record<string, unknown>; retain: boolean }> = [];
  client.on('message', (t, payload, packet) => {
    const text = payload.toString();
    messages.push({
      topic: t,
      data: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      retain: packet.retain,
    });
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return messages;
}

const reply = (i: number) => ({
  frame_index: i,
  result: { width: 8 },
  pipeline: { id: 'p', version: 'v' },
  timings_ms: { total: 1 },
});

describe('fleet over a real broker', () => {
  it('publishes every result once, with who and when, and counts them', async () => {
    const messages = await subscriber('lab1/stations/+/cameras/+/result');
    const { fleet, registry } = makeFleet('alpha', 'lab1');
    await until(() => fleet.mqttState() === 'connected');
    for (let i = 1; i <= 300; i++) fleet.result({ sessionId: 's1', cameraId: 'cam-1' }, reply(i));
    await until(() => messages.length >= 300);
    await new Promise((r) => setTimeout(r, 200));
    expect(messages).toHaveLength(300);
    expect(new Set(messages.map((m) => m.data.frame_index)).size).toBe(300);
    expect(messages[0]?.topic).toBe('lab1/stations/alpha/cameras/cam-1/result');
    expect(messages[0]?.data).toMatchObject({
      frame_index: 1,
      result: { width: 8 },
      pipeline: { id: 'p', version: 'v' },
      station_id: 'alpha',
      camera_id: 'cam-1',
      session_id: 's1',
    });
    expect(typeof messages[0]?.data.time).toBe('string');
    expect(await metric(registry, 'mqtt_messages_published_total', { kind: 'result' })).toBe(300);
    expect(await metric(registry, 'mqtt_connected')).toBe(1);
  });

  it('keeps a retained status per station and sees its peers', async () => {
    const a = makeFleet('alpha', 'lab2');
    const b = makeFleet('beta', 'lab2');
    await until(() => a.fleet.snapshot().stations.some((s) => s.station_id === 'beta'));
    const late = await subscriber('lab2/stations/+/status');
    await until(() => late.length >= 2);
    expect(late.every((m) => m.retain)).toBe(true);
    expect(late.map((m) => m.data.station_id).sort()).toEqual(['alpha', 'beta']);
    expect(late[0]?.data).toMatchObject({ online: true, sessions: 0, max_sessions: 4 });
    expect(a.fleet.alternatives()).toEqual(['ws://127.0.0.1:1/beta/ws/video/stream']);
    // A full peer is not offered.
    b.local.sessions = 4;
    b.fleet.observe({ type: 'session_closed', session: {} as never, code: 1000, reason: '' });
    await until(() => a.fleet.alternatives().length === 0);
    // Stopping publishes online:false, retained.
    await b.fleet.stop();
    await until(
      () => a.fleet.snapshot().stations.find((s) => s.station_id === 'beta')?.state === 'offline',
    );
    const after = await subscriber('lab2/stations/beta/status');
    await until(() => after.length >= 1);
    expect(after[0]?.data).toMatchObject({ station_id: 'beta', online: false });
  });

  it('trusts a status only from its own topic and only with web links', async () => {
    const { fleet } = makeFleet('alpha', 'lab3');
    await until(() => fleet.mqttState() === 'connected');
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    clients.push(client);
    const status = {
      station_id: 'gamma',
      online: true,
      version: 'x',
      camera_url: 'ws://10.0.0.9:8765/ws/video/stream',
      dashboard_url: 'http://10.0.0.9:8765/',
      sessions: 0,
      max_sessions: 4,
      fps_in: 0,
      fps_out: 0,
      capacity_fps: null,
      time: new Date().toISOString(),
    };
    await client.publishAsync('lab3/stations/mallory/status', JSON.stringify(status), { qos: 1 });
    await client.publishAsync(
      'lab3/stations/delta/status',
      JSON.stringify({ ...status, station_id: 'delta', dashboard_url: 'javascript:alert(1)' }),
      { qos: 1 },
    );
    await client.publishAsync('lab3/stations/gamma/status', JSON.stringify(status), { qos: 1 });
    await until(() => fleet.snapshot().stations.length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(fleet.snapshot().stations.map((s) => s.station_id)).toEqual(['alpha', 'gamma']);
  });

  it('rides out a broker outage: bounded outbox, counted drops, publishing resumes', async () => {
    const { fleet, registry } = makeFleet('alpha', 'lab4', { mqttOutbox: 50 });
    await until(() => fleet.mqttState() === 'connected');
    await broker.stop();
    await until(() => fleet.mqttState() === 'disconnected');
    const started = performance.now();
    for (let i = 1; i <= 120; i++) fleet.result({ sessionId: 's1', cameraId: 'cam-1' }, reply(i));
    // Queuing never waits for the broker.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await metric(registry, 'mqtt_connected')).toBe(0);
    expect(await metric(registry, 'mqtt_outbox_messages')).toBe(50);
    expect(
      await metric(registry, 'mqtt_messages_dropped_total', {
        kind: 'result',
        reason: 'outbox_full',
      }),
    ).toBe(70);
    await broker.start();
    const messages = await subscriber('lab4/stations/+/cameras/+/result');
    await until(() => fleet.mqttState() === 'connected', 15_000);
    await until(() => messages.length >= 50);
    expect(messages.map((m) => m.data.frame_index)).toEqual(
      Array.from({ length: 50 }, (_, i) => 71 + i),
    );
    await until(async () => (await metric(registry, 'mqtt_outbox_messages')) === 0);
  });
});
