/**
 * Attacks below the WebSocket layer, on raw TCP sockets: upgrade requests sent
 * a byte at a time, handshakes whose peer then never answers a ping, garbage
 * where WebSocket frames belong, malformed upgrades and plain junk requests.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { Rng } from './rng';

export type AttackKind =
  'slow_upgrade' | 'half_open' | 'garbage_frames' | 'bad_upgrade' | 'bad_target' | 'junk_request';

export interface AttackResult {
  kind: AttackKind;
  /** null when the station behaved as required. */
  violation: string | null;
  /** An allowed but notable outcome, counted in the report. */
  note?: string;
}

/** Opcodes of the (unmasked) WebSocket frames the station sent after its 101 response. */
export function serverFrameOpcodes(data: Buffer): number[] {
  const headerEnd = data.indexOf('\r\n\r\n');
  if (headerEnd < 0) return [];
  const opcodes: number[] = [];
  let pos = headerEnd + 4;
  while (pos + 2 <= data.length) {
    const opcode = data[pos]! & 0x0f;
    let length = data[pos + 1]! & 0x7f;
    pos += 2;
    if (length === 126) {
      if (pos + 2 > data.length) break;
      length = data.readUInt16BE(pos);
      pos += 2;
    } else if (length === 127) {
      if (pos + 8 > data.length) break;
      length = Number(data.readBigUInt64BE(pos));
      pos += 8;
    }
    opcodes.push(opcode);
    pos += length;
  }
  return opcodes;
}

function upgradeRequest(path: string, extra = ''): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`
  );
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects what the station sends until it closes the socket or `ms` pass. */
function collect(socket: Socket, ms: number): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve({ data: Buffer.concat(chunks), closed });
    };
    const timer = setTimeout(() => finish(false), ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('close', () => finish(true));
    socket.on('error', () => undefined);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runAttack(
  kind: AttackKind,
  port: number,
  rng: Rng,
  id: string,
  heartbeatMs: number,
): Promise<AttackResult> {
  const path = `/ws/video/stream?camera_id=${id}&pipeline_id=noop`;
  const socket = await open(port);
  socket.on('error', () => undefined);
  try {
    switch (kind) {
      case 'slow_upgrade': {
        // The station must keep serving others while this trickles in; then we walk away.
        const request = upgradeRequest(path);
        const upto = rng.int(1, request.length - 4);
        for (let i = 0; i < upto && !socket.destroyed; i += rng.int(1, 8)) {
          socket.write(request.slice(i, i + 8));
          await sleep(rng.int(5, 60));
        }
        return { kind, violation: null };
      }
      case 'half_open': {
        // A handshake, then silence: pings unanswered, as after a pulled cable.
        socket.write(upgradeRequest(path));
        const { data, closed } = await collect(socket, heartbeatMs * 3 + 3000);
        if (!data.toString('latin1').startsWith('HTTP/1.1 101')) {
          return { kind, violation: `half_open: no 101 (${data.toString('latin1', 0, 40)})` };
        }
        return {
          kind,
          violation: closed ? null : 'half_open: silent peer not ended by the heartbeat',
        };
      }
      case 'garbage_frames': {
        socket.write(upgradeRequest(path));
        await sleep(50);
        // Unmasked, reserved-bit, bad-opcode or random bytes where WebSocket frames belong.
        const prefix = rng.pick([[0x83, 0x05], [0xf2, 0x80], [0x82, 0x7f], []]);
        socket.write(Buffer.concat([Buffer.from(prefix), rng.bytes(rng.int(1, 256))]));
        const { closed, data } = await collect(socket, 5000);
        if (closed) return { kind, violation: null };
        // The station may have ended the session with a close frame and now waits for this
        // peer's close reply (ws gives it 30 s) before dropping the TCP connection: ended.
        if (serverFrameOpcodes(data).includes(0x8)) {
          return {
            kind,
            violation: null,
            note: 'garbage_frames: close frame sent, peer never replied',
          };
        }
        return { kind, violation: 'garbage_frames: connection left open, no close frame' };
      }
      case 'bad_upgrade': {
        const variants = [
          upgradeRequest(path).replace(/Sec-WebSocket-Key: .*\r\n/, ''),
          upgradeRequest(path).replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99'),
          upgradeRequest(path).replace('Sec-WebSocket-Key: ', 'Sec-WebSocket-Key: !!'),
        ];
        socket.write(rng.pick(variants));
        const { data } = await collect(socket, 5000);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1];
        return {
          kind,
          violation:
            status && status.startsWith('4') ? null : `bad_upgrade: got ${status ?? 'nothing'}`,
        };
      }
      case 'bad_target': {
        // A proper upgrade whose request target no URL parser should accept as is.
        const target = rng.pick([
          '/ws/video/stream?camera_id=%',
          '//ws/video/stream',
          'http://[::1/ws/video/stream',
          '*',
          '/%ZZ/ws/video/stream',
          '/ws/video/stream?%00=%00&pipeline_id=%E0%A4%A',
          `/ws/video/stream?camera_id=${'a'.repeat(rng.int(9000, 20_000))}`,
          'ws://127.0.0.1:1/ws/video/stream',
        ]);
        socket.write(upgradeRequest(target));
        const { data, closed } = await collect(socket, 5000);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1];
        // Any HTTP answer (a 101 for a target the station reads leniently) or a close is fine;
        // silence on an open connection is not.
        return {
          kind,
          violation:
            status || closed ? null : `bad_target ${target.slice(0, 40)}: no answer, left open`,
        };
      }
      case 'junk_request': {
        socket.write(Buffer.concat([rng.bytes(rng.int(1, 512)), Buffer.from('\r\n\r\n')]));
        const { closed, data } = await collect(socket, 12_000);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1];
        return {
          kind,
          violation:
            closed || status?.startsWith('4') ? null : 'junk_request: connection left open',
        };
      }
    }
  } finally {
    socket.destroy();
  }
}
