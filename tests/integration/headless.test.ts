/** The headless entry as a user runs it: a real child process, its output, its signals. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, makeJpeg, removeDir, TestCamera, waitFor } from '../helpers/station';

const HEADLESS = resolve(__dirname, '..', '..', 'out', 'main', 'headless.js');

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [HEADLESS, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Run = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((res) => child.once('exit', (code) => res(code))),
  };
  child.stdout.on('data', (c: Buffer) => (r.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (r.stderr += c.toString()));
  return r;
}

async function listening(r: Run): Promise<number> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const match = r.stdout.match(/"event":"station_listening"[^\n]*"port":(\d+)/);
    if (match) return Number(match[1]);
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`no station_listening; stderr: ${r.stderr}`);
}

const started: Run[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const r of started.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) removeDir(d);
});

beforeAll(() => {
  if (!existsSync(HEADLESS))
    throw new Error(`${HEADLESS} is missing: run \`npm run build\` first (npm test does)`);
});

describe('npm run headless', () => {
  it('prints the camera, dashboard and metrics URLs, logs JSON, and drains on SIGTERM', async () => {
    const dataDir = makeDataDir();
    dirs.push(dataDir);
    const r = run(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
    started.push(r);
    const port = await listening(r);
    expect(r.stderr).toContain(`ws://127.0.0.1:${port}/ws/video/stream`);
    expect(r.stderr).toContain(`http://127.0.0.1:${port}/metrics`);
    expect(r.stderr).toContain('npm run simulate');
    for (const line of r.stdout.trim().split('\n'))
      expect(() => JSON.parse(line) as unknown).not.toThrow();

    const cam = new TestCamera(
      `ws://127.0.0.1:${port}/ws/video/stream?pipeline_id=noop&camera_id=cli`,
    );
    await cam.opened;
    cam.send(await makeJpeg());
    await cam.until((m) => m.some((x) => x.frame_index === 1));
    r.child.kill('SIGTERM');
    expect((await cam.closed).code).toBe(1001);
    expect(await r.exit).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(
      expect.arrayContaining([
        'station_listening',
        'stream_connect',
        'stream_disconnect',
        'station_stopped',
      ]),
    );
    const logFile = readFileSync(join(dataDir, 'logs', 'station.log'), 'utf8');
    expect(logFile).toContain('"event":"stream_connect"');
  });

  it('stops with a message naming the setting and its rule on a bad value', async () => {
    const dataDir = makeDataDir();
    dirs.push(dataDir);
    const r = run(['--port', '0'], { STREAM_QUEUE_DEPTH: 'lots', STATION_DATA_DIR: dataDir });
    expect(await r.exit).toBe(2);
    expect(r.stderr).toMatch(/Invalid queueDepth \(STREAM_QUEUE_DEPTH\): "lots"/);
  });

  it('says plainly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = makeDataDir();
    dirs.push(dataDir);
    const r = run(['--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir]);
    expect(await r.exit).toBe(1);
    expect(r.stderr).toContain(`port ${port} is already in use`);
    blocker.close();
  });

  it('names --token (masked) in the simulator hint when the station has a token', async () => {
    const dataDir = makeDataDir();
    dirs.push(dataDir);
    const secret = 'hint-secret-4711';
    const r = run(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--token', secret]);
    started.push(r);
    await listening(r);
    await waitFor(() => r.stderr.includes('stops it'));
    const hint = r.stderr.split('\n').find((line) => line.includes('npm run simulate')) ?? '';
    expect(hint).toMatch(/--url ws:\/\/127\.0\.0\.1:\d+\/ws\/video\/stream .*--token \*{8}/);
    expect(r.stderr + r.stdout).not.toContain(secret);
  });
});
