/**
 * The systems under test as child processes: the built headless station, and
 * the bare floor server. Each is measured through /proc by its own pid.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

export interface ChildServer {
  pid: number;
  port: number;
  url: string;
  httpBase: string;
  stop(): Promise<void>;
}

/** Children still running: ended with us, even on Ctrl-C, so no station is left behind. */
const children = new Set<ChildProcess>();
let guarded = false;
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (guarded) return;
  guarded = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const c of children) c.kill('SIGTERM');
      process.exit(130);
    });
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when out/main/headless.js is missing or older than the sources: measure what is there. */
export function ensureBuilt(): void {
  const built = join(ROOT, 'out', 'main', 'headless.js');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  process.stderr.write(
    'Building the station (the build is missing or older than the sources)...\n',
  );
  const build = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

/** Waits for the first `127.0.0.1:PORT` the child prints (JSON log or start-up line). */
function waitForPort(child: ChildProcess, what: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const json = /"port":\s*(\d+)/.exec(seen);
      const url = /127\.0\.0\.1:(\d+)/.exec(seen);
      const port = Number(json?.[1] ?? url?.[1] ?? 0);
      if (port > 0) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolvePort(port);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${what} exited with ${code} before listening:\n${seen.slice(-2000)}`)),
    );
    setTimeout(() => reject(new Error(`${what} did not listen within 30 s:\n${seen}`)), 30_000);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

export interface StationProcessOptions {
  /** Flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Extra environment (e.g. STATION_DECODER). */
  env?: Record<string, string>;
  /** Another build of the station to measure (e.g. an older commit's out/main/headless.js). */
  script?: string;
}

/** The built station; `extraArgs` are its own flags. */
export async function startStationProcess(
  extraArgs: string[] = [],
  options: StationProcessOptions = {},
): Promise<ChildServer> {
  if (!options.script) ensureBuilt();
  const script = options.script
    ? resolve(options.script)
    : join(ROOT, 'out', 'main', 'headless.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-bench-'));
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      script,
      ...['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'warn'],
      ...extraArgs,
    ],
    {
      cwd: options.script ? dirname(dirname(dirname(script))) : ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    },
  );
  return serve(child, 'the station', async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  });
}

export async function startFloorProcess(): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench', 'floor-server.ts'), '0'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return serve(child, 'the floor server', () => stopChild(child));
}

/** A started server child once it has said its port, with its addresses and its stop. */
async function serve(
  child: ChildProcess,
  what: string,
  stop: () => Promise<void>,
): Promise<ChildServer> {
  track(child);
  const port = await waitForPort(child, what);
  // Keep reading so a chatty child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    pid: child.pid!,
    port,
    url: `ws://127.0.0.1:${port}`,
    httpBase: `http://127.0.0.1:${port}`,
    stop,
  };
}
