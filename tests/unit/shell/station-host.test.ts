import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../../src/main/config/settings';
import { createStationHost, type StationHost } from '../../../src/main/shell/station-host';
import { createStation } from '../../../src/main/station';

/** Holds a loopback port, as another program would. */
async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('station host (desktop start-up)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function hostOn(port: number): StationHost {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-host-'));
    const host = createStationHost({
      loadSettings: () => resolveSettings({ port, host: '127.0.0.1', dataDir, logLevel: 'silent' }),
      createStation,
    });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => host.stop());
    return host;
  }

  it('reports a port in use as a problem, then starts on another port', async () => {
    const taken = await occupyPort();
    cleanups.push(() => new Promise<void>((resolve) => taken.server.close(() => resolve())));
    const host = hostOn(taken.port);

    await host.start();
    expect(host.station()).toBeNull();
    expect(host.problem()).toMatchObject({
      code: 'port_in_use',
      port: taken.port,
      host: '127.0.0.1',
    });
    expect(host.problem()?.message).toContain(String(taken.port));

    const events: string[] = [];
    host.subscribe((event) => events.push(event.type));
    expect(await host.restartOnPort(0)).toEqual({ ok: true });
    const station = host.station();
    expect(station).not.toBeNull();
    expect(host.problem()).toBeNull();
    expect(station?.info().port).not.toBe(taken.port);
    expect(await host.restartOnPort(0)).toMatchObject({ ok: false, code: 'invalid_argument' });

    // Events of the restarted station reach the host's listeners.
    expect(station?.setDefaultPipeline('noop')).toEqual({ ok: true });
    expect(events).toContain('station_changed');
  });

  it('keeps the problem when the other port is taken too', async () => {
    const first = await occupyPort();
    const second = await occupyPort();
    cleanups.push(() => new Promise<void>((resolve) => first.server.close(() => resolve())));
    cleanups.push(() => new Promise<void>((resolve) => second.server.close(() => resolve())));
    const host = hostOn(first.port);
    await host.start();
    const result = await host.restartOnPort(second.port);
    expect(result).toMatchObject({ ok: false, code: 'not_available' });
    expect(host.problem()).toMatchObject({ code: 'port_in_use', port: second.port });
  });

  it('turns invalid settings into a start-up problem, not a crash', async () => {
    const host = createStationHost({
      loadSettings: () => resolveSettings({ maxSessions: -3 }),
      createStation,
    });
    await host.start();
    expect(host.station()).toBeNull();
    expect(host.problem()).toMatchObject({ code: 'start_failed' });
    expect(host.problem()?.message).toMatch(/maxSessions/);
  });
});
