/**
 * A recorded session: the frame at the scrubber, stepped with the keyboard
 * (← → one frame, Shift ten, PageUp/PageDown a hundred, Home/End), its results
 * charted underneath with the cursor on that frame, and export of the session
 * or of a marked range.
 */
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { StationBridge } from '../../../shared/contract';
import type { RecordedFrame, RecordingSession } from '../../../shared/recordings';
import { MAX_FRAMES_PAGE } from '../../../shared/recordings';
import { formatCount } from '../format';
import { ExportControls } from './ExportControls';
import { FrameImage } from './FrameImage';
import { ResultsChart, type Series } from './ResultsChart';

interface Props {
  bridge: StationBridge;
  session: RecordingSession;
  /** Open at this frame index (an alert's moment), else at the first frame. */
  startFrame: number | null;
}

const MAX_SERIES = 8;
const CHART_WIDTH = 760;

/** Fields whose values vary, as chart series (a constant width or height says nothing). */
function seriesOf(frames: RecordedFrame[]): Series[] {
  const fields = new Map<string, (number | null)[]>();
  frames.forEach((f, i) => {
    for (const [field, value] of Object.entries(f.values)) {
      let column = fields.get(field);
      if (!column) {
        if (fields.size >= 64) continue;
        column = new Array<number | null>(frames.length).fill(null);
        fields.set(field, column);
      }
      column[i] = value;
    }
  });
  return [...fields]
    .filter(([, values]) => new Set(values.filter((v) => v !== null)).size > 1)
    .slice(0, MAX_SERIES)
    .map(([field, values]) => ({ field, values }));
}

/** The first frame at or after `startFrame` (an alert's frame), else the first. */
function startPosition(frames: RecordedFrame[], startFrame: number | null): number {
  if (startFrame === null) return 0;
  const at = frames.findIndex((f) => f.frame_index >= startFrame);
  return at >= 0 ? at : 0;
}

function useFrames(bridge: StationBridge, session: RecordingSession) {
  const [frames, setFrames] = useState<RecordedFrame[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    const all: RecordedFrame[] = [];
    async function load(): Promise<void> {
      for (;;) {
        const page = await bridge.getRecordingFrames(
          session.camera_id,
          session.session_id,
          all.length,
          MAX_FRAMES_PAGE,
        );
        if (cancelled) return;
        all.push(...page.frames);
        setFrames([...all]);
        if (page.frames.length === 0 || all.length >= page.total) return;
      }
    }
    load().catch((err: unknown) => !cancelled && setError((err as Error).message));
    return () => {
      cancelled = true;
    };
  }, [bridge, session.camera_id, session.session_id]);
  return { frames, error };
}

export function SessionViewer({ bridge, session, startFrame }: Props) {
  const { frames, error } = useFrames(bridge, session);
  /** null until the technician moves: then the frame of `startFrame` is shown. */
  const [chosen, setChosen] = useState<number | null>(null);
  const [marks, setMarks] = useState<{ in: number | null; out: number | null }>({
    in: null,
    out: null,
  });
  const last = frames.length - 1;
  const position = chosen ?? startPosition(frames, startFrame);

  const times = useMemo(() => frames.map((f) => Date.parse(f.time) / 1000), [frames]);
  const series = useMemo(() => seriesOf(frames), [frames]);
  const frame = frames[Math.min(position, Math.max(0, last))];
  const go = (p: number) => setChosen(Math.max(0, Math.min(last, p)));

  function onKey(event: KeyboardEvent<HTMLDivElement>): void {
    const step = event.shiftKey ? 10 : 1;
    const moves: Record<string, number> = {
      ArrowRight: position + step,
      ArrowLeft: position - step,
      PageDown: position + 100,
      PageUp: position - 100,
      Home: 0,
      End: last,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    go(next);
  }

  const range =
    marks.in !== null && marks.out !== null && frames[marks.in] && frames[marks.out]
      ? {
          from: frames[Math.min(marks.in, marks.out)]!.time,
          to: frames[Math.max(marks.in, marks.out)]!.time,
        }
      : undefined;

  return (
    <div className="session-viewer" data-testid="session-viewer" tabIndex={0} onKeyDown={onKey}>
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
      <FrameImage
        bridge={bridge}
        cameraId={session.camera_id}
        sessionId={session.session_id}
        file={frame?.file ?? null}
      />
      <div className="scrub">
        <input
          type="range"
          aria-label="frame"
          data-testid="scrubber"
          min={0}
          max={Math.max(0, last)}
          value={position}
          onChange={(e) => go(Number(e.target.value))}
        />
        <span className="mono" data-testid="frame-position">
          {frames.length ? `${formatCount(position + 1)} / ${formatCount(frames.length)}` : '0 / 0'}
        </span>
      </div>
      {frame && (
        <p className="muted small mono" data-testid="frame-info">
          frame {frame.frame_index} · {frame.time} ·{' '}
          {Object.entries(frame.values)
            .map(([k, v]) => `${k} ${v}`)
            .join(' · ')}
        </p>
      )}
      <ResultsChart
        times={times}
        series={series}
        position={position}
        onSeek={go}
        width={CHART_WIDTH}
      />
      <div className="viewer-actions">
        <button onClick={() => setMarks((m) => ({ ...m, in: position }))}>Mark in</button>
        <button onClick={() => setMarks((m) => ({ ...m, out: position }))}>Mark out</button>
        {range && (
          <span className="muted small">
            range {Math.min(marks.in!, marks.out!) + 1}–{Math.max(marks.in!, marks.out!) + 1}
          </span>
        )}
        <ExportControls
          bridge={bridge}
          cameraId={session.camera_id}
          sessionId={session.session_id}
          range={range}
        />
      </div>
    </div>
  );
}
