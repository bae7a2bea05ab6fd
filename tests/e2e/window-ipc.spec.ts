/**
 * The window's IPC path in Chromium (tests/e2e/helpers/window-ipc.ts): the real
 * preload on the dashboard page, the shell's real gatekeeper and handlers in
 * this process, only the Electron module stood in. Each window operation goes
 * out on its channel with its arguments in the table's order; the dashboard
 * works through it; foreign senders and bad arguments are refused; a recording
 * is saved through the save dialog.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { InputShape } from '../../src/shared/inputs';
import { IpcChannel } from '../../src/shared/ipc-channels';
import { operationNames, operationSpec, type WindowOperation } from '../../src/shared/operations';
import { STREAM_PATH } from '../../src/shared/protocol';
import { recordSession, startFleet, startRecordingCamera } from './helpers/cameras';
import { startWindowIpc, type WindowIpc } from './helpers/window-ipc';

let ipc: WindowIpc;
test.beforeEach(async () => {
  ipc = await startWindowIpc();
});
test.afterEach(async () => {
  await ipc.stop();
});

const cameraUrl = () => `ws://127.0.0.1:${ipc.station.info().port}${STREAM_PATH}`;

const windowOperations = operationNames.filter(
  (name): name is WindowOperation => operationSpec(name).ipc !== undefined,
);

/** A valid value for each input shape, different per argument name so an order shows. */
function sample(name: string, shape: InputShape): unknown {
  const samples: Record<InputShape, unknown> = {
    sessionId: `s-${name}`,
    pipelineId: `p-${name}`,
    cameraId: `c-${name}`,
    sourceId: `src-${name}`,
    alertId: `a-${name}`,
    recordedFile: `f-${name}.jpg`,
    port: 0,
    enabled: false,
    offset: 3,
    limit: 7,
    exportKind: 'zip',
    exportRange: { from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:00:01.000Z' },
    // A scheme the station refuses after the IPC check: nothing starts.
    newSource: { url: 'ftp://camera.invalid/feed', camera_id: `c-${name}` },
  };
  return samples[shape];
}

/** Calls `window.station[name](...args)`; a thrown refusal comes back as its code. */
function callBridge(page: Page, name: string, args: unknown[]) {
  return page.evaluate(
    async ([method, values]) => {
      const bridge = (globalThis as unknown as { station: Record<string, unknown> }).station;
      try {
        const call = bridge[method] as (...a: unknown[]) => Promise<unknown>;
        return { answered: await call(...values) };
      } catch (err) {
        return { thrown: (err as { code?: string }).code ?? String(err) };
      }
    },
    [name, args] as const,
  );
}

test('each window operation goes out on its channel, its arguments in the order of the table', async ({
  page,
}) => {
  await ipc.open(page);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  const exposed = await page.evaluate(() =>
    Object.keys((globalThis as unknown as { station: object }).station).sort(),
  );
  expect(exposed).toEqual([...windowOperations, 'kind', 'subscribe'].sort());

  for (const name of windowOperations) {
    const args = operationSpec(name).args.map(([argName, shape]) => sample(argName, shape));
    ipc.invokes.length = 0;
    const outcome = await callBridge(page, name, args);
    expect(ipc.invokes, name).toEqual([{ channel: IpcChannel[name], args }]);
    // Actions answer a result, refusals included; other operations throw a refusal with its code.
    if (operationSpec(name).reply.kind === 'action')
      expect(outcome, name).toHaveProperty('answered.ok');
  }
  // The arguments reached the station in their places: it names what it could not find.
  expect(
    await callBridge(page, 'getRecordingFrames', ['c-camera_id', 's-session_id', 0, 10]),
  ).toEqual({ thrown: 'unknown_recording' });
  expect(ipc.refusals).toEqual([]);
});

test('the dashboard through the preload: cameras appear live, a pipeline switch reaches the camera', async ({
  page,
}) => {
  const fleet = await startFleet({ url: cameraUrl(), count: 2, fps: 4, prefix: 'ipc' });
  const camera = await startRecordingCamera({
    url: cameraUrl(),
    cameraId: 'switcher',
    pipelineId: 'metadata',
    fps: 5,
  });
  try {
    await ipc.open(page);
    await expect(page.getByTestId('camera-card')).toHaveCount(3);
    await expect(page.getByTestId('connection')).toHaveText('live');
    const switcher = page.getByTestId('camera-card').filter({ hasText: 'switcher' });
    const select = switcher.getByTestId('pipeline-select');
    await expect(select).toHaveValue('metadata');
    await select.selectOption('inspect');
    await expect(switcher).toContainText('pinned');
    expect(ipc.invokes).toContainEqual({
      channel: IpcChannel.switchPipeline,
      args: [camera.sessionId, 'inspect'],
    });
    await expect
      .poll(() => camera.replies.filter((r) => r.pipeline?.id === 'inspect').length)
      .toBeGreaterThan(1);
    expect(ipc.logged).toContainEqual(
      expect.objectContaining({ event: 'ipc_action', operation: 'switchPipeline', ok: true }),
    );
  } finally {
    await camera.stop();
    await fleet.stop();
  }
});

test('a window the app did not create is refused, and so is a bad argument', async ({
  browser,
  page,
}) => {
  const foreign = await browser.newPage();
  try {
    await ipc.open(foreign, { trusted: false });
    expect(await callBridge(foreign, 'getSnapshot', [])).toEqual({ thrown: 'forbidden' });
    expect(await callBridge(foreign, 'disconnectCamera', ['s-1'])).toEqual({
      answered: expect.objectContaining({ ok: false, code: 'forbidden' }),
    });
  } finally {
    await foreign.close();
  }
  expect(ipc.refusals.map((r) => [r.channel, r.refusal.code])).toContainEqual([
    IpcChannel.disconnectCamera,
    'forbidden',
  ]);

  await ipc.open(page);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  ipc.refusals.length = 0;
  expect(await callBridge(page, 'switchPipeline', [42, null])).toEqual({
    answered: expect.objectContaining({ ok: false, code: 'invalid_argument' }),
  });
  expect(await callBridge(page, 'setSourceEnabled', ['src-1', 'yes'])).toEqual({
    answered: expect.objectContaining({ ok: false, code: 'invalid_argument' }),
  });
  expect(ipc.refusals.map((r) => r.refusal.code)).toEqual(['invalid_argument', 'invalid_argument']);
});

test('a recording is saved from the Recordings view through the save dialog', async ({ page }) => {
  const { sessionDir, lines: recorded } = await recordSession({
    url: cameraUrl(),
    dataDir: ipc.dataDir,
    prefix: 'save',
    ms: 2500,
  });

  await ipc.open(page);
  await page.getByRole('button', { name: 'Recordings' }).click();
  await page.getByTestId('recording-session').locator('.recording-open').click();
  await expect(page.getByTestId('frame-position')).toHaveText(`1 / ${recorded.length}`);
  // The window has no download links: it saves through the dialog.
  await expect(page.getByTestId('export-zip')).toHaveCount(0);

  const zipPath = join(ipc.dataDir, 'saved.zip');
  ipc.savePaths.push(zipPath);
  await page.getByTestId('save-zip').click();
  await expect(page.getByTestId('save-state')).toContainText(`Saved ${recorded.length} frames`);
  await expect(page.getByTestId('save-state')).toContainText(zipPath);
  expect(ipc.askedToSave.at(-1)).toMatch(/^save-01_.+\.zip$/);
  const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
  expect(names).toHaveLength(recorded.length + 1);
  for (const name of names) {
    const inZip = execFileSync('unzip', ['-p', zipPath, name], { maxBuffer: 1 << 26 });
    expect(inZip.equals(readFileSync(join(sessionDir, name))), name).toBe(true);
  }

  // Cancelled: no message, no error.
  ipc.savePaths.push(null);
  await page.getByTestId('save-mp4').click();
  await expect(page.getByTestId('save-state')).toHaveText('');
  await expect(page.getByTestId('save-error')).toHaveCount(0);

  // A folder that is not there: the reason and what to check, in the window.
  ipc.savePaths.push(join(ipc.dataDir, 'no-such-folder', 'saved.mp4'));
  await page.getByTestId('save-mp4').click();
  await expect(page.getByTestId('save-error')).toContainText('check the folder is writable');

  const mp4Path = join(ipc.dataDir, 'saved.mp4');
  ipc.savePaths.push(mp4Path);
  await page.getByTestId('save-mp4').click();
  await expect(page.getByTestId('save-state')).toContainText(`Saved ${recorded.length} frames`);
  const frames = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      mp4Path,
    ],
    { encoding: 'utf8' },
  ).trim();
  expect(Number(frames)).toBe(recorded.length);
  expect(ipc.logged.filter((l) => l.operation === 'saveRecordingExport').map((l) => l.ok)).toEqual([
    true,
    true,
    false,
    true,
  ]);
});
