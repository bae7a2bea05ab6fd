/**
 * The window's "Save ZIP…" through the real gatekeeper and handlers: the save
 * dialog is a stand-in that picks a path in a temp folder (or cancels), and
 * the file written there is opened with unzip and compared with the disk.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcGatekeeper } from '../../src/main/shell/ipc-gatekeeper';
import { registerStationHandlers } from '../../src/main/shell/ipc-handlers';
import type { StationHost } from '../../src/main/shell/station-host';
import { createRecordingBrowser } from '../../src/main/recordings/browse';
import { IpcChannel } from '../../src/shared/ipc-channels';
import { recordingsDir } from '../unit/recordings/fixtures';
import { createFakeIpcMain, senderEvent } from '../helpers/fake-ipc';

let fixture: Awaited<ReturnType<typeof recordingsDir>>;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  fixture = await recordingsDir();
  await fixture.record('scope-1', 'sess-a', 12, T0);
});
afterEach(() => fixture.cleanup());

/** The handlers over a fake ipcMain; `answer` is what the save dialog returns. */
function windowWith(answer: (name: string) => string | null) {
  const ipcMain = createFakeIpcMain();
  const browser = createRecordingBrowser(fixture.dir);
  const host = {
    station: () => ({ recordingBrowser: () => browser }),
    problem: () => null,
  } as unknown as StationHost;
  const asked: { name: string; kind: string }[] = [];
  const logged: Record<string, unknown>[] = [];
  const gate = createIpcGatekeeper({ ipcMain, isTrusted: (e) => e.sender.id === 1 });
  registerStationHandlers(gate, {
    host,
    openPath: () => Promise.resolve(''),
    log: (entry) => logged.push(entry),
    chooseExportPath: (name, kind) => {
      asked.push({ name, kind });
      return Promise.resolve(answer(name));
    },
  });
  const save = (...args: unknown[]) =>
    ipcMain.invoke(IpcChannel.saveRecordingExport, senderEvent({ webContentsId: 1 }), ...args);
  return { save, asked, logged };
}

function zipEntries(path: string): string[] {
  return execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
}

describe('saving a recording from the window', () => {
  it('writes the ZIP the technician chose, byte-identical to disk, and logs it', async () => {
    const { save, asked, logged } = windowWith((name) => join(fixture.dataDir, name));
    const reply = await save('scope-1', 'sess-a', 'zip', null);
    const path = join(fixture.dataDir, 'scope-1_sess-a.zip');
    expect(asked).toEqual([{ name: 'scope-1_sess-a.zip', kind: 'zip' }]);
    expect(reply).toMatchObject({ ok: true, value: { saved: true, path, frames: 12 } });
    const names = zipEntries(path);
    expect(names).toHaveLength(13);
    for (const name of names) {
      const inZip = execFileSync('unzip', ['-p', path, name], { maxBuffer: 1 << 26 });
      const onDisk = await readFile(join(fixture.dir, 'scope-1', 'sess-a', name));
      expect(inZip.equals(onDisk), name).toBe(true);
    }
    expect(logged).toEqual([
      expect.objectContaining({
        event: 'ipc_action',
        operation: 'saveRecordingExport',
        via: 'ipc',
        ok: true,
        frames: 12,
      }),
    ]);
  });

  it('saves only the marked range', async () => {
    const { save } = windowWith((name) => join(fixture.dataDir, name));
    // Frames 4 to 7 (one every 100 ms from T0).
    const reply = await save('scope-1', 'sess-a', 'zip', { from: at(T0 + 300), to: at(T0 + 600) });
    expect(reply).toMatchObject({ ok: true, value: { saved: true, frames: 4 } });
    const path = (reply as { value: { path: string } }).value.path;
    expect(path).toContain('_20260301T100000300Z-20260301T100000600Z.zip');
    const results = execFileSync('unzip', ['-p', path, 'results.jsonl'], { encoding: 'utf8' });
    const onDisk = (await readFile(join(fixture.dir, 'scope-1', 'sess-a', 'results.jsonl')))
      .toString('utf8')
      .split('\n');
    expect(results).toBe(`${onDisk.slice(3, 7).join('\n')}\n`);
    expect(zipEntries(path)).toHaveLength(5);
  });

  it('takes a cancelled dialog as no export, not as an error', async () => {
    const { save, logged } = windowWith(() => null);
    expect(await save('scope-1', 'sess-a', 'mp4', null)).toEqual({
      ok: true,
      value: { saved: false },
    });
    expect(logged).toEqual([expect.objectContaining({ ok: true, cancelled: true })]);
    expect((await readdir(fixture.dataDir)).filter((f) => /\.(mp4|part)$/.test(f))).toEqual([]);
  });

  it('answers a session that is gone before asking for a file', async () => {
    const { save, asked } = windowWith((name) => join(fixture.dataDir, name));
    expect(await save('scope-1', 'gone', 'zip', null)).toMatchObject({
      ok: false,
      code: 'unknown_recording',
    });
    expect(asked).toEqual([]);
  });

  it('says what to check when the chosen folder cannot take the file', async () => {
    const { save, logged } = windowWith((name) => join(fixture.dataDir, 'no-such-folder', name));
    const reply = await save('scope-1', 'sess-a', 'zip', null);
    expect(reply).toMatchObject({ ok: false, code: 'internal' });
    expect((reply as { message: string }).message).toContain('check the folder is writable');
    expect(logged).toEqual([
      expect.objectContaining({ ok: false, code: 'internal', level: 'warn' }),
    ]);
  });

  it.each([
    [['scope-1', 'sess-a', 'gif', null]],
    [['scope-1', 'sess-a', 'zip', { from: 'yesterday', to: 'today' }]],
    [['scope-1', 'sess-a', 'zip']],
    [['sess-a', 'scope-1', 'zip', null, 'extra']],
  ])('refuses the arguments %j', async (args) => {
    const { save, asked } = windowWith((name) => join(fixture.dataDir, name));
    expect(await save(...args)).toMatchObject({ ok: false, code: 'invalid_argument' });
    expect(asked).toEqual([]);
  });
});
