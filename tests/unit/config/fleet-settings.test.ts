import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../src/main/config/settings';

describe('fleet settings', () => {
  it('are off by default: no broker, the host name as station id', () => {
    const s = loadSettings({ env: {} });
    expect(s.mqttUrl).toBeNull();
    expect(s.mqttPrefix).toBe('foregsyte');
    expect(s.mqttResults).toBe('all');
    expect(s.mqttOutbox).toBe(10_000);
    expect(s.stationId).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });

  it('come from flags, environment and file like every setting', () => {
    const s = loadSettings({
      env: {
        STATION_MQTT_URL: 'mqtt://broker:1883',
        STATION_ID: 'room-2',
        STATION_CAPACITY_FPS: '600',
      },
      cli: { mqttResults: 'none', advertiseUrl: 'https://st2.lab:8765' },
    });
    expect(s).toMatchObject({
      mqttUrl: 'mqtt://broker:1883',
      stationId: 'room-2',
      capacityFps: 600,
      mqttResults: 'none',
      advertiseUrl: 'https://st2.lab:8765',
    });
  });

  it('refuse bad values by their rule, never repeating a broker URL', () => {
    const bad = () => loadSettings({ env: { STATION_MQTT_URL: 'http://u:hunter22@broker' } });
    expect(bad).toThrow(SettingsError);
    expect(bad).toThrow(/mqtt:\/\/ or mqtts:\/\//);
    expect(bad).not.toThrow(/hunter22/);
    expect(() => loadSettings({ env: { STATION_ID: 'a/b' } })).toThrow(/stationId/);
    expect(() => loadSettings({ env: { STATION_MQTT_PREFIX: 'lab/#' } })).toThrow(/mqttPrefix/);
    expect(() => loadSettings({ env: { STATION_MQTT_RESULTS: 'some' } })).toThrow(/mqttResults/);
  });
});
