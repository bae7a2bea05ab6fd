/**
 * One pino root logger: JSON lines with an ISO `time`, `level` as a word and an
 * `event`, to stdout (headless) and to a size-rotated file in the data dir.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { createStream } from 'rotating-file-stream';

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

/** Strips user:password@ from URLs that may end up in log fields. */
export function redactUrl(url: string): string {
  return url.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}

export function createLogger(options: LoggerOptions): StationLogger {
  const streams: pino.StreamEntry[] = [];
  if (options.stdout) streams.push({ stream: pino.destination({ fd: 1, sync: false }) });
  let file: ReturnType<typeof createStream> | undefined;
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true });
    file = createStream('station.log', { path: options.logDir, size: '10M', maxFiles: 5 });
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
      formatters: { level: (label) => ({ level: label }) },
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
  return join(logDir, 'station.log');
}
