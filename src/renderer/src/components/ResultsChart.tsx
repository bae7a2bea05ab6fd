/**
 * A recorded session's numeric results as time series: one small uPlot chart
 * per field, stacked, their cursors synced; the cursor sits on the frame the
 * viewer shows, and a click on a chart moves the viewer there.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  field: string;
  values: (number | null)[];
}

interface Props {
  /** Seconds (Unix time) of each frame, in order. */
  times: number[];
  series: Series[];
  position: number;
  onSeek: (position: number) => void;
  width: number;
}

const ROW_HEIGHT = 90;
const COLOURS = ['#58a6ff', '#3fb950', '#d29922', '#f85149', '#bc8cff', '#39c5cf'];

function placeCursor(chart: uPlot, x: number | undefined): void {
  if (x === undefined) return;
  const left = chart.valToPos(x, 'x');
  if (Number.isFinite(left)) chart.setCursor({ left, top: ROW_HEIGHT / 4 }, false);
}

export function ResultsChart({ times, series, position, onSeek, width }: Props) {
  const holder = useRef<HTMLDivElement>(null);
  const charts = useRef<uPlot[]>([]);
  const seek = useRef(onSeek);
  const shown = useRef(position);
  useEffect(() => {
    seek.current = onSeek;
    shown.current = position;
  }, [onSeek, position]);

  useEffect(() => {
    const root = holder.current;
    if (!root || times.length === 0) return;
    const syncKey = `results-${Math.random().toString(36).slice(2)}`;
    // A chart is sized once it is ready: only then can the cursor be placed.
    const place = (chart: uPlot) => placeCursor(chart, times[shown.current]);
    charts.current = series.map((s, i) => {
      const el = document.createElement('div');
      el.className = 'chart-row';
      el.dataset.field = s.field;
      root.appendChild(el);
      const chart = new uPlot(
        {
          width,
          height: ROW_HEIGHT,
          legend: { show: true, live: true },
          cursor: { sync: { key: syncKey }, drag: { x: false, y: false } },
          hooks: { ready: [place] },
          axes: [
            { stroke: '#8b949e', grid: { stroke: '#30363d' }, show: i === series.length - 1 },
            { stroke: '#8b949e', grid: { stroke: '#30363d' }, size: 56 },
          ],
          series: [
            {},
            {
              label: s.field,
              stroke: COLOURS[i % COLOURS.length],
              width: 1.5,
              points: { show: false },
            },
          ],
        },
        [times, s.values],
        el,
      );
      chart.over.addEventListener('click', () => {
        const idx = chart.cursor.idx;
        if (idx !== null && idx !== undefined) seek.current(idx);
      });
      return chart;
    });
    return () => {
      for (const chart of charts.current) chart.destroy();
      charts.current = [];
      root.replaceChildren();
    };
  }, [times, series, width]);

  useEffect(() => {
    for (const chart of charts.current) placeCursor(chart, times[position]);
  }, [position, times, series, width]);

  if (series.length === 0) {
    return <p className="muted">This recording has no numeric results to chart.</p>;
  }
  return (
    <div
      ref={holder}
      className="results-chart"
      data-testid="results-chart"
      data-position={position}
    />
  );
}
