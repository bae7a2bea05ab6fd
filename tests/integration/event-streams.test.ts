/**
 * Event streams with limits, on real sockets: clients in total and per
 * address (127.0.0.2 stands in for a LAN host) are capped with 503, and a
 * client that never reads is cut off while one that reads gets every event.
 */
import { connect, type Socket } from 'node:net';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StationEvent } from '../../src/shared/contract';
import { EventStreams, MAX_UNREAD_BYTES } from '../../src/main/http/event-stream';

let server: Server;
let port: number;
const listeners = new Set<(event: StationEvent) => void>();
let streams: EventStreams;
const refused: string[] = [];
const sockets: Socket[] = [];
let subscriptions = 0;

beforeAll(async () => {
  streams = new EventStreams(
    (listener) => {
      subscriptions++;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    { maxEventStreams: 6, maxEventStreamsPerAddress: 2 },
    (remote, reason) => refused.push(`${remote}: ${reason}`),
  );
  server = createServer((req, res) => streams.open(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await waitFor(() => streams.size === 0);
});

afterAll(async () => {
  streams.closeAll();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Opens a stream from `from` and resolves with the status line's code; the socket stays open. */
function openStream(from: string, read = true): Promise<{ status: number; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    sockets.push(socket);
    let head = '';
    socket.setEncoding('latin1');
    socket.once('connect', () =>
      socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
    );
    const onData = (chunk: string) => {
      head += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!status) return;
      socket.off('data', onData);
      if (!read) socket.pause();
      resolve({ status: Number(status[1]), socket });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

const emit = (event: StationEvent) => listeners.forEach((l) => l(event));

describe('/api/events limits', () => {
  it('caps streams per remote address, but not for this machine', async () => {
    expect((await openStream('127.0.0.2')).status).toBe(200);
    expect((await openStream('127.0.0.2')).status).toBe(200);
    expect((await openStream('127.0.0.2')).status).toBe(503);
    expect(refused.at(-1)).toContain('STATION_MAX_EVENT_STREAMS_PER_ADDRESS');
    expect((await openStream('127.0.0.3')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await openStream('127.0.0.1')).status).toBe(200);
    expect(streams.size).toBe(6);
  });

  it('caps streams in total', async () => {
    for (let i = 0; i < 6; i++) expect((await openStream('127.0.0.1')).status).toBe(200);
    expect((await openStream('127.0.0.1')).status).toBe(503);
    expect(refused.at(-1)).toContain('STATION_MAX_EVENT_STREAMS');
    // A closed stream frees its place.
    sockets[0]!.destroy();
    await waitFor(() => streams.size === 5);
    expect((await openStream('127.0.0.1')).status).toBe(200);
  });

  it('cuts off a client that never reads; one that reads gets every event, serialised once', async () => {
    const before = subscriptions;
    const reader = await openStream('127.0.0.1');
    let received = 0;
    reader.socket.on('data', (chunk: string) => {
      received += chunk.split('data: ').length - 1;
    });
    await openStream('127.0.0.2', false);
    expect(streams.size).toBe(2);
    expect(subscriptions - before, 'one subscription for all clients').toBe(1);
    const stringify = vi.spyOn(JSON, 'stringify');
    // Large events (64 KiB each) until the stalled client's backlog passes the bound.
    const big = { type: 'cameras_changed', cameras: [], pad: 'x'.repeat(64 * 1024) };
    let sent = 0;
    while (streams.size === 2 && sent < 2000) {
      emit(big as unknown as StationEvent);
      sent++;
      await new Promise((r) => setImmediate(r));
    }
    expect(stringify.mock.calls.length, 'each event serialised once').toBe(sent);
    stringify.mockRestore();
    expect(streams.size, 'the stalled client is gone').toBe(1);
    expect(sent * 64 * 1024).toBeGreaterThan(MAX_UNREAD_BYTES);
    await waitFor(() => received === sent);
  });

  it('answers a refusal with Retry-After and the code', async () => {
    for (let i = 0; i < 6; i++) await openStream('127.0.0.1');
    const answer = await new Promise<{ status: number; retry: string | undefined; body: string }>(
      (resolve) => {
        request({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, retry: res.headers['retry-after'], body }),
          );
        }).end();
      },
    );
    expect(answer).toMatchObject({ status: 503, retry: '5' });
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, code: 'too_many_streams' });
  });
});
