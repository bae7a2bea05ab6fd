/** The drop rate of the last minute as a small uPlot area chart (0-100 % fixed scale). */
import { memo, useEffect, useRef } from 'react';
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

function toData(history: DropHistory): uPlot.AlignedData {
  return [history.times as number[], history.rates as number[]];
}

function SparklineView({ history, color, height = 34, active }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 60),
        height,
        pxAlign: false,
        cursor: { show: false },
        legend: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        padding: [2, 0, 0, 0],
        scales: {
          // Always the last minute, so a camera that just connected fills from the right.
          x: { time: false, range: (_u, _min, max) => [max - HISTORY_SECONDS, max] },
          y: { range: [0, 1] },
        },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: color, width: 1.5, fill: `${color}40`, points: { show: false } }],
      },
      [[], []],
      element,
    );
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
  }, [color, height]);

  // Runs after the chart effect, also when a colour change rebuilt the chart.
  useEffect(() => {
    if (active) plot.current?.setData(toData(history));
  }, [history, color, height, active]);

  return (
    <div className="sparkline" ref={host} title="drop rate, last minute (0-100 %)">
      <span className="sparkline-label">drop rate, last minute</span>
    </div>
  );
}

export const Sparkline = memo(SparklineView);
