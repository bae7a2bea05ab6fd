import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerAccess, brokerLabel, CredentialsError } from '../../../src/main/fleet/credentials';

const none = { mqttUsername: null, mqttPasswordFile: null, env: {} };

describe('broker credentials', () => {
  it('takes user and password out of the URL', () => {
    expect(brokerAccess({ ...none, mqttUrl: 'mqtts://lab%40x:s%3Acret@broker:8883' })).toEqual({
      url: 'mqtts://broker:8883',
      username: 'lab@x',
      password: 's:cret',
    });
  });

  it('reads the password from the environment, else from its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cred-'));
    const file = join(dir, 'pw');
    writeFileSync(file, 'from-file\n');
    const base = { mqttUrl: 'mqtt://broker:1883', mqttUsername: 'st1', mqttPasswordFile: file };
    expect(brokerAccess({ ...base, env: {} }).password).toBe('from-file');
    expect(brokerAccess({ ...base, env: { STATION_MQTT_PASSWORD: 'env' } }).password).toBe('env');
    expect(brokerAccess({ ...base, env: {} }).username).toBe('st1');
    expect(() =>
      brokerAccess({ ...base, mqttPasswordFile: join(dir, 'missing'), env: {} }),
    ).toThrow(CredentialsError);
  });

  it('labels the broker without its credentials', () => {
    expect(brokerLabel('mqtt://u:secret@broker:1883')).toBe('mqtt://broker:1883');
  });
});
