/** The benchmark's markdown table and the station/floor ratios. */
import { ORIGINAL, ORIGINAL_ONE_CAMERA } from './reference';
import type { ScenarioResult } from './scenario';

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

export interface Ratios {
  throughput: number;
  cpuPerFrame: number;
  latencyP50: number;
}

export function ratiosOf(station: ScenarioResult, floor: ScenarioResult): Ratios {
  return {
    throughput: station.framesPerSecond / Math.max(floor.framesPerSecond, 1e-9),
    cpuPerFrame: station.cpuMsPerFrame / Math.max(floor.cpuMsPerFrame, 1e-9),
    latencyP50: station.latency.p50 / Math.max(floor.latency.p50, 1e-9),
  };
}

export function markdownTable(results: ScenarioResult[]): string {
  const header =
    '| scenario | system | pipeline | offered fps | frames/s | CPU ms/frame | main thread ms/frame | p50 ms | p95 ms | p99 ms | max ms | drop % | slow_down | /healthz p99 ms | RSS MiB start → end (max) | load gen CPU % |';
  const rule = `|${' --- |'.repeat(16)}`;
  const rows = results.map((r) =>
    [
      r.title,
      r.system,
      r.pipeline,
      r.offeredFps === null ? 'closed loop' : String(r.offeredFps),
      f1(r.framesPerSecond),
      f2(r.cpuMsPerFrame),
      f2(r.mainThreadMsPerFrame),
      f1(r.latency.p50),
      f1(r.latency.p95),
      f1(r.latency.p99),
      f1(r.latency.max),
      f1(r.dropRate * 100),
      String(r.slowDowns),
      r.healthz ? f1(r.healthz.p99) : '-',
      `${r.rssStartMiB.toFixed(0)} → ${r.rssEndMiB.toFixed(0)} (${r.rssMaxMiB.toFixed(0)})`,
      r.loadGeneratorCpuPercent.toFixed(0),
    ].join(' | '),
  );
  const watched = results.flatMap((r) =>
    r.watched.map(
      (w) =>
        `- ${r.title}: camera ${w.cameraId} sent ${w.sent}, processed ${w.processed}, dropped ${w.dropped}; ` +
        `reply p50 ${f1(w.latency.p50)} ms, p99 ${f1(w.latency.p99)} ms, max ${f1(w.latency.max)} ms`,
    ),
  );
  return [header, rule, ...rows.map((row) => `| ${row} |`), '', ...watched].join('\n');
}

export function ratioLines(ratios: Ratios, stationPipeline: string): string[] {
  const caveat =
    stationPipeline === 'bench'
      ? []
      : [
          `(the station ran \`${stationPipeline}\`, not \`bench\`: the floor does the bench work, so these ratios compare different work)`,
        ];
  return [
    `station/floor, closed loop: throughput x${f2(ratios.throughput)}, ` +
      `CPU per frame x${f2(ratios.cpuPerFrame)}, reply p50 x${f2(ratios.latencyP50)}`,
    ...caveat,
  ];
}

/** Each closed-loop station run against the original design's figure. */
export function originalLines(results: ScenarioResult[], stationPipeline: string): string[] {
  if (stationPipeline !== 'bench') return [];
  return results
    .filter((r) => r.system === 'station' && r.offeredFps === null)
    .map((r) => {
      const original = r.cameras === 1 ? ORIGINAL_ONE_CAMERA : ORIGINAL;
      return (
        `${r.title}: x${f2(r.framesPerSecond / original.framesPerSecond)} the original design ` +
        `(${original.range}, measured side by side on this machine)`
      );
    });
}
