import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, loadSettings, SettingsError } from '../../../src/main/config/settings';

function configFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'station.json');
  writeFileSync(path, content);
  return path;
}

describe('loadSettings', () => {
  it('has the protocol defaults', () => {
    const s = loadSettings({ env: {} });
    expect(s).toMatchObject({
      port: 8765,
      host: '0.0.0.0',
      token: null,
      maxSessions: 64,
      maxFrameBytes: 8_388_608,
      queueDepth: 1,
      rateWindowMs: 5000,
      dropThreshold: 0.1,
      slowdownThreshold: 0.3,
      slowdownIntervalMs: 1000,
      heartbeatMs: 10_000,
      logLevel: 'info',
    });
    expect(s.dataDir).toMatch(/foregsyte-station$/);
  });

  it('takes CLI over environment over file over default', () => {
    const file = configFile(JSON.stringify({ port: 1111, maxSessions: 5, queueDepth: 3 }));
    const s = loadSettings({
      configFile: file,
      env: { STATION_PORT: '2222', STATION_MAX_SESSIONS: '7' },
      cli: { port: '3333' },
    });
    expect(s.port).toBe(3333);
    expect(s.maxSessions).toBe(7);
    expect(s.queueDepth).toBe(3);
    expect(s.heartbeatMs).toBe(defaultSettings({}).heartbeatMs);
  });

  it('parses the allowed origins list', () => {
    const s = loadSettings({
      env: { STATION_ALLOWED_ORIGINS: 'http://a.lab:8080, https://b.lab' },
    });
    expect(s.allowedOrigins).toEqual(['http://a.lab:8080', 'https://b.lab']);
  });

  it('names the setting and the rule when a value is bad', () => {
    expect(() => loadSettings({ env: { STATION_PORT: 'eighty' } })).toThrow(SettingsError);
    expect(() => loadSettings({ env: { STATION_PORT: '70000' } })).toThrow(/port \(STATION_PORT\)/);
    expect(() => loadSettings({ cli: { dropThreshold: '1.5' } })).toThrow(
      /dropThreshold \(--drop-threshold\)/,
    );
    expect(() => loadSettings({ env: { STATION_LOG_LEVEL: 'loud' } })).toThrow(/logLevel/);
    expect(() => loadSettings({ env: { STREAM_DROP_THRESHOLD: '0.5' } })).toThrow(
      /must not exceed slowdownThreshold/,
    );
  });

  it('refuses an unreadable, non-JSON or unknown-key config file', () => {
    expect(() => loadSettings({ configFile: '/nonexistent/station.json', env: {} })).toThrow(
      /Cannot read config file/,
    );
    expect(() => loadSettings({ configFile: configFile('{port: 1'), env: {} })).toThrow(
      /not valid JSON/,
    );
    expect(() => loadSettings({ configFile: configFile('{"prot": 1}'), env: {} })).toThrow(
      /unknown setting "prot"/,
    );
  });
});
