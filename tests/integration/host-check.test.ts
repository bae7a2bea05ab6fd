/**
 * DNS rebinding: a page served from a name the attacker controls, resolved to
 * the station, sends that name as Host. Every browser-facing route and every
 * WebSocket upgrade with an Origin refuses it with 421; /metrics, /healthz and
 * cameras without an Origin do not look at Host; the station's own names and
 * STATION_ALLOWED_HOSTS pass.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { hostname } from 'node:os';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_PATH } from '../../src/shared/protocol';
import { disposeStation, startStation, type TestStation } from '../helpers/station';

let station: TestStation | null = null;
const REBIND = 'rebind.attacker.example';

beforeAll(async () => {
  station = await startStation({ allowedHosts: ['station.lab.example'] });
}, 30_000);

afterAll(async () => {
  station = await disposeStation(station);
}, 30_000);

interface Answer {
  status: number;
  body: string;
}

/** A request with a Host of our choosing (fetch may not set Host). */
function send(method: string, path: string, host: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: station!.port,
        method,
        path,
        headers: { Host: host, 'Content-Type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{"pipeline_id":"metadata"}' : undefined);
  });
}

/** Upgrades to the camera endpoint; resolves with the refusal status or 101. */
function upgrade(host: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${station!.port}${STREAM_PATH}?camera_id=host-cam`, {
      headers: { Host: host, ...(origin ? { Origin: origin } : {}) },
    });
    ws.once('upgrade', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => undefined);
  });
}

describe('the Host check', () => {
  it('refuses a rebinding name on the dashboard, the camera page and every /api route', async () => {
    const host = `${REBIND}:${station!.port}`;
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/camera'],
      ['GET', '/api/snapshot'],
      ['GET', '/api/events'],
      ['GET', '/api/pipelines'],
      ['POST', '/api/default-pipeline'],
    ] as const) {
      const answer = await send(method, path, host);
      expect(answer.status, `${method} ${path}`).toBe(421);
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'unknown_host' });
    }
    const logged = station!.logs.lines.find(
      (l) => l.event === 'http_refused' && l.code === 'unknown_host',
    );
    expect(logged).toMatchObject({ host, remote: '127.0.0.1' });
  });

  it('serves the station by its own names, its loopback literals and STATION_ALLOWED_HOSTS', async () => {
    const port = station!.port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `${hostname()}:${port}`,
      `${hostname()}.local:${port}`,
      `STATION.lab.example:${port}`,
      'station.lab.example',
    ]) {
      const answer = await send('GET', '/api/snapshot', host);
      expect(answer.status, host).toBe(200);
    }
    expect(
      station!.logs.lines.find((l) => l.event === 'station_host_names')?.names as string[],
    ).toEqual(
      expect.arrayContaining(['localhost', 'station.lab.example', hostname().toLowerCase()]),
    );
  });

  it('leaves /metrics and /healthz to machines, whatever their Host', async () => {
    expect((await send('GET', '/metrics', REBIND)).status).toBe(200);
    expect((await send('GET', '/healthz', REBIND)).status).toBe(200);
  });

  it('refuses a WebSocket upgrade from a page on a rebinding name; a camera without Origin passes', async () => {
    const port = station!.port;
    const page = `http://${REBIND}:${port}`;
    expect(await upgrade(`${REBIND}:${port}`, page)).toBe(421);
    expect(await upgrade(`${REBIND}:${port}`)).toBe(101);
    expect(await upgrade(`127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe(101);
    expect(
      station!.logs.lines.some((l) => l.event === 'stream_refused' && l.code === 'unknown_host'),
    ).toBe(true);
  });

  it('checks Host names case-blind and without the port or a trailing dot', async () => {
    const id = randomBytes(2).toString('hex');
    expect((await send('GET', '/api/snapshot', `LOCALHOST.:${station!.port}`)).status).toBe(200);
    expect((await send('GET', '/api/snapshot', `localhost.${id}.example`)).status).toBe(421);
  });
});
