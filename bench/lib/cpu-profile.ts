/**
 * Reads a V8 CPU profile (`node --cpu-prof`) of the station's main thread:
 * self time per function, divided by the frames the station processed while
 * profiled, so that one table says where each frame's main-thread time goes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  msPerFrame: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  frames: number;
  /** Wall time of the profile and the part of it the thread was not idle. */
  seconds: number;
  busyPercent: number;
  busyMsPerFrame: number;
  rows: ProfileRow[];
}

/** The one .cpuprofile the station wrote into `dir`. */
export function profileIn(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  return files.length > 0 ? join(dir, files.sort().at(-1)!) : null;
}

function label(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const file = basename(frame.url.replace(/^file:\/\//, ''));
  return `${name} (${file}:${frame.lineNumber + 1})`;
}

export function summariseProfile(file: string, frames: number, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    const key = node ? label(node.callFrame) : '(unknown)';
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    totalUs += us;
  });
  const idleUs = selfUs.get('(idle)') ?? 0;
  const busyUs = totalUs - idleUs;
  const perFrame = (us: number) => (frames > 0 ? us / 1000 / frames : 0);
  const rows = [...selfUs.entries()]
    .filter(([key]) => key !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, msPerFrame: perFrame(us), percent: (100 * us) / totalUs }));
  return {
    file,
    frames,
    seconds: totalUs / 1e6,
    busyPercent: totalUs > 0 ? (100 * busyUs) / totalUs : 0,
    busyMsPerFrame: perFrame(busyUs),
    rows,
  };
}

export function profileMarkdown(summary: ProfileSummary): string {
  const lines = [
    `Main-thread CPU profile: ${summary.frames} frames in ${summary.seconds.toFixed(1)} s profiled; ` +
      `busy ${summary.busyPercent.toFixed(1)} % = ${summary.busyMsPerFrame.toFixed(3)} ms per frame ` +
      `(${basename(summary.file)})`,
    '',
    '| self time ms/frame | % of the run | function |',
    '| --- | --- | --- |',
    ...summary.rows.map(
      (r) =>
        `| ${r.msPerFrame.toFixed(3)} | ${r.percent.toFixed(1)} | ${r.name.replace(/\|/g, '\\|')} |`,
    ),
  ];
  return lines.join('\n');
}
