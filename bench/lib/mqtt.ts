/** The MQTT scenario's station settings and what its /metrics said about publishing. */
import { sumOf, type Sample } from '../../tests/helpers/metrics-text';

export function brokerEnv(url: string): Record<string, string> {
  return { STATION_MQTT_URL: url, STATION_ID: 'bench', STATION_MQTT_PREFIX: 'bench' };
}

export function mqttLine(metrics: Sample[]): string {
  const processed = sumOf(metrics, 'stream_frames_processed_total');
  const published = sumOf(metrics, 'mqtt_messages_published_total', { kind: 'result' });
  const dropped = sumOf(metrics, 'mqtt_messages_dropped_total', { kind: 'result' });
  const outbox = sumOf(metrics, 'mqtt_outbox_messages');
  return `  MQTT: ${published} results acknowledged by the broker of ${processed} processed; ${dropped} dropped; ${outbox} in the outbox at the end`;
}
