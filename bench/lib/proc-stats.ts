/** CPU time and resident memory of a process, read from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times; 100 on every Linux we run on. */
const CLOCK_TICKS = 100;

export interface ProcSample {
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  /** The same for its main thread alone (the JavaScript thread of a Node process). */
  mainThreadCpuSeconds: number;
  rssBytes: number;
  at: number;
}

/** utime + stime in seconds from a /proc stat line. */
function cpuOf(stat: string): number {
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export function sampleProcess(pid: number): ProcSample | null {
  try {
    const cpuSeconds = cpuOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const mainThreadCpuSeconds = cpuOf(readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8'));
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    return { cpuSeconds, mainThreadCpuSeconds, rssBytes: rssKiB * 1024, at: Date.now() };
  } catch {
    return null;
  }
}

/** Samples a process every `everyMs` while a scenario runs: RSS series and CPU deltas. */
export function createProcSampler(pid: number, everyMs = 500) {
  const samples: ProcSample[] = [];
  const take = () => {
    const sample = sampleProcess(pid);
    if (sample) samples.push(sample);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    mark(): ProcSample | null {
      take();
      return samples[samples.length - 1] ?? null;
    },
    stop() {
      clearInterval(timer);
      take();
    },
  };
}
