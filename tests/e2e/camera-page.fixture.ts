/**
 * A headless station for camera-page tests: the built CLI (out/main/headless.js,
 * made by `npm run build`) as a child process on 127.0.0.1, port 0, in a
 * temporary data dir; stopped by its pid.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface HeadlessStation {
  port: number;
  origin: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface HeadlessOptions {
  /** Default 0 (any free port); a restarted station reuses its predecessor's. */
  port?: number;
  /** Extra CLI flags, e.g. ['--rate-window-ms', '1000']. */
  flags?: string[];
  /** User pipelines written to <dataDir>/pipelines before start. */
  pipelines?: Array<Record<string, unknown>>;
}

export async function startHeadlessStation(
  options: HeadlessOptions = {},
): Promise<HeadlessStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'camera-page-'));
  if (options.pipelines?.length) {
    mkdirSync(join(dataDir, 'pipelines'), { recursive: true });
    for (const p of options.pipelines) {
      writeFileSync(join(dataDir, 'pipelines', `${String(p.id)}.json`), JSON.stringify(p));
    }
  }
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      join(ROOT, 'out/main/headless.js'),
      '--port',
      String(options.port ?? 0),
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      ...(options.flags ?? []),
    ],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((done, fail) => {
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new Error(`station did not start: ${stderr}`)), 20_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('"station_listening"')) continue;
        clearTimeout(timer);
        done((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => fail(new Error(`station exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A pipeline that takes `ms` per frame, so the station falls behind a fast camera. */
export function slowPipeline(id: string, ms: number): Record<string, unknown> {
  return {
    id,
    name: `Slow ${ms} ms`,
    description: 'Waits to simulate an expensive pipeline',
    nodes: [{ id: 'wait', op: 'delay', needs: [], params: { ms } }],
    outputs: ['wait'],
  };
}
