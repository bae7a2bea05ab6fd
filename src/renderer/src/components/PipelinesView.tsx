/** Every pipeline with its description, DAG and node timings; the default; invalid files. */
import { useMemo, useState } from 'react';
import type { PipelineSummary, SessionInfo, StationBridge } from '../../../shared/contract';
import type { DashboardState } from '../state/station-store';
import { PipelineGraph } from './PipelineGraph';
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

export function PipelinesView({ bridge, state }: Props) {
  const { pipelines, pipelineErrors, station, sessions } = state;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected =
    pipelines.find((p) => p.id === selectedId) ??
    pipelines.find((p) => p.id === station?.default_pipeline) ??
    pipelines[0];
  const timings = useMemo(
    () => (selected ? nodeTimings(selected, sessions) : new Map<string, number>()),
    [selected, sessions],
  );
  const usage = (id: string) => sessions.filter((s) => s.pipeline_id === id).length;

  return (
    <div className="pipelines-view">
      <div className="toolbar">
        <h2>Pipelines</h2>
        {station && (
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
        )}
      </div>

      {pipelineErrors.length > 0 && (
        <section className="pipeline-errors" aria-label="Invalid pipeline files">
          <h3>Pipeline files that did not load</h3>
          <ul>
            {pipelineErrors.map((e) => (
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
      )}

      <div className="pipelines-layout">
        <ul className="pipeline-list">
          {pipelines.map((p) => (
            <li key={p.id}>
              <button
                className={p.id === selected?.id ? 'selected' : undefined}
                onClick={() => setSelectedId(p.id)}
                data-testid="pipeline-item"
                data-pipeline-id={p.id}
              >
                <span className="pipeline-name">
                  {p.id}
                  {p.id === station?.default_pipeline && (
                    <span className="pill pill-on">default</span>
                  )}
                </span>
                <span className="muted small">
                  {p.source === 'user' ? 'user file' : 'built-in'} · {usage(p.id)} camera
                  {usage(p.id) === 1 ? '' : 's'}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {selected ? (
          <section className="pipeline-detail" data-testid="pipeline-detail">
            <h3>
              {selected.name || selected.id}{' '}
              <span className="muted mono small" title={selected.version}>
                {selected.id} · version {selected.version.slice(0, 12)}
              </span>
            </h3>
            <p>{selected.description}</p>
            <PipelineGraph pipeline={selected} timings={timings} />
            <table className="node-table">
              <thead>
                <tr>
                  <th>node</th>
                  <th>op</th>
                  <th>needs</th>
                  <th>params</th>
                  <th className="num">last frame</th>
                </tr>
              </thead>
              <tbody>
                {selected.nodes.map((node) => (
                  <tr key={node.id}>
                    <td className="mono">
                      {node.id}
                      {selected.outputs.includes(node.id) && <span className="pill">output</span>}
                    </td>
                    <td>{node.op}</td>
                    <td className="mono">{node.needs.join(', ') || '—'}</td>
                    <td className="mono small">{JSON.stringify(node.params)}</td>
                    <td className="num">
                      {timings.has(node.id) ? `${timings.get(node.id)?.toFixed(1)} ms` : '—'}
                    </td>
                  </tr>
                ))}
                {timings.has('decode') && (
                  <tr>
                    <td colSpan={4} className="muted">
                      JPEG decode, shared by the nodes that read pixels
                    </td>
                    <td className="num">{timings.get('decode')?.toFixed(1)} ms</td>
                  </tr>
                )}
                {timings.has('total') && (
                  <tr className="total-row">
                    <td colSpan={4}>total</td>
                    <td className="num">{timings.get('total')?.toFixed(1)} ms</td>
                  </tr>
                )}
              </tbody>
            </table>
          </section>
        ) : (
          <p className="muted">No valid pipeline is loaded.</p>
        )}
      </div>
    </div>
  );
}
