/** The fleet's metrics, settings and topics are documented where users look for them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FLEET_SETTINGS } from '../../../src/main/config/fleet-settings';
import { createFleetMetrics } from '../../../src/main/fleet/metrics';
import { createTopics } from '../../../src/main/fleet/topics';

const docs = join(__dirname, '..', '..', '..', 'docs');
const protocol = readFileSync(join(docs, 'protocol.md'), 'utf8');
const fleet = readFileSync(join(docs, 'fleet.md'), 'utf8');

describe('fleet documentation', () => {
  it('lists every mqtt metric in docs/protocol.md and docs/fleet.md', async () => {
    const registry = new Registry();
    createFleetMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toHaveLength(4);
    for (const name of names) {
      expect(protocol, name).toContain(name);
      expect(fleet, name).toContain(name);
    }
  });

  it('lists every fleet setting with flag, environment variable and key in docs/fleet.md', () => {
    for (const spec of FLEET_SETTINGS) {
      expect(fleet, spec.env).toContain(`\`${spec.env}\``);
      expect(fleet, spec.flag).toContain(`\`--${spec.flag}\``);
      expect(fleet, spec.key).toContain(`\`${spec.key}\``);
    }
    expect(fleet).toContain('`STATION_MQTT_PASSWORD`');
  });

  it('shows the topics the code uses', () => {
    const topics = createTopics('<p>', '<s>');
    for (const topic of [topics.status('<s>'), topics.result('<c>'), topics.event('<c>')]) {
      expect(fleet, topic).toContain(`\`${topic}\``);
    }
    expect(protocol).toContain('station_full');
  });
});
