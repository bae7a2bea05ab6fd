/** Text views of a fleet: the live per-camera table, plain progress lines, the summary. */
import type { CameraStats } from './camera-client';
import type { FleetTotals } from './fleet';

const COLUMNS = ['camera', 'sent', 'processed', 'dropped', 'p50 ms', 'fps', 'state'] as const;

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function stateLabel(s: CameraStats): string {
  if (s.state === 'failed') return `failed (${s.error ?? s.closeCode ?? '?'})`;
  if (s.state === 'closed') return `closed ${s.closeCode ?? ''}`.trim();
  if (s.state === 'streaming' && s.fps < s.targetFps) return 'slowed';
  return s.state;
}

/** One row per camera plus a total row. */
export function formatTable(stats: readonly CameraStats[], totals: FleetTotals): string[] {
  const rows = stats.map((s) => [
    s.cameraId,
    String(s.sent),
    String(s.processed),
    String(s.dropped),
    s.recentP50.toFixed(1),
    s.fps.toFixed(s.fps < 10 ? 1 : 0),
    stateLabel(s),
  ]);
  rows.push([
    'total',
    String(totals.sent),
    String(totals.processed),
    String(totals.dropped),
    totals.latency.p50.toFixed(1),
    '',
    `${totals.slowDowns} slow_down`,
  ]);
  const widths = COLUMNS.map((title, c) =>
    Math.max(title.length, ...rows.map((r) => r[c]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => pad(cell, widths[c]!, c > 0 && c < 6)).join('  ');
  return [line(COLUMNS), ...rows.map(line)];
}

/** One line for logs and pipes: totals since the start. */
export function formatProgressLine(elapsedS: number, totals: FleetTotals): string {
  const rate = elapsedS > 0 ? totals.processed / elapsedS : 0;
  return (
    `[${elapsedS.toFixed(0)}s] cameras=${totals.cameras} sent=${totals.sent} ` +
    `processed=${totals.processed} (${rate.toFixed(1)}/s) dropped=${totals.dropped} ` +
    `slow_down=${totals.slowDowns} p50=${totals.latency.p50.toFixed(1)}ms ` +
    `p99=${totals.latency.p99.toFixed(1)}ms`
  );
}

export function formatSummary(elapsedS: number, totals: FleetTotals, frameBytes: number): string[] {
  const { latency } = totals;
  const dropRate = totals.sent > 0 ? totals.dropped / totals.sent : 0;
  return [
    `Summary after ${elapsedS.toFixed(1)} s, ${totals.cameras} camera(s), frames of ${(frameBytes / 1024).toFixed(1)} KiB:`,
    `  sent ${totals.sent} (${(totals.sent / elapsedS).toFixed(1)}/s), processed ${totals.processed} ` +
      `(${(totals.processed / elapsedS).toFixed(1)}/s), dropped ${totals.dropped} ` +
      `(${(dropRate * 100).toFixed(1)}%), pipeline failures ${totals.failed}`,
    `  reply latency of processed frames: p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, ` +
      `p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms`,
    `  slow_down warnings ${totals.slowDowns}; frames skipped by full send buffers ${totals.skipped}; ` +
      `unanswered ${totals.outstanding}; protocol violations ${totals.violations}`,
  ];
}
