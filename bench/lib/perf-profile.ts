/**
 * Where the station's CPU goes across all its threads: `perf record` (Linux,
 * the cpu-clock software event, so it also works in virtual machines without
 * hardware counters) samples every thread of the station for part of the
 * measured window; the shares per thread group and library are then scaled
 * to the CPU per frame measured from /proc in the same window.
 *
 * Thread groups: the main thread (JavaScript: sockets, scheduling, replies),
 * the libuv pool (threads that ran the addon or libvips: decode, pixel work,
 * preview encode) and V8's worker threads (concurrent marking, sweeping,
 * compiling).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface PerfRow {
  threads: 'main' | 'pool' | 'V8 workers';
  library: string;
  percent: number;
  msPerFrame: number;
}

export interface PerfSummary {
  samples: number;
  cpuMsPerFrame: number;
  rows: PerfRow[];
}

const POOL_LIBRARIES = /libturbojpeg|turbo_decode|libvips|libjpeg/;

export function perfAvailable(): boolean {
  const probe = spawnSync('perf', ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Samples every thread of `pid` for `seconds`, into `file`; the promise ends with perf. */
export function recordPerf(pid: number, seconds: number, file: string): Promise<void> {
  const args = ['record', '-q', '-e', 'cpu-clock', '-F', '999', '-p', String(pid), '-o', file];
  const child: ChildProcess = spawn('perf', [...args, '--', 'sleep', String(seconds)], {
    stdio: 'ignore',
  });
  return new Promise((done) => {
    child.once('exit', () => done());
    child.once('error', () => done());
  });
}

interface RawRow {
  percent: number;
  tid: number;
  library: string;
}

function readRows(file: string): { rows: RawRow[]; samples: number } {
  const report = spawnSync(
    'perf',
    ['report', '-i', file, '--no-children', '--sort', 'pid,dso', '--stdio', '-g', 'none'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const rows: RawRow[] = [];
  let samples = 0;
  for (const line of (report.stdout ?? '').split('\n')) {
    const count = /^# Samples: (\d+)([KM]?)/.exec(line);
    if (count) samples = Number(count[1]) * (count[2] === 'K' ? 1e3 : count[2] === 'M' ? 1e6 : 1);
    const row = /^\s*([\d.]+)%\s+(\d+):\S+\s+(.+?)\s*$/.exec(line);
    if (row) rows.push({ percent: Number(row[1]), tid: Number(row[2]), library: row[3]! });
  }
  return { rows, samples };
}

function libraryName(dso: string): string {
  if (dso.startsWith('[JIT]')) return 'JavaScript (JIT code)';
  if (dso === 'node') return 'node (V8, builtins, GC, libuv)';
  if (dso === '[kernel.kallsyms]') return 'kernel (syscalls, wake-ups, page faults)';
  return dso.replace(/\.so[.\d]*$/, '');
}

/** The shares of `file`, grouped, scaled to `cpuMsPerFrame` (the station's CPU per frame). */
export function summarisePerf(file: string, pid: number, cpuMsPerFrame: number): PerfSummary {
  const { rows, samples } = readRows(file);
  const pool = new Set(rows.filter((r) => POOL_LIBRARIES.test(r.library)).map((r) => r.tid));
  const grouped = new Map<string, PerfRow>();
  for (const row of rows) {
    const threads = row.tid === pid ? 'main' : pool.has(row.tid) ? 'pool' : 'V8 workers';
    const library = libraryName(row.library);
    const key = `${threads}/${library}`;
    const entry = grouped.get(key) ?? { threads, library, percent: 0, msPerFrame: 0 };
    entry.percent += row.percent;
    entry.msPerFrame = (entry.percent / 100) * cpuMsPerFrame;
    grouped.set(key, entry);
  }
  const ordered = [...grouped.values()].sort((a, b) => b.percent - a.percent);
  return { samples, cpuMsPerFrame, rows: ordered.filter((r) => r.percent >= 0.5) };
}

export function perfMarkdown(summary: PerfSummary): string {
  const groups = new Map<string, number>();
  for (const row of summary.rows) {
    groups.set(row.threads, (groups.get(row.threads) ?? 0) + row.msPerFrame);
  }
  const total = [...groups.entries()].map(([g, ms]) => `${g} ${ms.toFixed(2)}`).join(', ');
  return [
    `Station CPU by thread and library (perf, about ${summary.samples} samples; ` +
      `${summary.cpuMsPerFrame.toFixed(2)} ms per frame measured: ${total}; rows under 0.5 % left out)`,
    '',
    '| threads | library | % of the station CPU | ms/frame |',
    '| --- | --- | --- | --- |',
    ...summary.rows.map(
      (r) =>
        `| ${r.threads} | ${r.library} | ${r.percent.toFixed(1)} | ${r.msPerFrame.toFixed(3)} |`,
    ),
  ].join('\n');
}
