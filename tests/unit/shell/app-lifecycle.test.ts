/**
 * The desktop app's wiring, with Electron replaced by recording fakes (the
 * binary is not everywhere): lock, window at once, window options, hardening,
 * bounded drain on quit, second launch. tests/e2e/electron-app.spec.ts runs the real thing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fake-electron';
import type { StationHost } from '../../../src/main/shell/station-host';
import { IpcChannel } from '../../../src/shared/ipc-channels';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const { runDesktopApp } = await import('../../../src/main/shell/app-lifecycle');

/** A host whose start and stop are recorded, and settle when the test says so. */
function recordingHost(options: { quitTimeoutMs?: number; stopHangs?: boolean } = {}) {
  let started: () => void = () => undefined;
  const startGate = new Promise<void>((resolve) => (started = resolve));
  const host: StationHost = {
    settings: () =>
      ({
        dataDir: '/lab/station-data',
        quitTimeoutMs: options.quitTimeoutMs ?? 5000,
      }) as ReturnType<StationHost['settings']>,
    start: () => {
      fake.calls.push('station start');
      return startGate;
    },
    settled: () => startGate,
    stop: () => {
      fake.calls.push('station stop');
      return options.stopHangs ? new Promise<void>(() => undefined) : Promise.resolve();
    },
    restartOnPort: () => Promise.resolve({ ok: true }),
    station: () => null,
    problem: () => null,
    subscribe: () => () => undefined,
  };
  return { host, finishStart: () => started() };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The app launched and ready, its station started. */
async function runningApp(options: Parameters<typeof recordingHost>[0] = {}): Promise<void> {
  const { host, finishStart } = recordingHost(options);
  runDesktopApp(host);
  fake.makeReady();
  finishStart();
  await flush();
}

describe('desktop app lifecycle', () => {
  let restoreSignals: () => void = () => undefined;
  beforeEach(() => {
    fake.resetFakes();
    restoreSignals = fake.signalListenerGuard();
  });
  afterEach(() => restoreSignals());

  it('a second instance quits at once, without starting a station', () => {
    fake.app.lock = false;
    runDesktopApp(recordingHost().host);
    expect(fake.calls).toEqual(['setPath userData /lab/station-data', 'lock', 'quit', 'exited']);
    expect(fake.handlers.size).toBe(0);
  });

  it('locks the data folder, opens the window at once, and it waits for the start', async () => {
    const { host, finishStart } = recordingHost();
    runDesktopApp(host);
    // The lock is taken on the station's data folder, and every renderer is sandboxed.
    expect(fake.calls.slice(0, 4)).toEqual([
      'setPath userData /lab/station-data',
      'lock',
      'setPath sessionData /lab/station-data/window-session',
      'enableSandbox',
    ]);
    const invokeChannels = Object.values(IpcChannel).filter((c) => c !== IpcChannel.event);
    expect([...fake.handlers.keys()].sort()).toEqual([...invokeChannels].sort());

    fake.makeReady();
    await flush();
    // The window is there before the station has started (the page shows "starting").
    const loaded = fake.calls.findIndex((c) => c.startsWith('loadURL '));
    expect(loaded).toBeGreaterThan(-1);
    expect(fake.calls.indexOf('station start')).toBeGreaterThan(loaded);
    expect(fake.calls[loaded]).toMatch(/^loadURL file:\/\/.*\/renderer\/index\.html$/);
    const [window] = fake.windows;
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });

    // The page's first question is answered only once the start has settled.
    let answer: unknown = 'pending';
    void fake.invokeFrom(window!, IpcChannel.getStartupProblem).then((r) => (answer = r));
    await flush();
    expect(answer).toBe('pending');
    finishStart();
    await flush();
    expect(answer).toEqual({ ok: true, value: null });
  });

  it('drains on quit, then exits', async () => {
    await runningApp();
    fake.calls.length = 0;
    fake.app.quit();
    fake.app.quit(); // a second quit while draining starts nothing new
    expect(fake.calls).toEqual(['quit', 'station stop', 'quit']);
    await flush();
    expect(fake.calls.slice(3)).toEqual(['flushStorageData', 'exit 0']);
    expect(fake.handlers.size).toBe(0);
  });

  it('exits after the quit timeout when the drain hangs, and logs why', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runningApp({ quitTimeoutMs: 150, stopHangs: true });
      fake.calls.length = 0;
      const quitAt = Date.now();
      fake.app.quit();
      await flush();
      expect(fake.calls).toEqual(['quit', 'station stop']);
      await vi.waitFor(() => expect(fake.calls).toContain('exit 1'), { timeout: 3000 });
      expect(Date.now() - quitAt).toBeGreaterThanOrEqual(140);
      const logged = stderr.mock.calls.map(([line]) => JSON.parse(String(line)) as object);
      expect(logged).toContainEqual(
        expect.objectContaining({ event: 'quit_drain_timeout', timeout_ms: 150 }),
      );
      expect(fake.handlers.size).toBe(0);
    } finally {
      stderr.mockRestore();
    }
  });

  it('a second launch opens a window when none is left, else shows the open one', async () => {
    await runningApp();
    expect(fake.windows).toHaveLength(1);
    fake.calls.length = 0;
    fake.app.emit('second-instance');
    expect(fake.calls).toEqual(['show', 'focus']);
    expect(fake.windows).toHaveLength(1);

    // The window is gone (closed while the app lives on): a second launch opens a new one.
    fake.app.removeAllListeners('window-all-closed');
    fake.windows[0]!.close();
    expect(fake.windows).toHaveLength(0);
    fake.app.emit('second-instance');
    expect(fake.windows).toHaveLength(1);
    expect(fake.calls.filter((c) => c.startsWith('loadURL '))).toHaveLength(1);
    // ...and the new window is a trusted sender.
    expect(await fake.invokeFrom(fake.windows[0]!, IpcChannel.getStartupProblem)).toEqual({
      ok: true,
      value: null,
    });

    // While quitting, a second launch opens nothing.
    fake.windows[0]!.close();
    fake.app.quit();
    fake.app.emit('second-instance');
    expect(fake.windows).toHaveLength(0);
  });

  it('denies new windows, navigation elsewhere and permissions', async () => {
    await runningApp();
    const contents = fake.windows[0]!.webContents;
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault: () => (event.prevented = true) };
      contents.emit('will-navigate', event, url);
      return event.prevented;
    };
    const page = fake.calls.find((c) => c.startsWith('loadURL '))!.slice('loadURL '.length);
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(page)).toBe(false);

    const answers: Array<[string, boolean]> = [];
    for (const permission of ['media', 'geolocation', 'clipboard-sanitized-write']) {
      fake.session.defaultSession.permissionRequest?.({}, permission, (ok) =>
        answers.push([permission, ok]),
      );
    }
    expect(answers).toEqual([
      ['media', false],
      ['geolocation', false],
      ['clipboard-sanitized-write', true],
    ]);
    expect(fake.calls).toContain('onBeforeRequest');
  });
});
