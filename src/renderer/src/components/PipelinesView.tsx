/** Every pipeline with its description, DAG and node timings; the default; invalid files. */
import { useMemo, useState } from 'react';
import type {
  PipelineFileError,
  PipelineSummary,
  SessionInfo,
  StationBridge,
} from '../../../shared/contract';
import type { DashboardState } from '../state/station-store';
import { PipelineDetail } from './PipelineDetail';
import { PipelineSelect } from './PipelineSelect';

interface Props {
  bridge: StationBridge;
  state: DashboardState;
}

/** Mean per-node time of the last frame of each session running this version. */
export function nodeTimings(
  pipeline: PipelineSummary,
  sessions: readonly SessionInfo[],
): Map<string, number> {
  const sums = new Map<string, { total: number; count: number }>();
  for (const session of sessions) {
    if (session.pipeline_id !== pipeline.id) continue;
    if (session.pipeline_version && session.pipeline_version !== pipeline.version) continue;
    for (const [node, ms] of Object.entries(session.last_timings_ms)) {
      const entry = sums.get(node) ?? { total: 0, count: 0 };
      entry.total += ms;
      entry.count += 1;
      sums.set(node, entry);
    }
  }
  return new Map([...sums].map(([node, { total, count }]) => [node, total / count]));
}

type Station = DashboardState['station'];

function DefaultPipeline({ bridge, state }: Props) {
  const { station, pipelines } = state;
  if (!station) return null;
  return (
    <label className="default-pipeline">
      Default for cameras that name none
      <PipelineSelect
        label="Default pipeline"
        testId="default-pipeline-select"
        value={station.default_pipeline}
        pipelines={pipelines}
        onChoose={(id) => bridge.setDefaultPipeline(id)}
      />
    </label>
  );
}

function PipelineErrors({
  errors,
  station,
}: {
  errors: readonly PipelineFileError[];
  station: Station;
}) {
  if (errors.length === 0) return null;
  return (
    <section className="pipeline-errors" aria-label="Invalid pipeline files">
      <h3>Pipeline files that did not load</h3>
      <ul>
        {errors.map((e) => (
          <li key={e.file} data-testid="pipeline-error">
            <span className="mono file">{e.file}</span>
            <span className="error-text">{e.error}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">
        Fix the file and save it: the station reloads it by itself.
        {station && <> Files live in {station.data_dir}/pipelines.</>}
      </p>
    </section>
  );
}

interface ListProps {
  state: DashboardState;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}

function PipelineList({ state, selectedId, onSelect }: ListProps) {
  const { pipelines, station, sessions } = state;
  const usage = (id: string) => sessions.filter((s) => s.pipeline_id === id).length;
  return (
    <ul className="pipeline-list">
      {pipelines.map((p) => (
        <li key={p.id}>
          <button
            className={p.id === selectedId ? 'selected' : undefined}
            onClick={() => onSelect(p.id)}
            data-testid="pipeline-item"
            data-pipeline-id={p.id}
          >
            <span className="pipeline-name">
              {p.id}
              {p.id === station?.default_pipeline && <span className="pill pill-on">default</span>}
            </span>
            <span className="muted small">
              {p.source === 'user' ? 'user file' : 'built-in'} · {usage(p.id)} camera
              {usage(p.id) === 1 ? '' : 's'}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The pipeline clicked, else the station's default, else the first; and its node timings. */
function useSelectedPipeline({ pipelines, station, sessions }: DashboardState) {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected =
    pipelines.find((p) => p.id === selectedId) ??
    pipelines.find((p) => p.id === station?.default_pipeline) ??
    pipelines[0];
  const timings = useMemo(
    () => (selected ? nodeTimings(selected, sessions) : new Map<string, number>()),
    [selected, sessions],
  );
  return { selected, timings, select: setSelectedId };
}

export function PipelinesView({ bridge, state }: Props) {
  const { selected, timings, select } = useSelectedPipeline(state);
  return (
    <div className="pipelines-view">
      <div className="toolbar">
        <h2>Pipelines</h2>
        <DefaultPipeline bridge={bridge} state={state} />
      </div>
      <PipelineErrors errors={state.pipelineErrors} station={state.station} />
      <div className="pipelines-layout">
        <PipelineList state={state} selectedId={selected?.id} onSelect={select} />
        {selected ? (
          <PipelineDetail pipeline={selected} timings={timings} />
        ) : (
          <p className="muted">No valid pipeline is loaded.</p>
        )}
      </div>
    </div>
  );
}
