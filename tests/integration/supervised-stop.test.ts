/**
 * Stopping the station the way supervisors do (systemd, Docker, `kill PID`):
 * SIGTERM to `npm run headless` or to the `foregsyte-station` command drains
 * the cameras (close 1001) and leaves no process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, makeJpeg, removeDir, TestCamera, waitFor } from '../helpers/station';

const ROOT = resolve(__dirname, '..', '..');

interface Run {
  child: ChildProcess;
  stdout: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(command: string, args: string[]): Run {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Run = {
    child,
    stdout: '',
    exit: new Promise((res) => child.once('exit', (code, signal) => res({ code, signal }))),
  };
  child.stdout?.on('data', (c: Buffer) => (r.stdout += c.toString()));
  child.stderr?.resume();
  return r;
}

/** npm, the wrapper and the station each start a Node process: slow on a busy machine. */
const START_MS = 60_000;
const TEST_MS = 90_000;

async function listeningPort(r: Run): Promise<number> {
  await waitFor(() => /"event":"station_listening"[^\n]*"port":\d+/.test(r.stdout), START_MS);
  return Number(/"event":"station_listening"[^\n]*"port":(\d+)/.exec(r.stdout)?.[1]);
}

/** Every process below `pid`, read from /proc (Linux). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([p]) => p);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(state); // a zombie has ended
  } catch {
    return false;
  }
}

async function streamingCamera(port: number): Promise<TestCamera> {
  const cam = new TestCamera(
    `ws://127.0.0.1:${port}/ws/video/stream?pipeline_id=noop&camera_id=supervised`,
  );
  await cam.opened;
  cam.send(await makeJpeg());
  await cam.until((m) => m.some((x) => x.frame_index === 1));
  return cam;
}

const started: Run[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const r of started.splice(0)) {
    for (const pid of descendants(r.child.pid ?? -1)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (r.child.exitCode === null) r.child.kill('SIGKILL');
  }
  for (const d of dirs.splice(0)) removeDir(d);
});

beforeAll(() => {
  const built = join(ROOT, 'out', 'main', 'headless.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
});

function station(command: string, args: string[]): Run {
  const dataDir = makeDataDir();
  dirs.push(dataDir);
  const r = run(command, [...args, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
  started.push(r);
  return r;
}

describe.skipIf(process.platform !== 'linux')('stopping under a supervisor', () => {
  it(
    'SIGTERM to `npm run headless` drains the camera (1001) and leaves no station process',
    async () => {
      const r = station('npm', ['run', '--silent', 'headless', '--']);
      const port = await listeningPort(r);
      const cam = await streamingCamera(port);
      const tree = descendants(r.child.pid ?? -1);
      expect(tree.length).toBeGreaterThanOrEqual(2); // the wrapper and the station at least

      r.child.kill('SIGTERM');
      expect((await cam.closed).code).toBe(1001);
      await r.exit;
      await waitFor(() => tree.every((pid) => !alive(pid)), 15_000);
      expect(tree.filter(alive)).toEqual([]);
    },
    TEST_MS,
  );

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(
      `${signal} to the foregsyte-station command drains, then exits with the station's code`,
      async () => {
        const r = station(process.execPath, [join(ROOT, 'bin', 'foregsyte-station.mjs')]);
        const port = await listeningPort(r);
        const cam = await streamingCamera(port);
        const tree = descendants(r.child.pid ?? -1);

        r.child.kill(signal);
        expect((await cam.closed).code).toBe(1001);
        expect(await r.exit).toEqual({ code: 0, signal: null });
        expect(r.stdout).toMatch(/"event":"station_stopped"/);
        expect(tree.filter(alive)).toEqual([]);
      },
      TEST_MS,
    );
  }

  it("passes on the station's own exit code", async () => {
    const r = run(process.execPath, [join(ROOT, 'bin', 'foregsyte-station.mjs'), '--port', 'x']);
    started.push(r);
    expect(await r.exit).toEqual({ code: 2, signal: null });
  });
});
