/**
 * The drop rate of the last minute as a uPlot area chart (0-100 % fixed
 * scale, gridlines at 50 % and 100 %). Hovering shows the value and the time
 * of the sample under the pointer.
 */
import { memo, useEffect, useRef, useState, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { HISTORY_SECONDS, type DropHistory } from '../state/drop-history';

interface Props {
  history: DropHistory;
  color: string;
  height?: number;
  /** False while off screen: the data waits, nothing is drawn. */
  active: boolean;
}

interface Hover {
  left: number;
  text: string;
}

const TIME = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function toData(history: DropHistory): uPlot.AlignedData {
  return [history.times as number[], history.rates as number[]];
}

/** "12.5 % at 10:42:07": the sample under the cursor, or null off the data. */
export function describeSample(
  history: DropHistory,
  index: number | null | undefined,
): string | null {
  if (index === null || index === undefined) return null;
  const time = history.times[index];
  const rate = history.rates[index];
  if (time === undefined || rate === undefined) return null;
  return `${(rate * 100).toFixed(1)} % at ${TIME.format(new Date(time * 1000))}`;
}

/** The chart's look: the last minute on x, 0-100 % on y, gridlines at 50 % and 100 %. */
function chartOptions(
  width: number,
  height: number,
  color: string,
  onCursor: (u: uPlot) => void,
): uPlot.Options {
  return {
    width,
    height,
    pxAlign: false,
    cursor: {
      show: true,
      x: true,
      y: false,
      points: { size: 6 },
      drag: { x: false, y: false },
    },
    legend: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    padding: [8, 0, 0, 0],
    scales: {
      // Always the last minute, so a camera that just connected fills from the right.
      x: { time: false, range: (_u, _min, max) => [max - HISTORY_SECONDS, max] },
      y: { range: [0, 1] },
    },
    axes: [
      { show: false },
      {
        show: true,
        side: 1,
        size: 34,
        splits: () => [0.5, 1],
        values: (_u, splits) => splits.map((v) => `${Math.round(v * 100)} %`),
        stroke: '#8b949e',
        font: '10px system-ui, sans-serif',
        grid: { stroke: '#30363d', width: 1 },
        ticks: { show: false },
      },
    ],
    series: [{}, { stroke: color, width: 1.5, fill: `${color}40`, points: { show: false } }],
    hooks: { setCursor: [onCursor] },
  };
}

/** A uPlot chart in the host element, rebuilt when its colour or height change, fed while active. */
function useSparklineChart(
  host: RefObject<HTMLDivElement | null>,
  { history, color, height, active }: Required<Props>,
) {
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(history);
  const [hover, setHover] = useState<Hover | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const onCursor = (u: uPlot) => {
      const text = describeSample(latest.current, u.cursor.idx);
      setHover(text ? { left: u.cursor.left ?? 0, text } : null);
    };
    const options = chartOptions(Math.max(element.clientWidth, 60), height, color, onCursor);
    const chart = new uPlot(options, [[], []], element);
    plot.current = chart;
    const resize = new ResizeObserver(() => {
      const width = element.clientWidth;
      if (width > 0 && width !== chart.width) chart.setSize({ width, height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [host, color, height]);

  // Runs after the chart effect, also when a colour change rebuilt the chart.
  useEffect(() => {
    latest.current = history;
    if (active) plot.current?.setData(toData(history));
  }, [history, color, height, active]);

  return { hover, clearHover: () => setHover(null) };
}

function SparklineView({ history, color, height = 56, active }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const { hover, clearHover } = useSparklineChart(host, { history, color, height, active });
  return (
    <div
      className="sparkline"
      ref={host}
      style={{ height }}
      onMouseLeave={clearHover}
      data-testid="sparkline"
    >
      <span className="sparkline-label">drop rate, last minute</span>
      {hover && (
        <span
          className="sparkline-tip"
          role="tooltip"
          data-testid="sparkline-tip"
          style={{ left: Math.max(0, hover.left - 40) }}
        >
          {hover.text}
        </span>
      )}
    </div>
  );
}

export const Sparkline = memo(SparklineView);
