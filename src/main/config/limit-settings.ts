/**
 * What one peer may cost the station on the camera port (docs/security.md,
 * Limits): the message budget of a session, sessions per address, idle
 * sessions, sources the station runs.
 */
import { z } from 'zod';
import type { SettingSpec } from './settings';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export interface LimitSettings {
  /** Frames per second a session may send that replace a waiting one (3 windows over: 4029). */
  maxFps: number;
  /** Camera sessions one remote address may hold; 127.0.0.1 and ::1 are not limited. */
  maxSessionsPerAddress: number;
  /** A session that sends no frame this long is closed with 4009, ms. */
  idleMs: number;
  /** Sources (cameras the station pulls in itself) at most. */
  maxSources: number;
  /** Event streams (`/api/events`) open at once. */
  maxEventStreams: number;
  /** Event streams one remote address may hold (this machine: only the total applies). */
  maxEventStreamsPerAddress: number;
}

export const LIMIT_DEFAULTS: LimitSettings = {
  maxFps: 120,
  maxSessionsPerAddress: 16,
  idleMs: 600_000,
  maxSources: 64,
  maxEventStreams: 32,
  maxEventStreamsPerAddress: 4,
};

/** The camera port's per-peer limits (docs/protocol.md, Limits). */
export const LIMIT_SETTINGS: readonly SettingSpec[] = [
  {
    key: 'maxFps',
    env: 'STREAM_MAX_FPS',
    flag: 'max-fps',
    describe: 'frames per second a session may send that replace a waiting frame',
    schema: int(1, 100_000),
  },
  {
    key: 'maxSessionsPerAddress',
    env: 'STREAM_MAX_SESSIONS_PER_ADDRESS',
    flag: 'max-sessions-per-address',
    describe: 'camera sessions one remote address may hold (127.0.0.1 and ::1: no limit)',
    schema: int(1, 100_000),
  },
  {
    key: 'idleMs',
    env: 'STREAM_IDLE_MS',
    flag: 'idle-ms',
    describe: 'a session that sends no frame this long is closed with 4009, ms',
    schema: int(1000, 86_400_000),
  },
  {
    key: 'maxSources',
    env: 'STATION_MAX_SOURCES',
    flag: 'max-sources',
    describe: 'sources (cameras the station pulls in itself) at most',
    schema: int(1, 10_000),
  },
  {
    key: 'maxEventStreams',
    env: 'STATION_MAX_EVENT_STREAMS',
    flag: 'max-event-streams',
    describe: 'event streams (/api/events) open at once',
    schema: int(1, 10_000),
  },
  {
    key: 'maxEventStreamsPerAddress',
    env: 'STATION_MAX_EVENT_STREAMS_PER_ADDRESS',
    flag: 'max-event-streams-per-address',
    describe: 'event streams one remote address may hold (this machine: no limit but the total)',
    schema: int(1, 10_000),
  },
];
