/**
 * Alerts on the broker: a station in a fleet publishes each raise and clear of
 * a camera's alert on `<p>/stations/<s>/cameras/<c>/alert` of a real
 * Mosquitto, the same record the station keeps, and counts them on /metrics.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertsSnapshot } from '../../src/shared/alerts';
import { createFrameSource } from '../../src/main/sim/frame-source';
import { startBroker, type TestBroker } from '../helpers/mosquitto';
import { disposeStation, startStation, TestCamera, type TestStation } from '../helpers/station';

interface Received {
  topic: string;
  data: Record<string, unknown>;
  retain: boolean;
}

const prefix = `lab-${randomBytes(3).toString('hex')}`;
const FRAME_MS = 100;
let broker: TestBroker;
let watcher: MqttClient;
let station: TestStation | null = null;
const received: Received[] = [];
let sharpFrame: Buffer;
let blurredFrame: Buffer;

beforeAll(async () => {
  const source = await createFrameSource({ width: 640, height: 360, cameraId: 'f', ringSize: 1 });
  sharpFrame = source.frames[0]!;
  blurredFrame = await sharp(sharpFrame).blur(4).jpeg({ quality: 80 }).toBuffer();
  broker = await startBroker();
  watcher = mqtt.connect(broker.url, { reconnectPeriod: 200 });
  watcher.on('message', (topic, payload, packet) => {
    received.push({
      topic,
      data: JSON.parse(payload.toString()) as Record<string, unknown>,
      retain: packet.retain,
    });
  });
  await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
  await watcher.subscribeAsync(`${prefix}/stations/+/cameras/+/alert`, { qos: 1 });
  station = await startStation({
    mqttUrl: broker.url,
    stationId: 'bench-room',
    mqttPrefix: prefix,
  });
}, 60_000);

afterAll(async () => {
  station = await disposeStation(station);
  await watcher?.endAsync();
  await broker?.close();
}, 30_000);

async function stream(camera: TestCamera, frame: Buffer, done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) {
    camera.send(frame);
    await new Promise((r) => setTimeout(r, FRAME_MS));
  }
}

const alertTopic = () => `${prefix}/stations/bench-room/cameras/scope-cam/alert`;
const onBroker = (state: string) =>
  received.filter((m) => m.topic === alertTopic() && m.data.state === state);

describe('alerts over MQTT', () => {
  it('publishes the raise and the clear of out_of_focus on the camera alert topic', async () => {
    const s = station!;
    const camera = new TestCamera(s.url({ camera_id: 'scope-cam', pipeline_id: 'record' }));
    await camera.opened;
    await camera.until((m) => m.some((x) => 'hello' in x));

    await stream(camera, sharpFrame, () => false, 800);
    expect(received).toEqual([]);

    await stream(camera, blurredFrame, () => onBroker('active').length > 0, 12_000);
    const raised = onBroker('active');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.retain).toBe(false);
    const snapshot = (await (await fetch(s.http('/api/alerts'))).json()) as AlertsSnapshot;
    const record = snapshot.active.find((a) => a.camera_id === 'scope-cam');
    expect(record, 'the station keeps the alert it published').toBeDefined();
    // The broker carries the station's own record, plus who and when.
    const { station_id, time, ...published } = raised[0]!.data;
    expect(station_id).toBe('bench-room');
    expect(Number.isNaN(Date.parse(String(time)))).toBe(false);
    expect(published).toEqual(record);
    expect(published).toMatchObject({ alert: 'out_of_focus', state: 'active', cleared_at: null });

    await stream(camera, sharpFrame, () => onBroker('cleared').length > 0, 12_000);
    const cleared = onBroker('cleared');
    expect(cleared).toHaveLength(1);
    expect(cleared[0]!.data).toMatchObject({
      id: record!.id,
      alert: 'out_of_focus',
      cleared_reason: 'condition',
      station_id: 'bench-room',
    });

    const published_ = async () => {
      const text = await (await fetch(s.http('/metrics'))).text();
      return text.split('\n').includes('mqtt_messages_published_total{kind="alert"} 2');
    };
    const deadline = Date.now() + 10_000;
    while (!(await published_()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await published_(), 'both messages acknowledged by the broker').toBe(true);
    camera.close();
    await camera.closed;
  }, 60_000);
});
