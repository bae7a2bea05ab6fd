/**
 * The window's answer to a station that could not start (the desktop app's
 * port in use), with a stand-in for the preload's bridge: the real app runs
 * this in tests/e2e/electron-app.spec.ts where the Electron binary exists.
 */
import { expect, test } from '@playwright/test';
import { imageBackendProblem } from '../../src/main/shell/image-backend-check';
import { startStation } from './helpers/station-process';

test('a port in use is explained, and another port starts the station', async ({ page }) => {
  const station = await startStation();
  try {
    // Before any page script: what the preload would expose, recording the calls.
    await page.addInitScript(() => {
      const calls: unknown[] = [];
      let serving = false;
      const snapshot = {
        station: {
          version: '0.1.0',
          started_at: new Date().toISOString(),
          host: '0.0.0.0',
          port: 8766,
          camera_urls: ['ws://192.168.1.10:8766/ws/video/stream'],
          metrics_url: 'http://127.0.0.1:8766/metrics',
          dashboard_urls: ['http://192.168.1.10:8766/'],
          token_required: false,
          default_pipeline: 'inspect',
          data_dir: '/data',
          max_sessions: 64,
          draining: false,
        },
        sessions: [],
        cameras: [],
        pipelines: [],
        pipeline_errors: [],
        sources: [],
      };
      const ok = () => Promise.resolve({ ok: true });
      Object.defineProperty(globalThis, 'station', {
        value: {
          kind: 'ipc',
          getStartupProblem: () =>
            Promise.resolve(
              serving
                ? null
                : {
                    code: 'port_in_use',
                    message:
                      'Port 8765 is already in use on 0.0.0.0: another program listens there.',
                    host: '0.0.0.0',
                    port: 8765,
                  },
            ),
          restartOnPort: (port: number) => {
            calls.push(['restartOnPort', port]);
            serving = true;
            return ok();
          },
          getSnapshot: () => Promise.resolve(snapshot),
          subscribe: () => () => undefined,
          getThumbnail: () => Promise.resolve(null),
          switchPipeline: ok,
          setDefaultPipeline: ok,
          disconnectCamera: ok,
          dismissCamera: ok,
          openDataFolder: ok,
          addSource: ok,
          removeSource: ok,
          setSourceEnabled: ok,
        },
      });
      Object.defineProperty(globalThis, '__bridgeCalls', { value: calls });
    });
    await page.goto(station.baseUrl);
    const problem = page.getByTestId('startup-problem');
    await expect(problem).toContainText('The station’s port is in use');
    await expect(problem).toContainText('Port 8765 is already in use');
    const port = problem.getByRole('textbox');
    await expect(port).toHaveValue('8766');
    await port.fill('99999');
    await expect(problem.getByRole('button', { name: 'Start on this port' })).toBeDisabled();
    await port.fill('8766');
    const shot = test.info().outputPath('port-in-use.png');
    await page.screenshot({ path: shot });
    await test.info().attach('port-in-use', { path: shot, contentType: 'image/png' });
    await problem.getByRole('button', { name: 'Start on this port' }).click();

    // The dashboard of the restarted station, over the same bridge.
    await expect(page.getByTestId('empty-state')).toContainText('ws://192.168.1.10:8766');
    await expect(page.getByRole('button', { name: 'Open data folder' })).toBeVisible();
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { __bridgeCalls: unknown[] }).__bridgeCalls,
      ),
    ).toEqual([['restartOnPort', 8766]]);
  } finally {
    await station.stop();
  }
});

test('no usable image decoder: the window says why and shows the commands that fix it', async ({
  page,
}) => {
  const station = await startStation();
  try {
    // The problem exactly as the desktop app on Linux builds it without the native decoder.
    const problem = imageBackendProblem({
      platform: 'linux',
      packaged: false,
      backend: { backend: 'none', reason: 'native/turbo-decode is not built' },
    });
    await page.addInitScript((startupProblem) => {
      const refuse = () => Promise.resolve({ ok: false, code: 'not_available', message: 'no' });
      Object.defineProperty(globalThis, 'station', {
        value: {
          kind: 'ipc',
          getStartupProblem: () => Promise.resolve(startupProblem),
          restartOnPort: refuse,
          getSnapshot: () => Promise.reject(new Error('not serving')),
          subscribe: () => () => undefined,
        },
      });
    }, problem);
    await page.goto(station.baseUrl);
    const shown = page.getByTestId('startup-problem');
    await expect(shown).toContainText('The station cannot decode camera frames here');
    await expect(shown).toContainText('native/turbo-decode is not built');
    await expect(page.getByTestId('startup-fix')).toContainText(
      'sudo apt-get install libturbojpeg0-dev',
    );
    await expect(page.getByTestId('startup-fix')).toContainText('node scripts/build-native.mjs');
    // Another port would not help: none is offered.
    await expect(shown.getByRole('button')).toHaveCount(0);
    const shot = test.info().outputPath('image-backend-missing.png');
    await page.screenshot({ path: shot });
    await test.info().attach('image-backend-missing', { path: shot, contentType: 'image/png' });
  } finally {
    await station.stop();
  }
});
