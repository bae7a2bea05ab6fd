/**
 * A station's status message: built from this station's own figures, and
 * read (strictly) from the broker. A status is trusted only from the topic of
 * its own station id, and only ws(s):// and http(s):// links are kept.
 */
import { z } from 'zod';
import type { StationGone, StationStatus } from '../../shared/fleet';
import { urlInput } from '../../shared/inputs';
import { CAMERA_ID_PATTERN } from '../../shared/protocol';

/** Station ids follow the camera id rule: 1-64 of A-Z a-z 0-9 . _ - (safe in a topic). */
const STATION_ID_PATTERN = CAMERA_ID_PATTERN;

export interface LocalFigures {
  sessions: number;
  maxSessions: number;
  fpsIn: number;
  fpsOut: number;
}

export interface StatusIdentity {
  stationId: string;
  version: string;
  cameraUrl: string;
  dashboardUrl: string;
  capacityFps: number | null;
}

export function buildStatus(
  who: StatusIdentity,
  figures: LocalFigures,
  now = new Date(),
): StationStatus {
  return {
    station_id: who.stationId,
    online: true,
    version: who.version,
    camera_url: who.cameraUrl,
    dashboard_url: who.dashboardUrl,
    sessions: figures.sessions,
    max_sessions: figures.maxSessions,
    fps_in: round2(figures.fpsIn),
    fps_out: round2(figures.fpsOut),
    capacity_fps: who.capacityFps,
    time: now.toISOString(),
  };
}

export function buildGone(stationId: string, now = new Date()): StationGone {
  return { station_id: stationId, online: false, time: now.toISOString() };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const count = z.number().int().min(0).max(1_000_000);
const rate = z.number().finite().min(0).max(1e7);
const time = z.string().max(64);

const onlineSchema = z.object({
  station_id: z.string().regex(STATION_ID_PATTERN),
  online: z.literal(true),
  version: z.string().max(64),
  camera_url: urlInput(['ws:', 'wss:']),
  dashboard_url: urlInput(['http:', 'https:']),
  sessions: count,
  max_sessions: count,
  fps_in: rate,
  fps_out: rate,
  capacity_fps: rate.nullable(),
  time,
});

const goneSchema = z.object({
  station_id: z.string().regex(STATION_ID_PATTERN),
  online: z.literal(false),
  time,
});

/** Largest status payload read; anything bigger is not a status. */
const MAX_STATUS_BYTES = 8 * 1024;

export type ReadStatus =
  { ok: true; status: StationStatus | StationGone } | { ok: false; reason: string };

/** Reads a status that arrived on the status topic of `topicStationId`. */
export function readStatus(topicStationId: string, payload: Buffer): ReadStatus {
  if (payload.length > MAX_STATUS_BYTES) return { ok: false, reason: 'too_large' };
  let data: unknown;
  try {
    data = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  const online = typeof data === 'object' && data !== null && 'online' in data && data.online;
  const parsed = (online === true ? onlineSchema : goneSchema).safeParse(data);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  if (parsed.data.station_id !== topicStationId) return { ok: false, reason: 'wrong_topic' };
  return { ok: true, status: parsed.data };
}
