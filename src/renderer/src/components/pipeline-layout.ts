/** Lays a pipeline's DAG out left to right with dagre, as React Flow nodes and edges. */
import dagre, { type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { MarkerType, Position, type Edge, type Node } from '@xyflow/react';
import type { PipelineSummary } from '../../../shared/contract';

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 64;

export interface StepData extends Record<string, unknown> {
  id: string;
  op: string;
  isOutput: boolean;
  params: Record<string, unknown>;
  /** Mean time of this node on the last frame of each session running it, ms. */
  timingMs: number | null;
}

export type StepNode = Node<StepData, 'step'>;

export function layoutPipeline(
  pipeline: PipelineSummary,
  timings: ReadonlyMap<string, number>,
): { nodes: StepNode[]; edges: Edge[]; height: number } {
  const graph = new dagre.graphlib.Graph<GraphLabel, NodeLabel, object>();
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 56, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of pipeline.nodes) {
    graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  const edges: Edge[] = [];
  for (const node of pipeline.nodes) {
    for (const need of node.needs) {
      graph.setEdge(need, node.id);
      edges.push({
        id: `${need}->${node.id}`,
        source: need,
        target: node.id,
        markerEnd: { type: MarkerType.ArrowClosed },
      });
    }
  }
  dagre.layout(graph);
  const outputs = new Set(pipeline.outputs);
  const nodes: StepNode[] = pipeline.nodes.map((node) => {
    const placed = graph.node(node.id);
    return {
      id: node.id,
      type: 'step',
      position: { x: (placed.x ?? 0) - NODE_WIDTH / 2, y: (placed.y ?? 0) - NODE_HEIGHT / 2 },
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      data: {
        id: node.id,
        op: node.op,
        params: node.params,
        isOutput: outputs.has(node.id),
        timingMs: timings.get(node.id) ?? null,
      },
    };
  });
  return { nodes, edges, height: graph.graph().height ?? NODE_HEIGHT };
}
