import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import { createIpcGatekeeper, type Refusal } from '../../../src/main/shell/ipc-gatekeeper';
import { createTrustedSenders } from '../../../src/main/shell/trusted-senders';
import { APP_URL, createFakeIpcMain, fakeWebContents, senderEvent } from '../../helpers/fake-ipc';

// The gatekeeper must work without the Electron runtime: any real import would throw here.
vi.mock('electron', () => {
  throw new Error('the gatekeeper must not load electron at runtime');
});

describe('IPC gatekeeper', () => {
  let ipcMain: ReturnType<typeof createFakeIpcMain>;
  let refused: Array<{ channel: string; refusal: Refusal }>;
  let calls: unknown[][];
  const appWindow = fakeWebContents(7);

  beforeEach(() => {
    ipcMain = createFakeIpcMain();
    refused = [];
    calls = [];
    const trusted = createTrustedSenders(APP_URL);
    trusted.add(fakeWebContents(7));
    const gate = createIpcGatekeeper({
      ipcMain,
      isTrusted: (event) => trusted.isTrusted(event),
      onRefused: (channel, refusal) => refused.push({ channel, refusal }),
    });
    gate.handle(
      IpcChannel.switchPipeline,
      z.tuple([z.string().min(1), z.string().min(1)]),
      (sessionId, pipelineId) => {
        calls.push([sessionId, pipelineId]);
        return { ok: true };
      },
    );
    gate.handle(IpcChannel.getSnapshot, z.tuple([]), () => {
      throw new Error('catalog exploded');
    });
  });

  it('runs the handler for the app window with good arguments', async () => {
    const reply = await ipcMain.invoke(
      IpcChannel.switchPipeline,
      senderEvent({ webContentsId: appWindow.id }),
      's-1',
      'inspect',
    );
    expect(reply).toEqual({ ok: true });
    expect(calls).toEqual([['s-1', 'inspect']]);
    expect(refused).toEqual([]);
  });

  it.each([
    ['a window the app did not create', { webContentsId: 99 }],
    ['an iframe inside the app window', { webContentsId: 7, subframe: true }],
    [
      'the app window navigated to a remote page',
      { webContentsId: 7, url: 'https://evil.example/' },
    ],
    [
      'another local file in the app window',
      { webContentsId: 7, url: 'file:///home/someone/Downloads/page.html' },
    ],
    ['a frame already gone', { webContentsId: 7, noFrame: true }],
  ])('refuses %s', async (_name, sender) => {
    const reply = await ipcMain.invoke(
      IpcChannel.switchPipeline,
      senderEvent(sender),
      's-1',
      'inspect',
    );
    expect(reply).toMatchObject({ ok: false, code: 'forbidden' });
    expect(calls).toEqual([]);
    expect(refused.map((r) => r.channel)).toEqual([IpcChannel.switchPipeline]);
  });

  it('forgets a window once its web contents is destroyed', () => {
    const trusted = createTrustedSenders(APP_URL);
    const contents = fakeWebContents(11);
    trusted.add(contents);
    expect(trusted.isTrusted(senderEvent({ webContentsId: 11 }))).toBe(true);
    contents.destroy();
    expect(trusted.isTrusted(senderEvent({ webContentsId: 11 }))).toBe(false);
  });

  it.each([
    ['a number where a string is expected', [42, 'inspect']],
    ['a missing argument', ['s-1']],
    ['an extra argument', ['s-1', 'inspect', 'surprise']],
    ['an empty string', ['', 'inspect']],
    ['an object', [{ toString: 'x' }, 'inspect']],
  ])('refuses %s', async (_name, args) => {
    const reply = await ipcMain.invoke(
      IpcChannel.switchPipeline,
      senderEvent({ webContentsId: 7 }),
      ...args,
    );
    expect(reply).toMatchObject({ ok: false, code: 'invalid_argument' });
    expect((reply as Refusal).message.length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });

  it('turns a thrown error into a value with a code', async () => {
    const reply = await ipcMain.invoke(IpcChannel.getSnapshot, senderEvent({ webContentsId: 7 }));
    expect(reply).toEqual({ ok: false, code: 'internal', message: 'catalog exploded' });
  });

  it('accepts one handler per channel and removes them all on dispose', () => {
    const fresh = createFakeIpcMain();
    const gate = createIpcGatekeeper({ ipcMain: fresh, isTrusted: () => true });
    gate.handle(IpcChannel.dismissCamera, z.tuple([z.string()]), () => ({ ok: true }));
    expect(() =>
      gate.handle(IpcChannel.dismissCamera, z.tuple([z.string()]), () => ({ ok: true })),
    ).toThrow(/has a handler already/);
    gate.dispose();
    expect(fresh.handlers.size).toBe(0);
  });
});

describe('trusted senders with a dev server page', () => {
  it('trusts the dev origin and no other', () => {
    const trusted = createTrustedSenders('http://localhost:5173/');
    trusted.add(fakeWebContents(3));
    expect(
      trusted.isTrusted(senderEvent({ webContentsId: 3, url: 'http://localhost:5173/#x' })),
    ).toBe(true);
    expect(
      trusted.isTrusted(senderEvent({ webContentsId: 3, url: 'http://localhost:5174/' })),
    ).toBe(false);
    expect(trusted.isTrusted(senderEvent({ webContentsId: 3, url: 'not a url' }))).toBe(false);
  });
});
