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

/** Keys that move the scrubber, and how far from `position`. */
function keyMove(key: string, shift: boolean, position: number, last: number): number | undefined {
  const step = shift ? 10 : 1;
  const moves: Record<string, number> = {
    ArrowRight: position + step,
    ArrowLeft: position - step,
    PageDown: position + 100,
    PageUp: position - 100,
    Home: 0,
    End: last,
  };
  return moves[key];
}

/** The frame shown: `startFrame`'s until the technician moves, kept within the frames. */
function usePosition(frames: RecordedFrame[], startFrame: number | null) {
  const [chosen, setChosen] = useState<number | null>(null);
  const last = frames.length - 1;
  const position = chosen ?? startPosition(frames, startFrame);
  const go = (p: number) => setChosen(Math.max(0, Math.min(last, p)));
  function onKey(event: KeyboardEvent<HTMLDivElement>): void {
    const next = keyMove(event.key, event.shiftKey, position, last);
    if (next === undefined) return;
    event.preventDefault();
    go(next);
  }
  return { position, last, go, onKey };
}

interface Marks {
  in: number | null;
  out: number | null;
}

/** The marked range as times for the export, once both ends are marked. */
function markedRange(frames: RecordedFrame[], marks: Marks) {
  if (marks.in === null || marks.out === null || !frames[marks.in] || !frames[marks.out]) {
    return undefined;
  }
  return {
    from: frames[Math.min(marks.in, marks.out)]!.time,
    to: frames[Math.max(marks.in, marks.out)]!.time,
  };
}

interface ScrubProps {
  count: number;
  position: number;
  go: (position: number) => void;
}

function Scrubber({ count, position, go }: ScrubProps) {
  return (
    <div className="scrub">
      <input
        type="range"
        aria-label="frame"
        data-testid="scrubber"
        min={0}
        max={Math.max(0, count - 1)}
        value={position}
        onChange={(e) => go(Number(e.target.value))}
      />
      <span className="mono" data-testid="frame-position">
        {count ? `${formatCount(position + 1)} / ${formatCount(count)}` : '0 / 0'}
      </span>
    </div>
  );
}

function FrameInfo({ frame }: { frame: RecordedFrame }) {
  return (
    <p className="muted small mono" data-testid="frame-info">
      frame {frame.frame_index} · {frame.time} ·{' '}
      {Object.entries(frame.values)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ')}
    </p>
  );
}

interface ActionProps {
  bridge: StationBridge;
  session: RecordingSession;
  frames: RecordedFrame[];
  position: number;
}

/** Mark in, mark out, and the export of the session or of the marked range. */
function ViewerActions({ bridge, session, frames, position }: ActionProps) {
  const [marks, setMarks] = useState<Marks>({ in: null, out: null });
  const range = markedRange(frames, marks);
  return (
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
  );
}

export function SessionViewer({ bridge, session, startFrame }: Props) {
  const { frames, error } = useFrames(bridge, session);
  const { position, last, go, onKey } = usePosition(frames, startFrame);
  const times = useMemo(() => frames.map((f) => Date.parse(f.time) / 1000), [frames]);
  const series = useMemo(() => seriesOf(frames), [frames]);
  const frame = frames[Math.min(position, Math.max(0, last))];
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
      <Scrubber count={frames.length} position={position} go={go} />
      {frame && <FrameInfo frame={frame} />}
      <ResultsChart
        times={times}
        series={series}
        position={position}
        onSeek={go}
        width={CHART_WIDTH}
      />
      <ViewerActions bridge={bridge} session={session} frames={frames} position={position} />
    </div>
  );
}
