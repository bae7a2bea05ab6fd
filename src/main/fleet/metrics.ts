/** The broker link's metrics, on the station's own registry (docs/protocol.md lists them). */
import { Counter, Gauge, type Registry } from 'prom-client';

export type PublishKind = 'result' | 'event' | 'alert' | 'status';
export type DropReason = 'outbox_full' | 'refused';

export function createFleetMetrics(registry: Registry) {
  const registers = [registry];
  return {
    connected: new Gauge({
      name: 'mqtt_connected',
      help: '1 while the station is connected to its MQTT broker',
      registers,
    }),
    published: new Counter({
      name: 'mqtt_messages_published_total',
      help: 'Messages the broker acknowledged (QoS 1) or took (status), by kind',
      labelNames: ['kind'] as const,
      registers,
    }),
    dropped: new Counter({
      name: 'mqtt_messages_dropped_total',
      help: 'Messages given up: evicted from a full outbox, or refused by the broker',
      labelNames: ['kind', 'reason'] as const,
      registers,
    }),
    outboxDepth: new Gauge({
      name: 'mqtt_outbox_messages',
      help: 'Messages waiting in the outbox for the broker',
      registers,
    }),
  };
}

export type FleetMetrics = ReturnType<typeof createFleetMetrics>;
