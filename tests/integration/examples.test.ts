/** The client kit of docs/cameras.md, run as real processes against a real station. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  makeDataDir,
  makeJpeg,
  slowPipeline,
  waitFor,
  writePipeline,
  type TestStation,
} from '../helpers/station';
import { cleanupsAfterEach, stationForTest } from '../helpers/cleanups';
import { runToEnd, type ChildRun } from '../helpers/child-run';

const ROOT = resolve(__dirname, '../..');
/** Debian's interpreter, which sees python3-websockets (the first python3 on PATH may not). */
const DEBIAN_PYTHON = '/usr/bin/python3';

const cleanups = cleanupsAfterEach();

const station = (options: Parameters<typeof stationForTest>[1] = {}, dataDir?: string) =>
  stationForTest(cleanups, options, dataDir);

async function frameFiles(s: TestStation): Promise<string[]> {
  const files = [join(s.dataDir, 'a.jpg'), join(s.dataDir, 'b.jpg')];
  writeFileSync(files[0]!, await makeJpeg(320, 240, 10));
  writeFileSync(files[1]!, await makeJpeg(640, 360, 90));
  return files;
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  runToEnd(command, args, { env, timeoutMs: 40_000 });

type Summary = Record<string, number>;
function summaryOf(result: ChildRun): Summary {
  const line = result.lines.find((l) => 'summary' in l);
  if (!line) throw new Error(`no summary; stdout=${result.stdout} stderr=${result.stderr}`);
  return line.summary as Summary;
}

const clients = [
  { name: 'node', command: process.execPath, script: 'examples/node-camera.mjs' },
  { name: 'python', command: DEBIAN_PYTHON, script: 'examples/python_camera.py' },
] as const;

describe.each(clients)('$name example client', ({ name, command, script }) => {
  /** The client against `s` with its two frame files and `flags` (`--name value` each). */
  async function runClient(s: TestStation, flags: Record<string, string | number>) {
    const files = await frameFiles(s);
    const args = Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
    return run(command, [script, '--station', `ws://127.0.0.1:${s.port}`, ...args, ...files]);
  }

  it('gets the hello and one reply per frame, and closes normally', async () => {
    const s = await station();
    const result = await runClient(s, {
      camera: `${name}-cam`,
      pipeline: 'metadata',
      fps: 20,
      count: 12,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const hello = result.lines.find((l) => 'hello' in l)?.hello;
    expect(hello).toMatchObject({ protocol: 1, camera_id: `${name}-cam`, pipeline_id: 'metadata' });
    const summary = summaryOf(result);
    expect(summary).toMatchObject({ sent: 12, failed: 0, close_code: 1000 });
    expect(summary.processed! + summary.dropped!).toBe(12);
    // The two files alternate: results name both sizes.
    const widths = new Set(
      result.lines
        .filter((l) => 'result' in l)
        .map((l) => (l.result as { metadata: { width: number } }).metadata.width),
    );
    expect(widths).toEqual(new Set([320, 640]));
    const disconnect = s.logs.lines.find(
      (l) => l.event === 'stream_disconnect' && l.camera_id === `${name}-cam`,
    );
    expect(disconnect).toMatchObject({ frame_index: 12 });
  });

  it('follows slow_down from a slow pipeline: lowers its rate to the suggested one', async () => {
    const dataDir = makeDataDir();
    writePipeline(dataDir, slowPipeline('slow', 150));
    const s = await station({ rateWindowMs: 1000, slowdownIntervalMs: 300 }, dataDir);
    const result = await runClient(s, {
      camera: `${name}-slow`,
      pipeline: 'slow',
      fps: 30,
      count: 45,
    });
    expect(result.code).toBe(0);
    const summary = summaryOf(result);
    expect(summary.slow_downs).toBeGreaterThanOrEqual(1);
    expect(summary.dropped).toBeGreaterThan(0);
    expect(summary.processed! + summary.dropped!).toBe(45);
    const warnings = result.lines.filter((l) => 'slow_down' in l);
    const first = warnings[0]!.slow_down as { suggested_fps: number; now_fps: number };
    expect(first.now_fps).toBeLessThan(30);
    expect(first.now_fps).toBe(Math.max(0.5, first.suggested_fps));
  });

  it('reports a technician disconnect (4001) and exits 1', async () => {
    const s = await station();
    const running = runClient(s, { camera: `${name}-kicked`, fps: 5, count: 1000 });
    const session = () =>
      s.station
        .snapshot()
        .sessions.find((x) => x.camera_id === `${name}-kicked` && x.processed > 0);
    await waitFor(() => session() !== undefined, 20_000);
    expect(s.station.disconnectCamera(session()!.session_id)).toEqual({ ok: true });
    const result = await running;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('4001');
    expect(summaryOf(result)).toMatchObject({ close_code: 4001 });
    expect(result.stderr).not.toContain('Traceback');
  });

  it('reports a refused token and exits 1', async () => {
    const s = await station({ token: 'lab-secret' });
    const result = await runClient(s, { count: 3, token: 'wrong' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401');
  });
});

describe('node -e one-liner from docs/cameras.md', () => {
  it('runs as documented: hello, a reply per frame, a summary', async () => {
    const docs = readFileSync(join(ROOT, 'docs/cameras.md'), 'utf8');
    const line = docs.split('\n').find((l) => l.includes('node -e "'));
    expect(line).toBeDefined();
    const script = /node -e "(.*)" frame\.jpg$/.exec(line!)?.[1];
    expect(script).toBeDefined();
    const s = await station();
    const [file] = await frameFiles(s);
    const result = await run(process.execPath, ['-e', script!, file!], {
      STATION: `ws://127.0.0.1:${s.port}`,
      COUNT: '8',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^hello \{"protocol":1/m);
    const summary = result.lines.at(-1) as Summary;
    expect(summary.sent).toBe(8);
    expect(summary.processed! + summary.dropped!).toBe(8);
    expect(result.stdout).toMatch(/^closed 1000$/m);
  });
});
