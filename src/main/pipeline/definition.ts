/**
 * The pipeline file format (docs/pipelines.md) and its validation: structure
 * with zod, then ops, params, dependencies and cycles. Every message names the
 * file, the node and the field, and says what to do.
 */
import { z } from 'zod';
import { validateAlerts, type AlertRule } from '../alerts/rule';
import { topologicalOrder } from './graph';
import type { AnyNodeOp } from './node-op';
import { definitionVersion } from './version';

export const PIPELINE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const NODE_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** Keys of failure replies and of timings_ms: a node of that id would be ambiguous. */
export const RESERVED_NODE_IDS: Readonly<Record<string, string>> = {
  error: 'failure replies use it',
  total: 'timings_ms uses it for the whole run',
  decode: 'timings_ms uses it for the shared JPEG decode',
};
export const DEFAULT_NODE_TIMEOUT_MS = 15_000;
export const MAX_NODE_TIMEOUT_MS = 60_000;

const text = (what: string) =>
  z.string({ error: (i) => (i.input === undefined ? 'required' : `must be ${what}`) });

const nodeSchema = z.strictObject(
  {
    id: text('text').regex(NODE_ID_PATTERN, {
      error: 'must start with a letter or _ and hold up to 64 of A-Z a-z 0-9 _ -',
    }),
    op: text('the name of an op'),
    needs: z.array(text('a node id'), { error: 'must be a list of node ids' }).default([]),
    params: z.record(z.string(), z.unknown(), { error: 'must be an object of params' }).default({}),
    timeout_ms: z
      .number({ error: 'must be a number of milliseconds' })
      .int({ error: `must be a whole number between 1 and ${MAX_NODE_TIMEOUT_MS}` })
      .min(1, { error: `must be a whole number between 1 and ${MAX_NODE_TIMEOUT_MS}` })
      .max(MAX_NODE_TIMEOUT_MS, {
        error: `must be a whole number between 1 and ${MAX_NODE_TIMEOUT_MS}`,
      })
      .optional(),
  },
  { error: 'must be an object {id, op, needs, params}' },
);

const definitionSchema = z.strictObject(
  {
    id: text('text').regex(PIPELINE_ID_PATTERN, {
      error: 'must hold 1 to 64 of A-Z a-z 0-9 . _ -',
    }),
    name: text('text').min(1, { error: 'must not be empty' }),
    description: text('text').default(''),
    nodes: z
      .array(nodeSchema, { error: 'must be a list of nodes' })
      .min(1, { error: 'must hold at least one node' }),
    outputs: z.array(text('a node id'), { error: 'must be a list of node ids' }),
    /** Checked by validateAlerts (alerts/rule.ts), against the outputs. */
    alerts: z.unknown().optional(),
  },
  { error: 'the file must hold one JSON object {id, name, description, nodes, outputs}' },
);

export interface ValidNode {
  id: string;
  op: AnyNodeOp;
  needs: string[];
  /** Params with defaults filled in. */
  params: Record<string, unknown>;
  timeoutMs: number;
}

export interface ValidDefinition {
  id: string;
  name: string;
  description: string;
  /** In topological order. */
  nodes: ValidNode[];
  outputs: string[];
  /** Alert rules on the outputs (docs/pipelines.md#alerts); empty when none. */
  alerts: AlertRule[];
  /** SHA-256 of the canonical JSON of the definition as written (alerts included). */
  version: string;
}

export type ValidationResult =
  { ok: true; definition: ValidDefinition } | { ok: false; error: string };

type Path = readonly PropertyKey[];

/** `not valid JSON at line 3, column 5 (Expected ',' or '}' after property value)`. */
function jsonSyntaxMessage(text: string, err: Error): string {
  const match = /^(.*?)(?: in JSON)? at position (\d+)/.exec(err.message);
  if (!match) return `not valid JSON (${err.message})`;
  const before = text.slice(0, Number(match[2]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column} (${match[1]})`;
}

/** `node "blur" field "params.width"`, or `field "outputs"` outside nodes. */
function where(path: Path, nodes: unknown): string {
  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const node: unknown = Array.isArray(nodes) ? nodes[path[1]] : undefined;
    const id =
      node && typeof node === 'object' && typeof (node as { id?: unknown }).id === 'string'
        ? `node "${(node as { id: string }).id}"`
        : `nodes[${path[1]}]`;
    const rest = path.slice(2).join('.');
    return rest ? `${id} field "${rest}"` : id;
  }
  return path.length ? `field "${path.join('.')}"` : 'file';
}

function formatIssue(
  issue: z.core.$ZodIssue,
  base: Path,
  raw: unknown,
  allowed: readonly string[],
): string[] {
  const path = [...base, ...issue.path];
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  const at = (p: Path) => {
    const place = where(p, nodes);
    return place === 'file' ? '' : `${place}: `;
  };
  if (issue.code === 'unrecognized_keys') {
    const kind = path[path.length - 1] === 'params' ? 'param' : 'field';
    const list = allowed.length ? allowed.join(', ') : 'none';
    return issue.keys.map((key) => `${at([...path, key])}unknown ${kind} (allowed: ${list})`);
  }
  return [`${at(path)}${issue.message}`];
}

const NODE_FIELDS = ['id', 'op', 'needs', 'params', 'timeout_ms'];
const TOP_FIELDS = ['id', 'name', 'description', 'nodes', 'outputs', 'alerts'];

type ParsedDefinition = z.infer<typeof definitionSchema>;
type ParsedNode = ParsedDefinition['nodes'][number];

/** The file's text parsed as JSON (a value that is not text is taken as parsed already). */
function parseSource(source: unknown): { ok: true; raw: unknown } | { ok: false; problem: string } {
  if (typeof source !== 'string') return { ok: true, raw: source };
  try {
    return { ok: true, raw: JSON.parse(source) };
  } catch (err) {
    return { ok: false, problem: jsonSyntaxMessage(source, err as Error) };
  }
}

function structureProblems(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  return issues.flatMap((issue) => {
    const allowed = issue.path.length === 0 ? TOP_FIELDS : NODE_FIELDS;
    return formatIssue(issue, [], raw, allowed);
  });
}

/** A reserved or repeated id; `ids` gains this node's id. */
function idProblems(node: ParsedNode, ids: Set<string>): string[] {
  const at = `node "${node.id}"`;
  const problems: string[] = [];
  if (node.id in RESERVED_NODE_IDS) {
    problems.push(
      `${at} field "id": "${node.id}" is reserved (${RESERVED_NODE_IDS[node.id]}); choose another id`,
    );
  }
  if (ids.has(node.id)) {
    problems.push(`${at} field "id": duplicate node id "${node.id}"; node ids must be unique`);
  }
  ids.add(node.id);
  return problems;
}

/** The node with its op found and its params checked (defaults filled in), or what is wrong. */
function resolveNode(
  node: ParsedNode,
  index: number,
  raw: unknown,
  ops: ReadonlyMap<string, AnyNodeOp>,
): { ok: true; node: ValidNode } | { ok: false; problems: string[] } {
  const op = ops.get(node.op);
  if (!op) {
    const known = [...ops.keys()].sort().join(', ');
    return {
      ok: false,
      problems: [`node "${node.id}" field "op": unknown op "${node.op}" (known ops: ${known})`],
    };
  }
  const params = op.params.safeParse(node.params);
  if (!params.success) {
    const allowed = Object.keys(op.params.shape);
    return {
      ok: false,
      problems: params.error.issues.flatMap((issue) =>
        formatIssue(issue, ['nodes', index, 'params'], raw, allowed),
      ),
    };
  }
  const timeoutMs = node.timeout_ms ?? DEFAULT_NODE_TIMEOUT_MS;
  return { ok: true, node: { id: node.id, op, needs: node.needs, params: params.data, timeoutMs } };
}

/** Every node's id, op and params, in file order. */
function checkNodes(def: ParsedDefinition, raw: unknown, ops: ReadonlyMap<string, AnyNodeOp>) {
  const ids = new Set<string>();
  const nodes: ValidNode[] = [];
  const problems: string[] = [];
  def.nodes.forEach((node, index) => {
    problems.push(...idProblems(node, ids));
    const resolved = resolveNode(node, index, raw, ops);
    if (resolved.ok) nodes.push(resolved.node);
    else problems.push(...resolved.problems);
  });
  return { ids, nodes, problems };
}

function needsProblems(nodes: readonly ParsedNode[], ids: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const node of nodes) {
    for (const dep of node.needs) {
      if (dep === node.id) {
        problems.push(`node "${node.id}" field "needs": a node cannot need itself`);
      } else if (!ids.has(dep)) {
        problems.push(
          `node "${node.id}" field "needs": unknown node "${dep}"; add a node with that id or remove it from needs`,
        );
      }
    }
  }
  return problems;
}

function outputsProblems(outputs: readonly string[], ids: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const out of outputs) {
    if (!ids.has(out)) {
      problems.push(
        `field "outputs": unknown node "${out}"; outputs must name nodes of this pipeline`,
      );
    }
  }
  if (new Set(outputs).size !== outputs.length) {
    problems.push('field "outputs": lists a node twice');
  }
  return problems;
}

/**
 * Validates one pipeline definition. `file` names it in messages; `source` is
 * the file's text (or an already parsed value, for built-ins).
 */
export function validateDefinition(
  file: string,
  source: unknown,
  ops: ReadonlyMap<string, AnyNodeOp>,
): ValidationResult {
  const fail = (problems: string[]): ValidationResult => ({
    ok: false,
    error: `${file}: ${problems.join('; ')}`,
  });

  const json = parseSource(source);
  if (!json.ok) return fail([json.problem]);
  const raw = json.raw;
  const parsed = definitionSchema.safeParse(raw);
  if (!parsed.success) return fail(structureProblems(parsed.error.issues, raw));
  const def = parsed.data;

  const checked = checkNodes(def, raw, ops);
  const problems = [
    ...checked.problems,
    ...needsProblems(def.nodes, checked.ids),
    ...outputsProblems(def.outputs, checked.ids),
  ];
  const alerts = validateAlerts(def.alerts, def.outputs);
  if (!alerts.ok) problems.push(...alerts.problems);
  if (problems.length) return fail(problems);

  const topo = topologicalOrder(def.nodes.filter((n) => !n.needs.includes(n.id)));
  if (!topo.ok) {
    return fail([
      `field "nodes": cycle ${topo.cycle.join(' -> ')}; a node cannot depend on its own result`,
    ]);
  }
  const byId = new Map(checked.nodes.map((n) => [n.id, n]));
  return {
    ok: true,
    definition: {
      id: def.id,
      name: def.name,
      description: def.description,
      nodes: topo.order.map((id) => byId.get(id)!),
      outputs: def.outputs,
      alerts: alerts.ok ? alerts.rules : [],
      version: definitionVersion(raw),
    },
  };
}
