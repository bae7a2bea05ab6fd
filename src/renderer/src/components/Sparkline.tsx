/** The drop rate of the last minute as a small uPlot area chart (0-100 % fixed scale). */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { HISTORY_SECONDS, type DropHistory } from '../state/drop-history';

interface Props {
  history: DropHistory;
  color: string;
  width?: number;
  height?: number;
}

function toData(history: DropHistory): uPlot.AlignedData {
  return [history.times as number[], history.rates as number[]];
}

export function Sparkline({ history, color, width = 150, height = 34 }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const chart = new uPlot(
      {
        width,
        height,
        pxAlign: false,
        cursor: { show: false },
        legend: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        padding: [2, 0, 0, 0],
        scales: {
          x: {
            time: false,
            range: (_u, _min, max) => [max - HISTORY_SECONDS, max],
          },
          y: { range: [0, 1] },
        },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: color, width: 1.5, fill: `${color}33`, points: { show: false } }],
      },
      [[], []],
      host.current,
    );
    plot.current = chart;
    return () => {
      chart.destroy();
      plot.current = null;
    };
  }, [color, width, height]);

  useEffect(() => {
    plot.current?.setData(toData(history));
  }, [history, color]);

  return <div className="sparkline" ref={host} aria-label="drop rate over the last minute" />;
}
