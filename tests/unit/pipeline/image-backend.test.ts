/**
 * Which image backend a process gets: the native addon, else its WebAssembly
 * build, else sharp where it may load, else none with a fix in words; sharp is
 * refused inside Electron on Linux. Each case runs in a child process (the choice is made once per
 * process), sharp blocked by the same --require hook as the sharp-free test.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageBackend } from '../../../src/main/pipeline/image-backend';
import { nativeAddon } from '../../../src/main/pipeline/native';
import { sharpRefusal } from '../../../src/main/pipeline/sharp-runtime';

const ROOT = resolve(__dirname, '..', '..', '..');
const HOOK = join(ROOT, 'tests', 'integration', 'fixtures', 'no-sharp.cjs');
const SCRIPT =
  "import('./src/main/pipeline/image-backend.ts').then((m) => " +
  'console.log(JSON.stringify((m.imageBackend ?? m.default.imageBackend)())))';

function backendOf(env: NodeJS.ProcessEnv, blockSharp: boolean): ImageBackend {
  const args = [...(blockSharp ? ['--require', HOOK] : []), '--import', 'tsx', '-e', SCRIPT];
  const out = execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ImageBackend;
}

describe('image backend', () => {
  it('refuses sharp inside Electron on Linux only', () => {
    expect(sharpRefusal({ electron: '45.4.1', platform: 'linux' })).toMatch(/Electron on Linux/);
    expect(sharpRefusal({ electron: '45.4.1', platform: 'win32' })).toBeNull();
    expect(sharpRefusal({ electron: '45.4.1', platform: 'darwin' })).toBeNull();
    expect(sharpRefusal({ platform: 'linux' })).toBeNull();
  });

  it.skipIf(!nativeAddon())('the native addon when it is built, even without sharp', () => {
    expect(backendOf({}, true)).toEqual({ backend: 'turbojpeg', framePath: true });
  });

  it('the WebAssembly decoder when the addon is not used, without sharp', () => {
    const backend = backendOf({ STATION_DECODER: 'wasm' }, true);
    expect(backend).toMatchObject({ backend: 'wasm', framePath: true });
    expect(backend.reason).toBe('STATION_DECODER=wasm');
    expect(backend.fix).toMatch(/STATION_DECODER/);
  });

  it('sharp when forced, with the reason and the fix', () => {
    const backend = backendOf({ STATION_DECODER: 'sharp' }, false);
    expect(backend).toMatchObject({ backend: 'sharp', framePath: true });
    expect(backend.reason).toBe('STATION_DECODER=sharp');
    expect(backend.fix).toMatch(/STATION_DECODER/);
  });

  it('none, saying why and what to do, when neither can be used', () => {
    const backend = backendOf({ STATION_DECODER: 'sharp' }, true);
    expect(backend).toMatchObject({ backend: 'none', framePath: false });
    expect(backend.reason).toMatch(/STATION_DECODER=sharp; sharp could not be loaded/);
    expect(backend.fix).toBeTruthy();
  });
});
