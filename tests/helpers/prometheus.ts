/** A real Prometheus (Debian's /usr/bin/prometheus) run by a test: loopback, a temp TSDB, stopped by pid. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';
export const prometheusAvailable = existsSync(PROMETHEUS) && existsSync(PROMTOOL);

export interface PromVector {
  metric: Record<string, string>;
  value: [number, string];
}
export interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | null>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: string | null = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== null) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

export interface RunningPrometheus {
  base: string;
  /** The last lines Prometheus wrote to stderr. */
  log(): string;
  query(expr: string): Promise<PromResponse<{ resultType: string; result: PromVector[] }>>;
  stop(): Promise<void>;
}

/** Starts Prometheus with `dir/prometheus.yml` (already written) and waits until it is ready. */
export async function startPrometheus(dir: string): Promise<RunningPrometheus> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  });
  child.stdout?.resume();
  const running: RunningPrometheus = {
    base,
    log: () => log,
    async query(expr) {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (await res.json()) as PromResponse<{ resultType: string; result: PromVector[] }>;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  try {
    await waitUntil('Prometheus to be ready', async () =>
      (await fetch(`${base}/-/ready`)).ok ? true : null,
    );
  } catch (error) {
    await running.stop();
    throw new Error(`${(error as Error).message}; Prometheus said: ${log}`, { cause: error });
  }
  return running;
}
