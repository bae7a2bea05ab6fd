/** A pipeline's DAG drawn with React Flow: one box per node with its op and time. */
import { Handle, Position, ReactFlow, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { PipelineSummary } from '../../../shared/contract';
import { layoutPipeline, type StepNode } from './pipeline-layout';

function StepBox({ data }: NodeProps<StepNode>) {
  const params = Object.entries(data.params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return (
    <div className={`step ${data.isOutput ? 'step-output' : ''}`} title={params || data.op}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="step-id">{data.id}</div>
      <div className="step-meta">
        <span className="step-op">{data.op}</span>
        <span className="step-time" data-testid="node-timing">
          {data.timingMs === null ? '—' : `${data.timingMs.toFixed(1)} ms`}
        </span>
      </div>
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { step: StepBox };

interface Props {
  pipeline: PipelineSummary;
  timings: ReadonlyMap<string, number>;
}

export function PipelineGraph({ pipeline, timings }: Props) {
  const { nodes, edges, height } = useMemo(
    () => layoutPipeline(pipeline, timings),
    [pipeline, timings],
  );
  // As tall as the graph needs, within bounds; remounted per pipeline so it fits anew.
  const boxHeight = Math.min(Math.max(height + 48, 140), 420);
  return (
    <div className="graph" data-testid="pipeline-graph" style={{ height: boxHeight }}>
      <ReactFlow
        key={`${pipeline.id}@${pipeline.version}`}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        colorMode="dark"
        fitView
        fitViewOptions={{ padding: 0.15 }}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        panOnScroll={false}
        preventScrolling={false}
        minZoom={0.3}
        maxZoom={1.1}
      />
    </div>
  );
}
