/**
 * The real desktop app through Playwright's Electron driver: the station starts
 * inside it, the window is sandboxed and talks over the preload bridge only, a
 * port in use is explained in the window, a recording is saved through the
 * save dialog. Runs where the Electron binary is installed; elsewhere it is
 * skipped with the reason printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { recordSession, startFleet } from './helpers/cameras';
import { installedElectronBinary } from './helpers/electron-binary';

const ROOT = resolve(__dirname, '..', '..');
const binary = installedElectronBinary();
const SKIP_REASON =
  'the Electron binary is not installed here (node_modules/electron/dist is missing; ' +
  'install it with `node node_modules/electron/install.js` on a machine with internet)';
if (!binary) console.log(`electron-app.spec.ts skipped: ${SKIP_REASON}`);

/** The port the app's station serves on, asked over the window's bridge. */
function stationPort(window: Page): Promise<number> {
  return window.evaluate(async () => {
    const station = (
      globalThis as unknown as {
        station: { getSnapshot(): Promise<{ station: { port: number } }> };
      }
    ).station;
    return (await station.getSnapshot()).station.port;
  });
}

test.describe('desktop app', () => {
  test.skip(!binary, SKIP_REASON);

  let dataDir = '';
  let app: ElectronApplication | null = null;
  test.beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-electron-'));
  });
  test.afterEach(async () => {
    await app?.close();
    app = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  function launch(port: number): Promise<ElectronApplication> {
    return electron.launch({
      executablePath: binary!,
      args: [ROOT],
      env: {
        ...process.env,
        STATION_PORT: String(port),
        STATION_HOST: '127.0.0.1',
        STATION_DATA_DIR: dataDir,
        STATION_LOG_LEVEL: 'warn',
      },
    });
  }

  test('starts the station, shows cameras over IPC, keeps the page sandboxed', async () => {
    app = await launch(0);
    const window = await app.firstWindow();
    await expect(window.getByTestId('empty-state')).toBeVisible();

    const page = await window.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      const station = w.station as Record<string, unknown> | undefined;
      return {
        require: typeof w.require,
        process: typeof w.process,
        ipcRenderer: typeof w.ipcRenderer,
        kind: station?.kind,
        methods: Object.keys(station ?? {}).sort(),
      };
    });
    expect(page).toMatchObject({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      kind: 'ipc',
    });
    expect(page.methods).toContain('switchPipeline');

    const port = await stationPort(window);
    const fleet = await startFleet({
      url: `ws://127.0.0.1:${port}/ws/video/stream`,
      count: 2,
      fps: 4,
      prefix: 'desk',
    });
    try {
      await expect(window.getByTestId('camera-card')).toHaveCount(2);
      await expect(window.getByTestId('connection')).toHaveText('live');
    } finally {
      await fleet.stop();
    }

    // New windows and navigation away from the app are refused.
    await window.evaluate(() => {
      (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/');
    });
    expect(app.windows()).toHaveLength(1);
    const screenshot = test.info().outputPath('electron-window.png');
    await window.screenshot({ path: screenshot });
    await test.info().attach('electron-window', { path: screenshot, contentType: 'image/png' });
  });

  test('saves a recording through the save dialog', async () => {
    app = await launch(0);
    const window = await app.firstWindow();
    await expect(window.getByTestId('empty-state')).toBeVisible();
    const port = await stationPort(window);
    const { sessionDir, lines } = await recordSession({
      url: `ws://127.0.0.1:${port}/ws/video/stream`,
      dataDir,
      prefix: 'desk',
      ms: 2000,
    });

    // The native dialog cannot be clicked by the driver: it answers a path in the temp folder.
    const zipPath = join(dataDir, 'saved.zip');
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialog = () => Promise.resolve({ canceled: false, filePath: path });
    }, zipPath);
    await window.getByRole('button', { name: 'Recordings' }).click();
    await window.getByTestId('recording-session').locator('.recording-open').click();
    await window.getByTestId('save-zip').click();
    await expect(window.getByTestId('save-state')).toContainText(`Saved ${lines.length} frames`);
    const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toHaveLength(lines.length + 1);
    for (const name of names) {
      const inZip = execFileSync('unzip', ['-p', zipPath, name], { maxBuffer: 1 << 26 });
      expect(inZip.equals(readFileSync(join(sessionDir, name))), name).toBe(true);
    }
  });

  test('a port in use is explained in the window, with another port to pick', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const address = taken.address();
    const takenPort = typeof address === 'object' && address ? address.port : 0;
    try {
      app = await launch(takenPort);
      const window = await app.firstWindow();
      const problem = window.getByTestId('startup-problem');
      await expect(problem).toBeVisible();
      await expect(problem).toContainText(String(takenPort));
      await problem.getByRole('button', { name: 'Any free port' }).click();
      await expect(window.getByTestId('empty-state')).toBeVisible();
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});
