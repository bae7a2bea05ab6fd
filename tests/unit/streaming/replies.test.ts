/**
 * Replies to one camera sent in the same tick leave in one socket write, in
 * order; replies in later ticks are not held back. Real sockets on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  dropReply,
  dropReplyText,
  sendMessage,
  slowDownWarning,
} from '../../../src/main/streaming/replies';

let server: Server | undefined;
let client: WebSocket | undefined;

afterEach(async () => {
  client?.terminate();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
  client = undefined;
});

/** A connected pair: the station side's ws and a count of writes on its TCP socket. */
async function pair(): Promise<{ station: WebSocket; writes: () => number; received: string[] }> {
  server = createServer();
  const wss = new WebSocketServer({ server });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const accepted = new Promise<WebSocket>((done) => wss.once('connection', done));
  const received: string[] = [];
  client = new WebSocket(`ws://127.0.0.1:${port}`);
  client.on('message', (data: Buffer) => received.push(data.toString()));
  await new Promise((done) => client!.once('open', done));
  const station = await accepted;
  type Writer = (this: Socket, ...args: unknown[]) => void;
  const raw = (station as unknown as { _socket: Socket })._socket;
  let count = 0;
  // Every write that reaches the kernel goes through _write or _writev (several chunks).
  for (const method of ['_write', '_writev']) {
    const original = Reflect.get(raw, method) as Writer;
    Reflect.set(raw, method, function counted(this: Socket, ...args: unknown[]) {
      count++;
      original.apply(this, args);
    });
  }
  return { station, writes: () => count, received };
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('reply writes', () => {
  it('three replies in one tick: one write, in order', async () => {
    const { station, writes, received } = await pair();
    expect(sendMessage(station, dropReply(1))).toBe('sent');
    expect(sendMessage(station, slowDownWarning(0.5, 10))).toBe('sent');
    expect(sendMessage(station, dropReply(2))).toBe('sent');
    await until(() => received.length === 3);
    expect(received.map((m) => JSON.parse(m) as object)).toEqual([
      { frame_index: 1, dropped: true },
      { warning: 'slow_down', drop_rate: 0.5, suggested_fps: 10 },
      { frame_index: 2, dropped: true },
    ]);
    expect(writes()).toBe(1);
  });

  it('a reply in a later tick is written then, not held back', async () => {
    const { station, writes, received } = await pair();
    sendMessage(station, dropReply(1));
    await until(() => received.length === 1);
    sendMessage(station, dropReply(2));
    await until(() => received.length === 2);
    expect(received).toHaveLength(2);
    expect(writes()).toBe(2);
  });

  it('the drop notice template is the JSON of the drop reply', () => {
    for (const index of [1, 42, 9_007_199_254_740_991]) {
      expect(dropReplyText(index)).toBe(JSON.stringify(dropReply(index)));
    }
  });
});
