/**
 * Alert rules as written in a pipeline file (`alerts`, docs/pipelines.md#alerts):
 * the schema, the condition syntax (`node.field < 40`) and the checks against
 * the pipeline's outputs. Messages name the alert and the field.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, type AlertSeverity } from '../../shared/alerts';

const ALERT_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const MAX_ALERT_FOR_MS = 3_600_000;
const MAX_ALERTS_PER_PIPELINE = 32;

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Condition {
  /** Output node id, then keys into its JSON output. */
  path: string[];
  op: Comparison;
  value: number;
  /** As written, normalised: `sharpness.laplacian_variance < 40`. */
  text: string;
}

export interface AlertRule {
  name: string;
  description: string;
  severity: AlertSeverity;
  when: Condition;
  /** Raised once `when` has held this long (0: on the first frame). */
  forMs: number;
  /** Clears once this holds (hysteresis); absent: once `when` no longer holds. */
  clearWhen: Condition | null;
  /** Cleared once the clear condition has held this long. */
  clearForMs: number;
}

const CONDITION =
  /^\s*([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;
const CONDITION_RULE =
  'must read "<output>.<field> <op> <number>" with <op> one of < <= > >= == != (e.g. "sharpness.laplacian_variance < 40")';

export function parseCondition(text: string): Condition | null {
  const match = CONDITION.exec(text);
  if (!match) return null;
  const value = Number(match[3]);
  if (!Number.isFinite(value)) return null;
  const path = match[1]!.split('.');
  const op = match[2] as Comparison;
  return { path, op, value, text: `${path.join('.')} ${op} ${value}` };
}

export function holds(condition: Condition, value: number): boolean {
  switch (condition.op) {
    case '<':
      return value < condition.value;
    case '<=':
      return value <= condition.value;
    case '>':
      return value > condition.value;
    case '>=':
      return value >= condition.value;
    case '==':
      return value === condition.value;
    case '!=':
      return value !== condition.value;
  }
}

/** The number at the condition's path in a result, or null when there is none. */
export function readField(result: Record<string, unknown>, path: readonly string[]): number | null {
  let at: unknown = result;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return null;
    if (!Object.hasOwn(at, key)) return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

const duration = (what: string) =>
  z
    .number({ error: `must be a number of milliseconds (${what})` })
    .int({ error: `must be a whole number between 0 and ${MAX_ALERT_FOR_MS}` })
    .min(0, { error: `must be a whole number between 0 and ${MAX_ALERT_FOR_MS}` })
    .max(MAX_ALERT_FOR_MS, { error: `must be a whole number between 0 and ${MAX_ALERT_FOR_MS}` });

const conditionText = z.string({
  error: (i) => (i.input === undefined ? 'required' : `must be text: ${CONDITION_RULE}`),
});

const alertSchema = z.strictObject(
  {
    name: z
      .string({ error: (i) => (i.input === undefined ? 'required' : 'must be text') })
      .regex(ALERT_NAME_PATTERN, {
        error: 'must start with a letter or _ and hold up to 64 of A-Z a-z 0-9 _ -',
      }),
    description: z
      .string({ error: 'must be text' })
      .max(500, { error: 'must be at most 500 characters' })
      .default(''),
    severity: z
      .enum(ALERT_SEVERITIES, { error: `must be one of ${ALERT_SEVERITIES.join(', ')}` })
      .default('warning'),
    when: conditionText,
    for_ms: duration('how long the condition must hold').default(0),
    clear_when: conditionText.optional(),
    clear_for_ms: duration('how long the clear condition must hold').default(0),
  },
  { error: 'must be an object {name, when, for_ms, clear_when, severity}' },
);

const ALERT_FIELDS = [
  'name',
  'description',
  'severity',
  'when',
  'for_ms',
  'clear_when',
  'clear_for_ms',
];

export type AlertsValidation = { ok: true; rules: AlertRule[] } | { ok: false; problems: string[] };

/** `alert "out_of_focus"`, or `alerts[2]` while the name is not readable. */
function alertLabel(raw: unknown, index: number): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name ? `alert "${name}"` : `alerts[${index}]`;
}

function checkCondition(
  text: string,
  field: string,
  at: string,
  outputs: readonly string[],
  problems: string[],
): Condition | null {
  const condition = parseCondition(text);
  if (!condition) {
    problems.push(`${at} field "${field}": "${text}" ${CONDITION_RULE}`);
    return null;
  }
  const node = condition.path[0]!;
  if (condition.path.length < 2) {
    problems.push(
      `${at} field "${field}": "${node}" names a node, not a field; write e.g. "${node}.<field>"`,
    );
    return null;
  }
  if (!outputs.includes(node)) {
    problems.push(
      `${at} field "${field}": "${node}" is not an output of this pipeline (outputs: ${outputs.join(', ') || 'none'}); alerts read the pipeline's outputs`,
    );
    return null;
  }
  return condition;
}

/** Validates the `alerts` list of a pipeline file against its outputs. */
export function validateAlerts(raw: unknown, outputs: readonly string[]): AlertsValidation {
  if (raw === undefined) return { ok: true, rules: [] };
  if (!Array.isArray(raw))
    return { ok: false, problems: ['field "alerts": must be a list of alerts'] };
  if (raw.length > MAX_ALERTS_PER_PIPELINE) {
    return {
      ok: false,
      problems: [`field "alerts": at most ${MAX_ALERTS_PER_PIPELINE} alerts per pipeline`],
    };
  }
  const problems: string[] = [];
  const rules: AlertRule[] = [];
  const names = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const at = alertLabel(entry, index);
    const parsed = alertSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            problems.push(
              `${at} field "${key}": unknown field (allowed: ${ALERT_FIELDS.join(', ')})`,
            );
          }
        } else {
          const field = issue.path.join('.');
          problems.push(
            field ? `${at} field "${field}": ${issue.message}` : `${at}: ${issue.message}`,
          );
        }
      }
      return;
    }
    const a = parsed.data;
    if (names.has(a.name)) {
      problems.push(
        `${at} field "name": duplicate alert name "${a.name}"; alert names must be unique`,
      );
    }
    names.add(a.name);
    const when = checkCondition(a.when, 'when', at, outputs, problems);
    const clearWhen =
      a.clear_when === undefined
        ? null
        : checkCondition(a.clear_when, 'clear_when', at, outputs, problems);
    if (a.clear_when === undefined && a.clear_for_ms > 0) {
      problems.push(
        `${at} field "clear_for_ms": needs "clear_when"; add it or remove clear_for_ms`,
      );
    }
    if (!when || (a.clear_when !== undefined && !clearWhen)) return;
    rules.push({
      name: a.name,
      description: a.description,
      severity: a.severity,
      when,
      forMs: a.for_ms,
      clearWhen,
      clearForMs: a.clear_for_ms,
    });
  });
  return problems.length ? { ok: false, problems } : { ok: true, rules };
}
