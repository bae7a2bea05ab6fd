/**
 * `npm run headless`: the station without a window. JSON log lines on stdout,
 * human-readable start-up lines on stderr; SIGINT/SIGTERM/SIGHUP drain and exit 0.
 */
import { Command } from 'commander';
import { loadSettings, SETTINGS, SettingsError, type SettingKey } from '../config/settings';
import { createStation } from '../station';
import { STATION_VERSION } from '../version';

function parseArgs(argv: string[]): {
  cli: Partial<Record<SettingKey, string>>;
  configFile?: string;
} {
  const program = new Command()
    .name('foregsyte-station')
    .description(
      'Foregsyte Station, headless: cameras, pipelines, /metrics and the dashboard on one port.',
    )
    .version(STATION_VERSION)
    .option('--config <file>', 'JSON file of settings (keys as in docs: port, dataDir, ...)')
    .showHelpAfterError();
  for (const spec of SETTINGS) {
    program.option(`--${spec.flag} <value>`, `${spec.describe} [env ${spec.env}]`);
  }
  program.parse(argv);
  const opts = program.opts<Record<string, string | undefined>>();
  const cli: Partial<Record<SettingKey, string>> = {};
  for (const spec of SETTINGS) {
    const camel = spec.flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const value = opts[camel];
    if (value !== undefined) cli[spec.key] = value;
  }
  return { cli, configFile: opts.config };
}

async function main(): Promise<void> {
  const { cli, configFile } = parseArgs(process.argv);
  let settings;
  try {
    settings = loadSettings({
      cli,
      env: process.env,
      configFile: configFile ?? process.env.STATION_CONFIG,
    });
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`foregsyte-station: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const station = createStation({ ...settings, stdoutLogs: true });
  let info;
  try {
    info = await station.start();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE'
        ? `port ${settings.port} is already in use on ${settings.host}; pick another with --port or STATION_PORT`
        : e.code === 'EACCES'
          ? `not allowed to listen on ${settings.host}:${settings.port}`
          : e.message;
    process.stderr.write(`foregsyte-station: cannot start: ${why}\n`);
    await station.stop().catch(() => undefined);
    process.exit(1);
  }
  const lines = [
    `Foregsyte Station ${STATION_VERSION} is running.`,
    `  Cameras connect to: ${info.camera_urls.join('  ')}`,
    `  Dashboard:          ${info.dashboard_urls.join('  ')}`,
    `  Metrics:            ${info.metrics_url}`,
    `  Data directory:     ${info.data_dir}`,
    `  Token:              ${info.token_required ? 'required' : 'off'}; default pipeline: ${info.default_pipeline}`,
    `  Try it: ${simulateHint(info.camera_urls[0] ?? '', settings.token !== null)}`,
    '  Ctrl+C stops it.',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: draining sessions...\n`);
    station
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(
          `foregsyte-station: error while stopping: ${(err as Error).message}\n`,
        );
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
}

/** The simulator command a newcomer can paste; the token itself is never printed. */
function simulateHint(cameraUrl: string, tokenRequired: boolean): string {
  const token = tokenRequired ? ' --token ******** (your station token)' : '';
  return `npm run simulate -- --url ${cameraUrl} --cameras 4 --fps 15${token}`;
}

main().catch((err: unknown) => {
  process.stderr.write(`foregsyte-station: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
