/**
 * The lab's stations as heard on `<prefix>/stations/+/status`: each one's
 * last status, online or offline since when, stale when it went quiet.
 */
import type { FleetMember } from '../../shared/fleet';
import { readStatus, type ReadStatus } from './status';

/** Stations remembered at most (a broker open to anyone cannot grow this without bound). */
const MAX_STATIONS = 500;

interface Entry {
  member: FleetMember;
  heardAt: number;
}

export class FleetRegistry {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param selfId this station's id (its entry is marked `self`)
   * @param staleAfterMs an online station not heard from this long is `stale`
   */
  constructor(
    private readonly selfId: string,
    private readonly staleAfterMs: number,
  ) {}

  /** A message on the status topic of `stationId`; returns what was made of it. */
  onStatus(stationId: string, payload: Buffer, now = Date.now()): ReadStatus | { ok: true } {
    if (payload.length === 0) {
      // An empty retained message clears the topic: the station is gone from the fleet.
      this.entries.delete(stationId);
      return { ok: true };
    }
    const read = readStatus(stationId, payload);
    if (!read.ok) return read;
    const previous = this.entries.get(stationId);
    if (!previous && this.entries.size >= MAX_STATIONS) return { ok: false, reason: 'too_many' };
    const at = new Date(now).toISOString();
    const status = read.status;
    const member: FleetMember = status.online
      ? {
          station_id: stationId,
          state: 'online',
          self: stationId === this.selfId,
          offline_since: null,
          last_seen_at: at,
          status,
        }
      : {
          station_id: stationId,
          state: 'offline',
          self: stationId === this.selfId,
          offline_since: previous?.member.offline_since ?? status.time,
          last_seen_at: at,
          status: previous?.member.status ?? null,
        };
    this.entries.set(stationId, { member, heardAt: now });
    return read;
  }

  /** Every known station, this one first, then by id. */
  members(now = Date.now()): FleetMember[] {
    const list = [...this.entries.values()].map(({ member, heardAt }) =>
      member.state === 'online' && now - heardAt > this.staleAfterMs
        ? { ...member, state: 'stale' as const }
        : member,
    );
    return list.sort(
      (a, b) => Number(b.self) - Number(a.self) || a.station_id.localeCompare(b.station_id),
    );
  }
}
