/**
 * Paths in settings come out absolute, for both hosts: Electron's
 * app.setPath('userData', ...) throws on a relative one before any window opens.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings, resolveSettings } from '../../../src/main/config/settings';
import { createStation } from '../../../src/main/station';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'settings-paths-'));
  scratch.push(dir);
  return dir;
}

describe('settings paths', () => {
  it('a relative data dir from the environment or a flag is relative to the working folder', () => {
    const cwd = '/lab/work';
    expect(loadSettings({ env: { STATION_DATA_DIR: 'station-data' }, cwd }).dataDir).toBe(
      '/lab/work/station-data',
    );
    expect(
      loadSettings({ env: {}, cli: { dataDir: '../shared/./data' }, cwd: '/lab/work' }).dataDir,
    ).toBe('/lab/shared/data');
    expect(isAbsolute(loadSettings({ env: {} }).dataDir)).toBe(true);
  });

  it('a relative config file is found from the working folder; its data dir is relative to it', () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'conf'));
    writeFileSync(join(cwd, 'conf', 'station.json'), JSON.stringify({ dataDir: 'data' }));
    const fromFile = loadSettings({ env: {}, configFile: 'conf/station.json', cwd });
    expect(fromFile.dataDir).toBe(join(cwd, 'conf', 'data'));
    // A flag still wins over the file, and is relative to the working folder.
    const fromFlag = loadSettings({
      env: {},
      cli: { dataDir: 'mine' },
      configFile: 'conf/station.json',
      cwd,
    });
    expect(fromFlag.dataDir).toBe(join(cwd, 'mine'));
    expect(() => loadSettings({ env: {}, configFile: 'missing.json', cwd })).toThrow(
      `Cannot read config file ${join(cwd, 'missing.json')}`,
    );
  });

  it('a station built with a relative data dir serves and shows it absolute', async () => {
    const dataDir = tempDir();
    const relativeDir = relative(process.cwd(), dataDir);
    expect(isAbsolute(relativeDir)).toBe(false);
    expect(resolveSettings({ dataDir: relativeDir }).dataDir).toBe(dataDir);
    const station = createStation({
      host: '127.0.0.1',
      port: 0,
      dataDir: relativeDir,
      logLevel: 'silent',
      rendererDir: null,
    });
    try {
      const { port } = await station.start();
      const response = await fetch(`http://127.0.0.1:${port}/api/snapshot`);
      const snapshot = (await response.json()) as { station: { data_dir: string } };
      expect(snapshot.station.data_dir).toBe(dataDir);
    } finally {
      await station.stop();
    }
  });
});
