/** One pipeline in the Pipelines view: its description, DAG and the table of its nodes. */
import type { PipelineSummary } from '../../../shared/contract';
import { PipelineGraph } from './PipelineGraph';

interface Props {
  pipeline: PipelineSummary;
  /** Mean time of each node (and of `decode`, `total`) on the last frames, ms. */
  timings: Map<string, number>;
}

export function PipelineDetail({ pipeline, timings }: Props) {
  return (
    <section className="pipeline-detail" data-testid="pipeline-detail">
      <h3>
        {pipeline.name || pipeline.id}{' '}
        <span className="muted mono small" title={pipeline.version}>
          {pipeline.id} · version {pipeline.version.slice(0, 12)}
        </span>
      </h3>
      <p>{pipeline.description}</p>
      <PipelineGraph pipeline={pipeline} timings={timings} />
      <NodeTable pipeline={pipeline} timings={timings} />
    </section>
  );
}

function NodeTable({ pipeline, timings }: Props) {
  return (
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
        {pipeline.nodes.map((node) => (
          <tr key={node.id}>
            <td className="mono">
              {node.id}
              {pipeline.outputs.includes(node.id) && <span className="pill">output</span>}
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
  );
}
