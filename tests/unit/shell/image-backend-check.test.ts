/**
 * The desktop app on Linux refuses to start its station on sharp (it would
 * crash on the first decode), with the steps that fix it; elsewhere, or with
 * the native decoder or its WebAssembly build, it starts.
 */
import { describe, expect, it } from 'vitest';
import { imageBackendProblem } from '../../../src/main/shell/image-backend-check';

const notBuilt = { backend: 'sharp', reason: 'native/turbo-decode is not built' } as const;

describe('image backend check (desktop app)', () => {
  it('on Linux without the native decoder: a problem naming the cause and the fix', () => {
    const problem = imageBackendProblem({ platform: 'linux', packaged: false, backend: notBuilt });
    expect(problem).toMatchObject({ code: 'image_backend_missing' });
    expect(problem?.message).toContain('native/turbo-decode is not built');
    expect(problem?.fix).toEqual([
      'sudo apt-get install libturbojpeg0-dev',
      'node scripts/build-native.mjs',
      'npm start',
    ]);
    expect(problem?.message).toContain('npm run headless');
  });

  it('an installed app on Linux is told to install the library the decoder links', () => {
    const missingLib = {
      backend: 'none',
      reason: 'libturbojpeg.so.0: cannot open shared object file: No such file or directory',
    } as const;
    const problem = imageBackendProblem({ platform: 'linux', packaged: true, backend: missingLib });
    expect(problem?.message).toContain('libturbojpeg.so.0');
    expect(problem?.fix).toEqual(['sudo apt-get install libturbojpeg0']);
    expect(problem?.message).not.toContain('npm');
  });

  it('starts with the native decoder or its WebAssembly build, and on Windows and macOS with sharp', () => {
    const turbo = { backend: 'turbojpeg' } as const;
    const wasm = { backend: 'wasm', reason: 'native/turbo-decode is not built' } as const;
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      for (const packaged of [true, false]) {
        expect(imageBackendProblem({ platform, packaged, backend: turbo })).toBeNull();
        expect(imageBackendProblem({ platform, packaged, backend: wasm })).toBeNull();
      }
    }
    for (const platform of ['win32', 'darwin'] as const) {
      expect(imageBackendProblem({ platform, packaged: true, backend: notBuilt })).toBeNull();
      // Without either decoder, there too the window says so.
      const none = { backend: 'none', reason: 'not built; sharp could not be loaded' } as const;
      expect(imageBackendProblem({ platform, packaged: true, backend: none })).toMatchObject({
        code: 'image_backend_missing',
      });
    }
  });
});
