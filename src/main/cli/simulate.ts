/**
 * `npm run simulate`: synthetic cameras streaming to a station, with a live
 * per-camera table on a terminal (plain lines otherwise) and a summary.
 */
import { Command, InvalidArgumentError } from 'commander';
import { createFleet, parseSize, type Fleet, type FleetOptions } from '../sim/fleet';
import { formatProgressLine, formatSummary, formatTable } from '../sim/report';

interface SimulateFlags {
  url: string;
  cameras: number;
  fps: number;
  size: string;
  pipeline?: string;
  seconds: number;
  token?: string;
  adaptive: boolean;
  closedLoop: boolean;
  cameraPrefix: string;
  quality: number;
  ring: number;
  json: boolean;
}

function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    }
    return n;
  };
}

function parseFps(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1000))
    throw new InvalidArgumentError('fps must be above 0 and at most 1000.');
  return n;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!(n >= 0)) throw new InvalidArgumentError('seconds must be 0 (until Ctrl-C) or more.');
  return n;
}

function program(): Command {
  return new Command('simulate')
    .description('Stream synthetic JPEG frames from simulated cameras to a Foregsyte station.')
    .option(
      '--url <url>',
      'station camera URL, ws://HOST:PORT[/ws/video/stream]',
      'ws://127.0.0.1:8765',
    )
    .option('--cameras <n>', 'number of cameras', positiveInt('cameras', 256), 4)
    .option('--fps <n>', 'frames per second per camera (open loop)', parseFps, 15)
    .option('--size <WxH>', 'frame size', '1280x720')
    .option('--pipeline <id>', "pipeline_id (default: the station's default pipeline)")
    .option('--seconds <n>', 'how long to stream; 0 = until Ctrl-C', parseSeconds, 30)
    .option('--token <secret>', 'station token, when it has one (or STATION_TOKEN)')
    .option('--adaptive', 'lower the rate on slow_down, raise it again when warnings stop', false)
    .option(
      '--closed-loop',
      'send the next frame only when the reply arrives (maximum throughput)',
      false,
    )
    .option('--camera-prefix <text>', 'camera ids are PREFIX-1 … PREFIX-N', 'sim')
    .option('--quality <n>', 'JPEG quality', positiveInt('quality', 100), 80)
    .option('--ring <n>', 'frames pre-rendered per camera', positiveInt('ring', 1000), 30)
    .option('--json', 'print the summary as JSON on stdout', false);
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function fleetOptions(flags: SimulateFlags): FleetOptions {
  const { width, height } = parseSize(flags.size);
  return {
    url: flags.url,
    cameras: flags.cameras,
    fps: flags.fps,
    width,
    height,
    pipelineId: flags.pipeline,
    token: flags.token ?? process.env.STATION_TOKEN,
    adaptive: flags.adaptive,
    closedLoop: flags.closedLoop,
    cameraPrefix: flags.cameraPrefix,
    quality: flags.quality,
    ringSize: flags.ring,
    onHandoff: (cameraId, url) => log(`${cameraId}: the station is full; streaming to ${url}`),
  };
}

function modeOf(flags: SimulateFlags): string {
  if (flags.closedLoop) return 'closed loop';
  return `${flags.fps} fps${flags.adaptive ? ', adaptive' : ''}`;
}

/** While streaming: the live table redrawn in place on a terminal, a progress line otherwise. */
class LiveReport {
  private drawnLines = 0;

  constructor(
    private readonly fleet: Fleet,
    private readonly seconds: number,
    private readonly startedAt: number,
    readonly tty: boolean,
  ) {}

  elapsed(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  draw(): void {
    const { fleet } = this;
    const elapsed = this.elapsed();
    if (!this.tty) {
      log(formatProgressLine(elapsed, fleet.totals()));
      return;
    }
    const lines = formatTable(fleet.stats(), fleet.totals());
    const limit = this.seconds > 0 ? ` / ${this.seconds} s` : '';
    lines.push(`${elapsed.toFixed(0)} s${limit}  (Ctrl-C to stop)`);
    const rewind = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F\x1b[J` : '';
    process.stdout.write(`${rewind}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }
}

/** Resolves after `seconds` (0: never), on SIGINT, SIGTERM or SIGHUP, or once every camera is gone. */
function streamingEnds(fleet: Fleet, seconds: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const stopTimer = seconds > 0 ? setTimeout(resolve, seconds * 1000) : null;
    const onSignal = () => {
      if (stopTimer) clearTimeout(stopTimer);
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.once('SIGHUP', onSignal);
    const allGone = setInterval(() => {
      if (fleet.stats().every((s) => s.state === 'closed' || s.state === 'failed')) {
        clearInterval(allGone);
        onSignal();
      }
    }, 250);
    allGone.unref();
  });
}

function printSummary(fleet: Fleet, json: boolean, report: LiveReport): void {
  const elapsed = report.elapsed();
  const totals = fleet.totals();
  if (json) {
    const summary = {
      seconds: elapsed,
      frame_bytes: fleet.frameBytes,
      totals,
      cameras: fleet.stats(),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  // Per camera first (a terminal already shows the table live), then the totals.
  const table = report.tty ? [] : formatTable(fleet.stats(), totals);
  for (const line of [...table, ...formatSummary(elapsed, totals, fleet.frameBytes)])
    process.stdout.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const flags = program().parse(argv, { from: 'user' }).opts<SimulateFlags>();
  const options = fleetOptions(flags);
  log(
    `Rendering ${flags.ring} frames of ${options.width}x${options.height} for ${flags.cameras} camera(s)...`,
  );
  const fleet = await createFleet(options);
  log(`Connecting ${flags.cameras} camera(s) to ${flags.url} (${modeOf(flags)})...`);
  const report = new LiveReport(
    fleet,
    flags.seconds,
    Date.now(),
    !!process.stdout.isTTY && !flags.json,
  );
  const { refused } = await fleet.start();
  for (const { cameraId, error } of refused) log(`${cameraId}: ${error}`);
  if (refused.length === flags.cameras) {
    log('No camera could connect: is the station running at that URL, and is the token right?');
    return 1;
  }
  const timer = setInterval(() => report.draw(), report.tty ? 500 : 5000);
  await streamingEnds(fleet, flags.seconds);
  clearInterval(timer);
  await fleet.stop();
  if (report.tty) report.draw();
  printSummary(fleet, flags.json, report);
  return refused.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`simulate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
