/**
 * A real headless station for the UI tests: `node out/main/headless.js` as a
 * child process on 127.0.0.1, port 0, a temporary data dir, user pipelines
 * written before it starts. Stopped by its pid only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(__dirname, '..', '..', '..');
const HEADLESS = join(ROOT, 'out', 'main', 'headless.js');

export interface StationProcess {
  port: number;
  baseUrl: string;
  /** ws://127.0.0.1:PORT/ws/video/stream */
  cameraUrl: string;
  dataDir: string;
  /** Writes (or replaces) a file in <data-dir>/pipelines/; the station hot-reloads it. */
  writePipelineFile(name: string, content: unknown): void;
  /** JSON log lines seen so far. */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
  /** SIGKILL: the station dies without a word (its data dir stays until stop()). */
  kill(): Promise<void>;
}

export interface StationProcessOptions {
  /** Pipeline files (name → JSON or raw text) present before the station starts. */
  pipelines?: Record<string, unknown>;
  args?: string[];
  /** Default 0: any free port. */
  port?: number;
}

export async function startStation(options: StationProcessOptions = {}): Promise<StationProcess> {
  if (!existsSync(HEADLESS)) {
    throw new Error(`${HEADLESS} is missing: run \`npx electron-vite build\` (npm test does)`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-e2e-'));
  const pipelinesDir = join(dataDir, 'pipelines');
  mkdirSync(pipelinesDir, { recursive: true });
  const writePipelineFile = (name: string, content: unknown) =>
    writeFileSync(
      join(pipelinesDir, name),
      typeof content === 'string' ? content : JSON.stringify(content, null, 2),
    );
  for (const [name, content] of Object.entries(options.pipelines ?? {})) {
    writePipelineFile(name, content);
  }

  const child: ChildProcess = spawn(
    process.execPath,
    [
      HEADLESS,
      '--port',
      String(options.port ?? 0),
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      ...(options.args ?? []),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`station did not start in 20 s: ${stderr}`)),
      20_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`station exited with ${code} before listening: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(record);
      if (record.event === 'station_listening' && typeof record.port === 'number') {
        clearTimeout(timer);
        resolvePort(record.port);
      }
    });
  });

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    cameraUrl: `ws://127.0.0.1:${port}/ws/video/stream`,
    dataDir,
    writePipelineFile,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        const timeout = new Promise<void>((r) => setTimeout(r, 10_000));
        await Promise.race([exited, timeout]);
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
          process.kill(child.pid, 'SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

/** A user pipeline that takes `ms` per frame: floods show up as drops. */
export function slowPipeline(id: string, ms: number) {
  return {
    id,
    name: `Slow (${ms} ms)`,
    description: `Waits ${ms} ms per frame, to see backpressure at work.`,
    nodes: [{ id: 'wait', op: 'delay', params: { ms } }],
    outputs: ['wait'],
  };
}

/** A user pipeline with a live preview: metadata plus a thumbnail. */
export function previewPipeline(id: string) {
  return {
    id,
    name: 'Preview',
    description: 'Reads the JPEG header and keeps a 160-pixel preview for the window.',
    nodes: [
      { id: 'metadata', op: 'metadata' },
      { id: 'preview', op: 'thumbnail', params: { width: 160 } },
    ],
    outputs: ['metadata', 'preview'],
  };
}
