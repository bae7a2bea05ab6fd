/**
 * `npm run preflight`: measures this machine on each built-in pipeline and
 * prints a safe frame rate per camera for the number of cameras planned.
 */
import { cpus } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { parseSize } from '../sim/fleet';
import { formatPreflight, runPreflight } from '../sim/preflight';
import { runPreflightViaStation } from '../sim/preflight-station';

interface PreflightFlags {
  cameras: number;
  size: string;
  seconds: number;
  concurrency?: number;
  headroom: number;
  maxFps: number;
  pipeline?: string[];
  json: boolean;
  url?: string;
  token?: string;
}

function numberIn(name: string, min: number, max: number, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n >= min && n <= max) || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(
        `${name} must be ${integer ? 'a whole number ' : ''}from ${min} to ${max}.`,
      );
    }
    return n;
  };
}

async function main(argv: string[]): Promise<void> {
  const flags = new Command('preflight')
    .description(
      "Measure this machine's throughput on each built-in pipeline and suggest a safe fps per camera.",
    )
    .option('--cameras <n>', 'cameras you plan to connect', numberIn('cameras', 1, 1024, true), 4)
    .option('--size <WxH>', 'frame size of your cameras', '1280x720')
    .option('--seconds <n>', 'measured seconds per pipeline', numberIn('seconds', 0.5, 120), 3)
    .option(
      '--concurrency <n>',
      'frames in flight (default: min(cameras, 2 x cores))',
      numberIn('concurrency', 1, 64, true),
    )
    .option(
      '--headroom <share>',
      'share of the capacity to plan for',
      numberIn('headroom', 0.05, 1),
      0.7,
    )
    .option('--max-fps <n>', 'never suggest more than this', numberIn('max-fps', 1, 1000), 60)
    .option('--pipeline <id...>', 'only these pipelines')
    .option(
      '--url <url>',
      'measure through a running station (ws://HOST:PORT) instead of in process',
    )
    .option('--token <secret>', 'station token, when it has one (or STATION_TOKEN)')
    .option('--json', 'print the report as JSON', false)
    .parse(argv, { from: 'user' })
    .opts<PreflightFlags>();
  const { width, height } = parseSize(flags.size);
  const concurrency = flags.concurrency ?? Math.min(flags.cameras, 2 * cpus().length);
  process.stderr.write(
    `Measuring ${flags.seconds} s per pipeline, ${concurrency} frame(s) in flight...\n`,
  );
  const common = {
    width,
    height,
    cameras: flags.cameras,
    seconds: flags.seconds,
    concurrency,
    headroom: flags.headroom,
    maxFps: flags.maxFps,
    pipelines: flags.pipeline,
    onProgress: (line: string) => process.stderr.write(`  ${line}\n`),
  };
  const report = flags.url
    ? await runPreflightViaStation({
        ...common,
        url: flags.url,
        token: flags.token ?? process.env.STATION_TOKEN,
      })
    : await runPreflight(common);
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${formatPreflight(report).join('\n')}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`preflight: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
