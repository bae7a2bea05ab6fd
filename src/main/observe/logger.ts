/**
 * One pino root logger: JSON lines with an ISO `time`, `level` as a word and an
 * `event`, to stdout (headless) and to a size-rotated file in the data dir.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';
import { boundFields, boundString } from './log-bounds';

export { redactUrl } from './log-bounds';

/** The log file's name in the log folder (rotated copies keep it as a prefix). */
const LOG_FILE = 'station.log';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Directory for station.log (rotated at 10 MB, 5 files kept); none: no file. */
  logDir?: string;
  /** Write JSON lines to stdout too (headless). */
  stdout: boolean;
  /** Extra destination (tests read the lines from here). */
  extra?: DestinationStream;
}

export interface StationLogger {
  logger: Logger;
  /** Flushes and closes the file. */
  close: () => Promise<void>;
}

/** Log files are the owner's only: lines may name cameras, addresses and source URLs. */
const LOG_FILE_MODE = 0o600;

/** Files an older version created with wider permissions are narrowed (best-effort). */
function narrowExistingLogs(logDir: string): void {
  try {
    for (const name of readdirSync(logDir)) {
      if (name.includes(LOG_FILE)) chmodSync(join(logDir, name), LOG_FILE_MODE);
    }
  } catch {
    // Not ours to fix (another owner, read-only): the new lines still go to a 0600 file.
  }
}

export function createLogger(options: LoggerOptions): StationLogger {
  const streams: pino.StreamEntry[] = [];
  if (options.stdout) streams.push({ stream: pino.destination({ fd: 1, sync: false }) });
  let file: ReturnType<typeof createStream> | undefined;
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    narrowExistingLogs(options.logDir);
    file = createStream(LOG_FILE, {
      path: options.logDir,
      size: '10M',
      maxFiles: 5,
      mode: LOG_FILE_MODE,
    });
    // A full disk must not crash the station: the log file is best-effort.
    file.on('error', () => undefined);
    streams.push({ stream: file });
  }
  if (options.extra) streams.push({ stream: options.extra });

  const logger = pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (record) => boundFields(record) },
      hooks: {
        // Strings a peer chose can reach a message too: bounded like fields.
        logMethod(args, method) {
          const bounded = args.map((arg: unknown) =>
            typeof arg === 'string' ? boundString(arg) : arg,
          ) as Parameters<typeof method>;
          method.apply(this, bounded);
        },
      },
      redact: {
        paths: ['token', '*.token', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
    },
    pino.multistream(streams.map((s) => ({ ...s, level: 'trace' as const }))),
  );

  return {
    logger,
    close: () =>
      new Promise<void>((resolve) => {
        logger.flush(() => {
          if (!file) return resolve();
          file.end(() => resolve());
        });
      }),
  };
}

export function logFilePath(logDir: string): string {
  return join(logDir, LOG_FILE);
}
