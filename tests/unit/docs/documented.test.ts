/** What a user can meet must be documented: error codes, close codes, settings, metrics. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../../src/main/config/settings';
import { createMetrics } from '../../../src/main/observe/metrics';
import { STATION_ERRORS } from '../../../src/shared/errors';
import { CloseCode, PROTOCOL_ERROR_CODES } from '../../../src/shared/protocol';

const root = join(__dirname, '..', '..', '..');
const protocol = readFileSync(join(root, 'docs', 'protocol.md'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('documentation', () => {
  it('names every protocol error code and close code', () => {
    for (const code of PROTOCOL_ERROR_CODES) expect(protocol, code).toContain(code);
    // As a close code ("close 1008", "closed with 4002", "closes it with 4001"), not any number.
    for (const code of Object.values(CloseCode)) {
      expect(protocol, String(code)).toMatch(new RegExp(`\\bclose[sd]?( it)?( with)? ${code}\\b`));
    }
  });

  it("lists every operation error code with its HTTP status and the registry's words", () => {
    for (const [code, spec] of Object.entries(STATION_ERRORS)) {
      const row = `| \`${code}\` | ${spec.status} | ${spec.action ? 'yes' : 'no'} | ${spec.words} |`;
      expect(protocol, code).toContain(row);
    }
  });

  it('lists every setting with its flag and environment variable in the README', () => {
    for (const spec of SETTINGS) {
      expect(readme, spec.env).toContain(`\`${spec.env}\``);
      expect(readme, spec.flag).toContain(`\`--${spec.flag}\``);
      expect(readme, spec.key).toContain(`\`${spec.key}\``);
    }
  });

  it('documents every station metric', async () => {
    const metrics = createMetrics('test');
    const names = (await metrics.registry.getMetricsAsJSON())
      .map((m) => m.name)
      .filter(
        (n) => n.startsWith('stream_') || n.startsWith('pipeline_') || n.startsWith('station_'),
      );
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(protocol, name).toContain(name);
  });
});
