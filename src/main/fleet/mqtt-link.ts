/**
 * The station's one connection to the broker: MQTT 5 over MQTT.js, the last
 * will, reconnection with back-off, and the outbox drained at the broker's
 * pace. Nothing here is ever awaited by the frame path: `enqueue` returns at
 * once, whatever the broker does.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { MqttState } from '../../shared/fleet';
import type { FleetMetrics, PublishKind } from './metrics';
import { Outbox, type OutboxMessage } from './outbox';

/** QoS 1 messages sent and not yet acknowledged, at most (the broker may ask for fewer). */
const MAX_IN_FLIGHT = 64;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

export interface LinkOptions {
  url: string;
  username: string | null;
  password: string | null;
  clientId: string;
  /** Seconds; the will fires about 1.5 keepalives after the station vanishes. */
  keepaliveSeconds: number;
  will: { topic: string; payload: string };
  outboxSize: number;
  /** Subscribed on every (re)connection. */
  subscriptions: string[];
  metrics: FleetMetrics;
  logger: Logger;
  onMessage: (topic: string, payload: Buffer) => void;
  /** Each time the link comes up (publish the current status here). */
  onConnected: () => void;
  /** The link's state changed. */
  onStateChange?: (state: MqttState) => void;
}

/** Back-off before reconnection attempt `n` (0-based): 0.5 s doubling to 10 s, ±20 %. */
function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class MqttLink {
  private client: MqttClient | null = null;
  private readonly outbox: Outbox;
  private inFlight = 0;
  private attempts = 0;
  private drainScheduled = false;
  private lastError: string | null = null;
  private stopping = false;
  state: MqttState = 'connecting';

  constructor(private readonly options: LinkOptions) {
    this.outbox = new Outbox(options.outboxSize, (m) => this.countDropped(m.kind, 'outbox_full'));
  }

  get outboxDepth(): number {
    return this.outbox.size;
  }

  start(): void {
    const { options } = this;
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      protocolVersion: 5,
      clean: true,
      keepalive: options.keepaliveSeconds,
      connectTimeout: 5000,
      reconnectPeriod: retryDelayMs(0),
      resubscribe: false,
      queueQoSZero: false,
      will: {
        topic: options.will.topic,
        payload: Buffer.from(options.will.payload),
        qos: 1,
        retain: true,
      },
      ...(options.username !== null ? { username: options.username } : {}),
      ...(options.password !== null ? { password: options.password } : {}),
    };
    const client = mqtt.connect(options.url, clientOptions);
    this.client = client;
    client.on('connect', () => this.onConnect());
    // Each attempt sets the wait before the next one: MQTT.js arms its timer after a failure.
    client.on('reconnect', () => {
      client.options.reconnectPeriod = retryDelayMs(++this.attempts);
    });
    client.on('close', () => this.onClose());
    client.on('error', (err) => this.onError(err));
    client.on('message', (topic, payload) => options.onMessage(topic, payload));
  }

  /** Queues a message; returns at once. A full outbox evicts its oldest message. */
  enqueue(message: OutboxMessage): void {
    this.outbox.push(message);
    this.options.metrics.outboxDepth.set(this.outbox.size);
    this.scheduleDrain();
  }

  /** A retained status: sent now when connected (a newer one replaces it anyway), else skipped. */
  publishRetained(topic: string, payload: string): void {
    const client = this.client;
    if (!client?.connected) return;
    client.publish(topic, payload, { qos: 1, retain: true }, (err) => {
      if (!err) this.options.metrics.published.inc({ kind: 'status' });
    });
  }

  /**
   * Clean stop: waits (bounded) for the outbox to empty, publishes `final`
   * retained, then disconnects so that the will does not fire.
   */
  async stop(final: { topic: string; payload: string }, waitMs = 2000): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.stopping = true;
    const deadline = Date.now() + waitMs;
    while (client.connected && (this.outbox.size > 0 || this.inFlight > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    if (client.connected) {
      await Promise.race([
        client.publishAsync(final.topic, final.payload, { qos: 1, retain: true }).then(
          () => this.options.metrics.published.inc({ kind: 'status' }),
          () => undefined,
        ),
        new Promise((r) => setTimeout(r, Math.max(100, deadline - Date.now()))),
      ]);
    }
    await client.endAsync(!client.connected).catch(() => undefined);
    this.client = null;
    this.setState('disconnected');
  }

  private onConnect(): void {
    const client = this.client;
    if (!client) return;
    this.attempts = 0;
    client.options.reconnectPeriod = retryDelayMs(0);
    this.lastError = null;
    this.setState('connected');
    this.options.logger.info({ event: 'mqtt_connected' });
    for (const topic of this.options.subscriptions) {
      client.subscribe(topic, { qos: 1 }, (err) => {
        if (err)
          this.options.logger.warn({ event: 'mqtt_subscribe_failed', topic, error: err.message });
      });
    }
    this.options.onConnected();
    this.scheduleDrain();
  }

  private onClose(): void {
    if (this.state === 'connected' && !this.stopping) {
      this.options.logger.warn({ event: 'mqtt_disconnected', outbox: this.outbox.size });
    }
    if (this.client) this.setState('disconnected');
  }

  private onError(err: Error): void {
    // Repeated while the broker stays away: logged once per distinct cause.
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    const code = (err as NodeJS.ErrnoException).code;
    this.options.logger.warn({ event: 'mqtt_error', code: code ?? null, error: err.message });
  }

  private setState(state: MqttState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state);
    this.options.metrics.connected.set(state === 'connected' ? 1 : 0);
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** How many unacknowledged messages the broker accepts from us. */
  private window(client: MqttClient): number {
    const theirs = client.serverProperties?.receiveMaximum;
    return Math.min(MAX_IN_FLIGHT, theirs ?? MAX_IN_FLIGHT);
  }

  private drain(): void {
    const client = this.client;
    if (!client?.connected) return;
    const limit = this.window(client);
    while (this.inFlight < limit) {
      const message = this.outbox.shift();
      if (!message) break;
      this.inFlight++;
      // QoS 1: MQTT.js keeps an unacknowledged message and sends it again after a reconnect.
      client.publish(message.topic, message.payload, { qos: 1 }, (err) => {
        this.inFlight--;
        if (err) this.onPublishError(message, err);
        else this.options.metrics.published.inc({ kind: message.kind });
        this.scheduleDrain();
      });
    }
    this.options.metrics.outboxDepth.set(this.outbox.size);
  }

  private onPublishError(message: OutboxMessage, err: Error): void {
    // A reason code is the broker's answer (not authorised, quota...): sending again will not help.
    if (typeof (err as { code?: unknown }).code === 'number') {
      this.countDropped(message.kind, 'refused');
      return;
    }
    this.outbox.unshift(message);
  }

  private countDropped(kind: PublishKind, reason: 'outbox_full' | 'refused'): void {
    this.options.metrics.dropped.inc({ kind, reason });
  }
}
