/**
 * Turns a validated definition into a CompiledPipeline: node runners created,
 * each node's image source resolved, and the one decode the frame needs
 * worked out backwards from what the nodes need (shrink-on-load, grey or colour).
 */
import type { PipelineSummary } from '../../shared/contract';
import { combineNeeds } from './decode';
import type { ValidDefinition } from './definition';
import { runPlan, type ImageSource, type PlannedNode } from './executor';
import { UsualRequests } from './native-batch';
import type { EngineHooks } from './frame';
import type { EngineServices, ImageNeed } from './node-op';
import type { CompiledPipeline } from './types';
import { stationPipelineId } from '../../shared/station-ids';

export interface CompileOptions {
  source: PipelineSummary['source'];
  services: EngineServices;
  hooks: EngineHooks;
}

export function compilePipeline(def: ValidDefinition, options: CompileOptions): CompiledPipeline {
  const { services } = options;
  const byId = new Map(def.nodes.map((n) => [n.id, n]));

  // A pixel node reads the image of its first image-producing dependency, else the frame.
  const imageSource = new Map<string, ImageSource>();
  for (const node of def.nodes) {
    if (node.op.input !== 'pixels') {
      imageSource.set(node.id, 'none');
      continue;
    }
    const producer = node.needs.find((dep) => byId.get(dep)?.op.producesImage);
    imageSource.set(node.id, producer ? { node: producer } : 'frame');
  }
  const readsImageOf = (reader: string, id: string) => {
    const source = imageSource.get(reader);
    return typeof source === 'object' && source.node === id;
  };

  // Backwards: each node's need, given the needs of the nodes reading its image.
  const needs = new Map<string, ImageNeed>();
  for (const node of [...def.nodes].reverse()) {
    if (node.op.input !== 'pixels') continue;
    const consumers = def.nodes.filter((n) => readsImageOf(n.id, node.id));
    const downstream = combineNeeds(consumers.map((n) => needs.get(n.id)!));
    needs.set(node.id, node.op.need?.(node.params, downstream) ?? { width: null, colour: true });
  }
  const frameNeed = combineNeeds(
    def.nodes.filter((n) => imageSource.get(n.id) === 'frame').map((n) => needs.get(n.id)!),
  );

  const plan: PlannedNode[] = def.nodes.map((node) => ({
    id: node.id,
    needs: node.needs,
    image: imageSource.get(node.id) ?? 'none',
    timeoutMs: node.timeoutMs,
    runner: node.op.create(node.params, {
      pipelineId: def.id,
      pipelineVersion: def.version,
      nodeId: node.id,
      services,
    }),
    ...services.metrics.forNode(def.id, node.id),
  }));
  const recordsFrames = def.nodes.some((n) => n.op.op === 'store');

  const summary: PipelineSummary = {
    id: stationPipelineId(def.id),
    name: def.name,
    description: def.description,
    version: def.version,
    source: options.source,
    nodes: def.nodes.map((n) => ({ id: n.id, op: n.op.op, needs: n.needs, params: n.params })),
    outputs: def.outputs,
    alerts: def.alerts.map((a) => ({
      name: a.name,
      severity: a.severity,
      description: a.description,
      when: a.when.text,
      for_ms: a.forMs,
      clear_when: a.clearWhen?.text ?? null,
      clear_for_ms: a.clearForMs,
    })),
  };
  const ref = { id: def.id, version: def.version };
  const decodeDuration = services.metrics.forNode(def.id, 'decode').duration;
  const usual = new UsualRequests();

  return {
    id: def.id,
    version: def.version,
    summary,
    alerts: def.alerts,
    records: recordsFrames,
    run: (input) =>
      runPlan(input, {
        ref,
        plan,
        outputs: def.outputs,
        frameNeed,
        storageState: recordsFrames ? () => services.recordings.state() : () => 'off',
        hooks: options.hooks,
        decodeDuration,
        usual,
      }),
  };
}
