/**
 * The dashboard's push channel over HTTP: server-sent events, one StationEvent
 * per message. Bounded (docs/security.md, Event streams): clients in total and
 * per address, and what each may leave unread; each event is serialised once
 * for all clients, however many there are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StationEvent } from '../../shared/contract';
import { LOCAL_ADDRESSES } from '../access';
import { sendError } from './respond';

/** A client further behind than this loses its stream (it reconnects and re-reads the snapshot). */
export const MAX_UNREAD_BYTES = 256 * 1024;
const KEEP_ALIVE_MS = 15_000;

export interface EventStreamLimits {
  /** Event streams open at once, from everyone. */
  maxEventStreams: number;
  /** Event streams one remote address may hold (this machine's tabs: only the total applies). */
  maxEventStreamsPerAddress: number;
}

export type Subscribe = (listener: (event: StationEvent) => void) => () => void;

export class EventStreams {
  private readonly clients = new Set<ServerResponse>();
  private readonly perAddress = new Map<string, number>();
  private unsubscribe: (() => void) | null = null;
  private keepAlive: NodeJS.Timeout | null = null;

  constructor(
    private readonly subscribe: Subscribe,
    private readonly limits: EventStreamLimits,
    /** Called with the refusal, for the log. */
    private readonly onRefused: (remote: string, reason: string) => void = () => undefined,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  open(req: IncomingMessage, res: ServerResponse): void {
    const remote = req.socket.remoteAddress ?? '';
    const held = this.perAddress.get(remote) ?? 0;
    const refusal =
      this.clients.size >= this.limits.maxEventStreams
        ? `the station already serves ${this.limits.maxEventStreams} event streams (STATION_MAX_EVENT_STREAMS)`
        : !LOCAL_ADDRESSES.has(remote) && held >= this.limits.maxEventStreamsPerAddress
          ? `${remote} already holds ${held} event streams (STATION_MAX_EVENT_STREAMS_PER_ADDRESS)`
          : null;
    if (refusal) {
      this.onRefused(remote, refusal);
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, 'too_many_streams', `Too many event streams: ${refusal}`);
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    this.perAddress.set(remote, held + 1);
    this.start();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.clients.delete(res);
      const left = (this.perAddress.get(remote) ?? 1) - 1;
      if (left > 0) this.perAddress.set(remote, left);
      else this.perAddress.delete(remote);
      if (this.clients.size === 0) this.stop();
    };
    req.on('close', end);
    res.on('close', end);
    res.on('error', end);
  }

  /** Ends every stream (the station is stopping). */
  closeAll(): void {
    for (const res of [...this.clients]) res.destroy();
    this.stop();
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      // A client that does not read is cut off before its backlog costs memory.
      if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
      else res.write(text);
    }
  }

  private start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.subscribe((event) =>
      this.broadcast(`data: ${JSON.stringify(event)}\n\n`),
    );
    // Comments keep proxies and idle timeouts from closing a quiet stream.
    this.keepAlive = setInterval(() => this.broadcast(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }
}
