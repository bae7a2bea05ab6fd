/**
 * Station settings: every entry of the protocol's settings table, with its
 * default, environment variable, CLI flag and config-file key.
 * Precedence: CLI flag > environment > config file > default.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../observe/logger';
import { defaultStationId, FLEET_SETTINGS } from './fleet-settings';
import { ACCESS_DEFAULTS, ACCESS_SETTINGS, type AccessSettings } from './access-settings';
import { LIMIT_DEFAULTS, LIMIT_SETTINGS, type LimitSettings } from './limit-settings';

const APP_NAME = 'foregsyte-station';

export interface StationSettings extends LimitSettings, AccessSettings {
  port: number;
  host: string;
  token: string | null;
  allowedOrigins: string[];
  /** Extra names the station is reached by (DNS aliases, reverse proxies): the Host check. */
  allowedHosts: string[];
  maxSessions: number;
  dataDir: string;
  /** Ceiling on the whole recordings/ folder, MiB (0: none): largest camera folders pruned first. */
  recordingsMaxMb: number;
  /** Sources added through the API or window may point at loopback / cloud-metadata addresses. */
  sourcesAllowLocal: boolean;
  /** null: `inspect` when it exists, else `metadata`. */
  defaultPipeline: string | null;
  logLevel: LogLevel;
  maxFrameBytes: number;
  queueDepth: number;
  rateWindowMs: number;
  dropThreshold: number;
  slowdownThreshold: number;
  slowdownIntervalMs: number;
  heartbeatMs: number;
  /** Frames in pipelines at once, station-wide; null: one per CPU core, plus one. */
  pipelineSlots: number | null;
  /** The desktop app's longest wait for the drain on quit, ms; then it exits anyway. */
  quitTimeoutMs: number;
  /** The fleet's MQTT broker (docs/fleet.md); null: the station is on its own. */
  mqttUrl: string | null;
  mqttUsername: string | null;
  /** File holding the broker password (STATION_MQTT_PASSWORD also works). */
  mqttPasswordFile: string | null;
  stationId: string;
  mqttPrefix: string;
  mqttResults: 'all' | 'none';
  mqttOutbox: number;
  /** Base URL peers and cameras reach this station at; null: its first network address. */
  advertiseUrl: string | null;
  /** Frames per second the station sustains (from `npm run preflight`); null: unknown. */
  capacityFps: number | null;
}

export type SettingKey = keyof StationSettings;

export interface SettingSpec {
  key: SettingKey;
  env: string;
  flag: string;
  describe: string;
  schema: z.ZodType;
  /** The value may hold a secret: never repeated in an error. */
  secret?: boolean;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`), as typed in a flag or the environment. */
const bool = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const word = v.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(word)) return true;
    if (['0', 'false', 'no', 'off'].includes(word)) return false;
    return v;
  },
  z.boolean({ error: 'must be true or false' }),
);
const ratio = z.coerce.number().gt(0).lt(1);
const commaList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );
const list = commaList(z.string().url());
const hostList = commaList(
  z
    .string()
    .regex(/^([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+\.?$|^\[[0-9A-Fa-f:.]+\]$/, 'must be a host name'),
);

/** The table of settings; docs/configuration in the README mirrors it. */
export const SETTINGS: readonly SettingSpec[] = [
  {
    key: 'port',
    env: 'STATION_PORT',
    flag: 'port',
    describe: 'TCP port for cameras, /metrics and the dashboard (0: any free port)',
    schema: int(0, 65535),
  },
  {
    key: 'host',
    env: 'STATION_HOST',
    flag: 'host',
    describe: 'address to listen on (default: all interfaces)',
    schema: z.string().min(1),
  },
  {
    key: 'token',
    env: 'STATION_TOKEN',
    flag: 'token',
    describe: 'shared secret cameras send (actions need STATION_ADMIN_TOKEN)',
    schema: z.string().min(8, 'must be at least 8 characters').nullable(),
  },
  {
    key: 'allowedOrigins',
    env: 'STATION_ALLOWED_ORIGINS',
    flag: 'allowed-origins',
    describe: 'comma-separated extra browser origins allowed to connect as cameras',
    schema: list,
  },
  {
    key: 'allowedHosts',
    env: 'STATION_ALLOWED_HOSTS',
    flag: 'allowed-hosts',
    describe: 'comma-separated extra host names the station is reached by (aliases, proxies)',
    schema: hostList,
  },
  {
    key: 'maxSessions',
    env: 'STATION_MAX_SESSIONS',
    flag: 'max-sessions',
    describe: 'concurrent camera sessions',
    schema: int(1, 10_000),
  },
  {
    key: 'dataDir',
    env: 'STATION_DATA_DIR',
    flag: 'data-dir',
    describe: 'pipelines, recordings, logs, pinned pipelines',
    schema: z.string().min(1),
  },
  {
    key: 'recordingsMaxMb',
    env: 'STATION_RECORDINGS_MAX_MB',
    flag: 'recordings-max-mb',
    describe:
      'ceiling on all recordings together, MiB; the largest camera folders are pruned first (0: none)',
    schema: int(0, 100_000_000),
  },
  {
    key: 'sourcesAllowLocal',
    env: 'STATION_SOURCES_ALLOW_LOCAL',
    flag: 'sources-allow-local',
    describe:
      'let sources added through the API or the window point at loopback or cloud-metadata addresses',
    schema: bool,
  },
  {
    key: 'defaultPipeline',
    env: 'STATION_DEFAULT_PIPELINE',
    flag: 'default-pipeline',
    describe: 'pipeline for cameras that name none',
    schema: z.string().min(1).nullable(),
  },
  {
    key: 'logLevel',
    env: 'STATION_LOG_LEVEL',
    flag: 'log-level',
    describe: `one of ${LOG_LEVELS.join(', ')}`,
    schema: z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]]),
  },
  {
    key: 'maxFrameBytes',
    env: 'STREAM_MAX_FRAME_BYTES',
    flag: 'max-frame-bytes',
    describe: 'largest frame accepted, bytes',
    schema: int(1024, 256 * 1024 * 1024),
  },
  {
    key: 'queueDepth',
    env: 'STREAM_QUEUE_DEPTH',
    flag: 'queue-depth',
    describe: 'frames waiting per session while one is processed',
    schema: int(0, 100),
  },
  {
    key: 'rateWindowMs',
    env: 'STREAM_RATE_WINDOW_MS',
    flag: 'rate-window-ms',
    describe: 'window of the drop rate, ms',
    schema: int(100, 600_000),
  },
  {
    key: 'dropThreshold',
    env: 'STREAM_DROP_THRESHOLD',
    flag: 'drop-threshold',
    describe: 'drop rate above which a session is degraded (0-1)',
    schema: ratio,
  },
  {
    key: 'slowdownThreshold',
    env: 'STREAM_SLOWDOWN_THRESHOLD',
    flag: 'slowdown-threshold',
    describe: 'drop rate above which slow_down is sent (0-1)',
    schema: ratio,
  },
  {
    key: 'slowdownIntervalMs',
    env: 'STREAM_SLOWDOWN_INTERVAL_MS',
    flag: 'slowdown-interval-ms',
    describe: 'repeat interval of slow_down, ms',
    schema: int(50, 600_000),
  },
  {
    key: 'heartbeatMs',
    env: 'STREAM_HEARTBEAT_MS',
    flag: 'heartbeat-ms',
    describe: 'a peer silent to pings this long is terminated, ms',
    schema: int(100, 3_600_000),
  },
  {
    key: 'pipelineSlots',
    env: 'STATION_PIPELINE_SLOTS',
    flag: 'pipeline-slots',
    describe:
      'frames in pipelines at once, all cameras together (default: one per CPU core, plus one)',
    schema: int(1, 256).nullable(),
  },
  {
    key: 'quitTimeoutMs',
    env: 'STATION_QUIT_TIMEOUT_MS',
    flag: 'quit-timeout-ms',
    describe: 'desktop app: longest wait for the drain on quit before it exits anyway, ms',
    schema: int(100, 600_000),
  },
  ...FLEET_SETTINGS,
  ...LIMIT_SETTINGS,
  ...ACCESS_SETTINGS,
];

/** The platform's app-data folder, the same one Electron's `userData` uses. */
function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export function defaultSettings(env: NodeJS.ProcessEnv = process.env): StationSettings {
  return {
    port: 8765,
    host: '0.0.0.0',
    token: null,
    allowedOrigins: [],
    allowedHosts: [],
    maxSessions: 64,
    dataDir: defaultDataDir(env),
    recordingsMaxMb: 20_480,
    sourcesAllowLocal: false,
    defaultPipeline: null,
    logLevel: 'info',
    maxFrameBytes: 8 * 1024 * 1024,
    queueDepth: 1,
    rateWindowMs: 5000,
    dropThreshold: 0.1,
    slowdownThreshold: 0.3,
    slowdownIntervalMs: 1000,
    heartbeatMs: 10_000,
    pipelineSlots: null,
    quitTimeoutMs: 5000,
    mqttUrl: null,
    mqttUsername: null,
    mqttPasswordFile: null,
    stationId: defaultStationId(),
    mqttPrefix: 'foregsyte',
    mqttResults: 'all',
    mqttOutbox: 10_000,
    advertiseUrl: null,
    capacityFps: null,
    ...LIMIT_DEFAULTS,
    ...ACCESS_DEFAULTS,
  };
}

export class SettingsError extends Error {
  readonly code = 'invalid_setting';
}

type RawSettings = Partial<Record<SettingKey, unknown>>;

function validate(spec: SettingSpec, value: unknown, origin: string): unknown {
  const parsed = spec.schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const rule = parsed.error.issues.map((i) => i.message).join('; ');
  const shown = spec.secret ? '(value hidden)' : JSON.stringify(value);
  throw new SettingsError(`Invalid ${spec.key} (${origin}): ${shown} — ${spec.describe}; ${rule}`);
}

function readConfigFile(path: string): RawSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SettingsError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(`Config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SettingsError(`Config file ${path} must hold a JSON object of settings`);
  }
  const known = new Set<string>(SETTINGS.map((s) => s.key));
  for (const key of Object.keys(data)) {
    if (!known.has(key)) {
      throw new SettingsError(
        `Config file ${path}: unknown setting "${key}" (known: ${[...known].join(', ')})`,
      );
    }
  }
  return data;
}

export interface SettingsSources {
  /** Values from CLI flags, keyed by setting (strings as typed). */
  cli?: RawSettings;
  env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file whose keys are setting names (relative: to `cwd`). */
  configFile?: string;
  /** What relative paths from flags and the environment are relative to (default: process.cwd()). */
  cwd?: string;
}

/** Merges the sources over the defaults; throws SettingsError naming the setting and its rule. */
export function loadSettings(sources: SettingsSources = {}): StationSettings {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  // Absolute paths: Electron's app.setPath refuses relative ones.
  const configFile = sources.configFile ? resolve(cwd, sources.configFile) : null;
  const file = configFile ? readConfigFile(configFile) : {};
  const settings: Record<string, unknown> = { ...defaultSettings(env) };
  for (const spec of SETTINGS) {
    const fromCli = sources.cli?.[spec.key];
    const fromEnv = env[spec.env];
    if (fromCli !== undefined) settings[spec.key] = validate(spec, fromCli, `--${spec.flag}`);
    else if (fromEnv !== undefined && fromEnv !== '')
      settings[spec.key] = validate(spec, fromEnv, spec.env);
    else if (file[spec.key] !== undefined) {
      settings[spec.key] = validate(spec, file[spec.key], `config file key ${spec.key}`);
      // A relative data dir in a config file is relative to that file's folder.
      if (spec.key === 'dataDir' && configFile)
        settings.dataDir = resolve(dirname(configFile), settings.dataDir as string);
    }
  }
  settings.dataDir = resolve(cwd, settings.dataDir as string);
  return checkConsistency(settings as unknown as StationSettings);
}

/** Defaults plus the given values, validated (for code that builds a station directly). */
export function resolveSettings(
  partial: Partial<StationSettings>,
  env: NodeJS.ProcessEnv = process.env,
): StationSettings {
  const settings: Record<string, unknown> = { ...defaultSettings(env) };
  for (const spec of SETTINGS) {
    const value = partial[spec.key];
    if (value !== undefined) settings[spec.key] = validate(spec, value, spec.key);
  }
  settings.dataDir = resolve(settings.dataDir as string);
  return checkConsistency(settings as unknown as StationSettings);
}

function checkConsistency(settings: StationSettings): StationSettings {
  if (settings.dropThreshold > settings.slowdownThreshold) {
    throw new SettingsError(
      `Invalid dropThreshold ${settings.dropThreshold}: must not exceed slowdownThreshold ${settings.slowdownThreshold} (degraded comes before slow_down)`,
    );
  }
  return settings;
}
