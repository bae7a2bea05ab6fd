/**
 * What one peer may cost the station on the camera port (docs/security.md,
 * Limits): the message budget of a session.
 */
import { z } from 'zod';
import type { SettingSpec } from './settings';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export interface LimitSettings {
  /** Frames per second a session may send that replace a waiting one (3 windows over: 4029). */
  maxFps: number;
}

export const LIMIT_DEFAULTS: LimitSettings = {
  maxFps: 120,
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
];
