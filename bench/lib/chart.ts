/**
 * The benchmark as a picture: an SVG of horizontal bars, throughput per
 * scenario (station, floor, and the original design's reference as a line)
 * and reply / `/healthz` p99 against their targets. Plain SVG, no library.
 */
import { ORIGINAL } from './reference';
import type { ScenarioResult } from './scenario';

interface Bar {
  label: string;
  value: number;
  colour: string;
}
interface Mark {
  value: number;
  label: string;
}

const COLOURS = { station: '#2f6fdf', floor: '#9aa4b2', healthz: '#e8a33d' };
const ROW = 22;
const LABEL_WIDTH = 430;
const BAR_WIDTH = 470;

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Linear, or logarithmic (latencies span 1 ms to seconds) from 1 up. */
function panel(
  title: string,
  bars: Bar[],
  marks: Mark[],
  top: number,
  log = false,
): [string, number] {
  const scale = (v: number) => (log ? Math.log10(1 + Math.max(0, v)) : v);
  const max = Math.max(1, ...bars.map((b) => scale(b.value)), ...marks.map((m) => scale(m.value)));
  const x = (v: number) => LABEL_WIDTH + (scale(v) / (max * 1.08)) * BAR_WIDTH;
  const parts = [`<text x="10" y="${top + 16}" class="title">${escape(title)}</text>`];
  const first = top + 28;
  bars.forEach((bar, i) => {
    const y = first + i * ROW;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 14}" class="label" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${(x(bar.value) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 7}" fill="${bar.colour}"/>`,
      `<text x="${(x(bar.value) + 4).toFixed(1)}" y="${y + 14}" class="value">${bar.value.toFixed(bar.value >= 100 ? 0 : 1)}</text>`,
    );
  });
  const bottom = first + bars.length * ROW;
  for (const mark of marks) {
    const mx = x(mark.value).toFixed(1);
    parts.push(
      `<line x1="${mx}" y1="${first}" x2="${mx}" y2="${bottom}" class="mark"/>`,
      `<text x="${mx}" y="${bottom + 13}" class="mark-label" text-anchor="middle">${escape(mark.label)}</text>`,
    );
  }
  return [parts.join('\n'), bottom + 24 - top];
}

export function benchChart(results: ScenarioResult[], heading: string): string {
  const name = (r: ScenarioResult) => `${r.title}${r.system === 'floor' ? ' (floor)' : ''}`;
  const throughput = results.map((r) => ({
    label: name(r),
    value: r.framesPerSecond,
    colour: COLOURS[r.system],
  }));
  const latency = results.flatMap((r) => [
    { label: `${name(r)}: reply`, value: r.latency.p99, colour: COLOURS[r.system] },
    ...(r.healthz
      ? [{ label: `${name(r)}: /healthz`, value: r.healthz.p99, colour: COLOURS.healthz }]
      : []),
  ]);
  const [first, firstHeight] = panel(
    'Throughput, frames/s',
    throughput,
    [
      { value: ORIGINAL.framesPerSecond, label: `original ${ORIGINAL.range}` },
      { value: ORIGINAL.framesPerSecond * 2.5, label: '2.5x original' },
    ],
    34,
  );
  const [second, secondHeight] = panel(
    'p99 latency, ms, log scale (targets: reply 100, /healthz 20)',
    latency,
    [
      { value: 20, label: '20 ms' },
      { value: 100, label: '100 ms' },
      { value: 1000, label: '1 s' },
    ],
    34 + firstHeight,
    true,
  );
  const height = 34 + firstHeight + secondHeight + 10;
  const width = LABEL_WIDTH + BAR_WIDTH + 70;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    '<style>.title{font-size:14px;font-weight:bold}.label,.value{font-size:12px}.mark{stroke:#c0392b;stroke-dasharray:4 3}.mark-label{font-size:11px;fill:#c0392b}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="13">${escape(heading)}</text>`,
    first,
    second,
    '</svg>',
    '',
  ].join('\n');
}
