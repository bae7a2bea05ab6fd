/**
 * foregsyte-bridge: streams an IP or USB camera into the station.
 *
 *   foregsyte-bridge --station ws://HOST:PORT --source URL --camera NAME [--pipeline ID] [--fps N]
 *
 * JSON log lines on stdout; human-readable errors on stderr. Exit 0 when a
 * finite source ends or on SIGINT/SIGTERM/SIGHUP, 1 when the bridge gives up, 2 on a
 * usage error.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { CAMERA_ID_PATTERN, CAMERA_ID_RULE } from '../../shared/protocol';
import { createBridge } from '../bridge/bridge';
import { bridgeError, type BridgeError } from '../bridge/errors';
import { locateFfmpeg } from '../bridge/ffmpeg';
import { parseSource, type SourceSpec } from '../bridge/source-spec';
import { streamUrl } from '../bridge/station-link';
import { createLogger, LOG_LEVELS, redactUrl, type LogLevel } from '../observe/logger';
import { STATION_VERSION } from '../version';

interface CliOptions {
  station: string;
  source?: string;
  lavfi?: string;
  file?: string;
  camera: string;
  pipeline?: string;
  fps?: number;
  token?: string;
  viaFfmpeg?: boolean;
  ffmpeg?: string;
  rtspTransport?: 'tcp' | 'udp';
  videoSize?: string;
  quality?: number;
  maxFrameBytes?: number;
  logLevel: LogLevel;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0.');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError('must be a whole number above 0.');
  return n;
}

function cameraName(value: string): string {
  if (!CAMERA_ID_PATTERN.test(value)) {
    throw new InvalidArgumentError(`${CAMERA_ID_RULE}.`);
  }
  return value;
}

function buildProgram(): Command {
  return new Command('foregsyte-bridge')
    .description('Stream an MJPEG/RTSP camera or a video device into Foregsyte Station.')
    .version(STATION_VERSION)
    .requiredOption('--station <url>', 'the station, e.g. ws://127.0.0.1:8765')
    .option(
      '--source <url>',
      'http(s):// MJPEG URL, rtsp(s):// URL, or a device such as /dev/video0',
    )
    .option('--lavfi <graph>', 'an ffmpeg test pattern, e.g. testsrc=size=640x480:rate=10')
    .option('--file <path>', 'a local video file, played at its own rate')
    .requiredOption('--camera <name>', 'camera name shown at the station', cameraName)
    .option('--pipeline <id>', "pipeline id (default: the station's default pipeline)")
    .option('--fps <n>', 'send at most this many frames per second', positiveNumber)
    .addOption(new Option('--token <secret>', 'station token').env('STATION_TOKEN'))
    .option('--via-ffmpeg', 'read an http(s) source with ffmpeg instead of the MJPEG parser')
    .addOption(
      new Option('--ffmpeg <path>', 'ffmpeg executable (default: ffmpeg on PATH)').env(
        'FFMPEG_PATH',
      ),
    )
    .addOption(
      new Option('--rtsp-transport <t>', 'RTSP transport').choices(['tcp', 'udp']).default('tcp'),
    )
    .option('--video-size <WxH>', 'size asked of a V4L2 device, e.g. 1280x720')
    .option('--quality <q>', 'JPEG quality for ffmpeg sources, 2 (best) to 31', positiveInteger)
    .option('--max-frame-bytes <n>', 'largest frame read from the source', positiveInteger)
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .showHelpAfterError();
}

function chooseSource(
  opts: CliOptions,
): { ok: true; spec: SourceSpec } | { ok: false; error: BridgeError } {
  const given = [opts.source, opts.lavfi, opts.file].filter((v) => v !== undefined);
  if (given.length !== 1) {
    return {
      ok: false,
      error: bridgeError('invalid_source', 'give exactly one of --source, --lavfi, --file'),
    };
  }
  if (opts.lavfi !== undefined) return { ok: true, spec: { kind: 'lavfi', graph: opts.lavfi } };
  if (opts.file !== undefined) return { ok: true, spec: { kind: 'file', path: opts.file } };
  return parseSource(opts.source ?? '', { viaFfmpeg: opts.viaFfmpeg === true });
}

function usageError(error: BridgeError): never {
  process.stderr.write(
    `foregsyte-bridge: ${error.message}${error.detail ? ` (${error.detail})` : ''}\n`,
  );
  process.exit(error.code === 'ffmpeg_missing' ? 1 : 2);
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.parse(process.argv);
  const opts = program.opts<CliOptions>();

  const source = chooseSource(opts);
  if (!source.ok) usageError(source.error);
  try {
    streamUrl({ station: opts.station, cameraId: opts.camera });
  } catch {
    usageError(bridgeError('invalid_station', `got ${redactUrl(opts.station)}`));
  }
  if (source.spec.kind !== 'mjpeg') {
    const ffmpeg = locateFfmpeg(opts.ffmpeg);
    if (!ffmpeg.ok) usageError(ffmpeg.error);
  }

  const logging = createLogger({ level: opts.logLevel, stdout: true });
  const bridge = createBridge({
    station: opts.station,
    source: source.spec,
    cameraId: opts.camera,
    logger: logging.logger,
    ...(opts.pipeline ? { pipelineId: opts.pipeline } : {}),
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.fps !== undefined ? { fps: opts.fps } : {}),
    ...(opts.ffmpeg ? { ffmpegPath: opts.ffmpeg } : {}),
    ...(opts.maxFrameBytes ? { maxFrameBytes: opts.maxFrameBytes } : {}),
    ffmpeg: {
      ...(opts.rtspTransport ? { rtspTransport: opts.rtspTransport } : {}),
      ...(opts.videoSize ? { videoSize: opts.videoSize } : {}),
      ...(opts.quality ? { quality: opts.quality } : {}),
    },
  });

  const onSignal = () => void bridge.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  bridge.start();
  const final = await bridge.done();
  if (final.error) {
    process.stderr.write(
      `foregsyte-bridge: ${final.error.message}${final.error.detail ? ` (${final.error.detail})` : ''}\n`,
    );
  }
  await logging.close();
  process.exit(final.state === 'failed' ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`foregsyte-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
