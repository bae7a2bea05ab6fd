/**
 * The live sessions, by id, by camera id and by peer address: who may take a
 * camera id (only its own address may replace a live session), how many
 * sessions one address holds, and closing them all when the station stops.
 */
import { CLOSE_GRACE_MS } from '../../shared/protocol';
import type { Session } from './session';

/** The peer's address without the IPv4-mapped prefix (`::ffff:10.0.0.7` is `10.0.0.7`). */
export function peerAddress(address: string | undefined): string {
  return (address ?? 'unknown').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}

/**
 * This machine's own default loopback addresses, where the sources the station
 * runs, the bridge and local tools connect from. Other 127/8 addresses are not
 * exempt from per-address limits (tests use 127.0.0.2 as another host).
 */
export function isOwnLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1';
}

/** What a newcomer asking for a camera id gets. */
export type CameraClaim =
  { kind: 'free' } | { kind: 'own'; previous: Session } | { kind: 'in_use'; holder: Session };

export class SessionRegistry {
  readonly sessions = new Map<string, Session>();
  private readonly byCamera = new Map<string, Session>();
  private readonly perAddress = new Map<string, number>();

  /** A live id can be taken over only from the address that holds it. */
  claim(cameraId: string, address: string): CameraClaim {
    const holder = this.byCamera.get(cameraId);
    if (!holder) return { kind: 'free' };
    return holder.address === address
      ? { kind: 'own', previous: holder }
      : { kind: 'in_use', holder };
  }

  /** Sessions the address holds now. */
  countFrom(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  add(session: Session): void {
    this.sessions.set(session.id, session);
    this.byCamera.set(session.cameraId, session);
    this.perAddress.set(session.address, this.countFrom(session.address) + 1);
  }

  remove(session: Session): void {
    if (!this.sessions.delete(session.id)) return;
    if (this.byCamera.get(session.cameraId) === session) this.byCamera.delete(session.cameraId);
    const left = this.countFrom(session.address) - 1;
    if (left > 0) this.perAddress.set(session.address, left);
    else this.perAddress.delete(session.address);
  }

  /**
   * Closes every live session (in-flight frames answered, waiting ones dropped),
   * gives peers CLOSE_GRACE_MS to complete the close handshake, then cuts what is left.
   */
  async closeAll(code: number, reason: string): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close(code, reason)));
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.sessions.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    for (const session of this.sessions.values()) session.socket.terminate();
    while (this.sessions.size > 0 && Date.now() < deadline + 500)
      await new Promise((r) => setTimeout(r, 10));
  }
}
