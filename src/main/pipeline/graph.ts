/** Topological order of a pipeline's nodes, or the cycle that prevents one. */

export interface GraphNode {
  id: string;
  needs: readonly string[];
}

export type TopoResult = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/** Depth-first; the order keeps file order among independent nodes. */
export function topologicalOrder(nodes: readonly GraphNode[]): TopoResult {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: string[] = [];
  const stack: string[] = [];

  const visit = (id: string): string[] | null => {
    const seen = state.get(id);
    if (seen === 'done') return null;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.needs ?? []) {
      if (!byId.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    order.push(id);
    return null;
  };

  for (const node of nodes) {
    const cycle = visit(node.id);
    if (cycle) return { ok: false, cycle };
  }
  return { ok: true, order };
}
