import { describe, expect, it } from 'vitest';
import { holds, parseCondition, readField } from '../../../src/main/alerts/rule';
import { BUILTIN_DEFINITIONS } from '../../../src/main/pipeline/builtins';
import { validateDefinition } from '../../../src/main/pipeline/definition';
import { nodeOpRegistry } from '../../../src/main/pipeline/nodes';

const ops = nodeOpRegistry();
const base = {
  id: 'lab',
  name: 'Lab',
  nodes: [
    { id: 'sharpness', op: 'sharpness' },
    { id: 'exposure', op: 'exposure' },
  ],
  outputs: ['sharpness', 'exposure'],
};
const withAlerts = (alerts: unknown) => JSON.stringify({ ...base, alerts });

function errorOf(text: string): string {
  const result = validateDefinition('lab.json', text, ops);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return result.error;
}

describe('alert conditions', () => {
  it('parses field path, comparison and number', () => {
    expect(parseCondition('sharpness.laplacian_variance<40')).toEqual({
      path: ['sharpness', 'laplacian_variance'],
      op: '<',
      value: 40,
      text: 'sharpness.laplacian_variance < 40',
    });
    expect(parseCondition(' exposure.dark >= 0.5 ')?.value).toBe(0.5);
    expect(parseCondition('a.b != -1e3')?.value).toBe(-1000);
    for (const bad of ['a.b < x', 'a.b <> 1', '< 3', 'a.b < 1 2', '1.a < 3']) {
      expect(parseCondition(bad), bad).toBeNull();
    }
  });

  it('compares with each operator', () => {
    const c = (text: string) => parseCondition(text)!;
    expect([holds(c('a.b < 2'), 1), holds(c('a.b < 2'), 2)]).toEqual([true, false]);
    expect([holds(c('a.b <= 2'), 2), holds(c('a.b > 2'), 2)]).toEqual([true, false]);
    expect([holds(c('a.b >= 2'), 2), holds(c('a.b == 2'), 2)]).toEqual([true, true]);
    expect(holds(c('a.b != 2'), 2)).toBe(false);
  });

  it('reads only finite numbers at the path', () => {
    const result = { s: { v: 3, t: 'x', n: null }, arr: [1] };
    expect(readField(result, ['s', 'v'])).toBe(3);
    expect(readField(result, ['s', 't'])).toBeNull();
    expect(readField(result, ['s', 'n'])).toBeNull();
    expect(readField(result, ['s', 'missing'])).toBeNull();
    expect(readField(result, ['s', 'v', 'deeper'])).toBeNull();
    expect(readField(result, ['arr', 'length'])).toBeNull();
  });
});

describe('alerts in a pipeline file', () => {
  it('accepts rules, fills defaults and keeps them in the definition', () => {
    const result = validateDefinition(
      'lab.json',
      withAlerts([{ name: 'soft', when: 'sharpness.laplacian_variance < 40', for_ms: 1500 }]),
      ops,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.alerts).toEqual([
      {
        name: 'soft',
        description: '',
        severity: 'warning',
        when: parseCondition('sharpness.laplacian_variance < 40'),
        forMs: 1500,
        clearWhen: null,
        clearForMs: 0,
      },
    ]);
  });

  it('makes the alerts part of the version hash', () => {
    const version = (alerts: unknown) => {
      const r = validateDefinition('lab.json', withAlerts(alerts), ops);
      if (!r.ok) throw new Error(r.error);
      return r.definition.version;
    };
    const a = version([{ name: 'soft', when: 'sharpness.laplacian_variance < 40' }]);
    const b = version([{ name: 'soft', when: 'sharpness.laplacian_variance < 41' }]);
    const none = validateDefinition('lab.json', JSON.stringify(base), ops);
    expect(a).not.toBe(b);
    expect(none.ok && none.definition.version).not.toBe(a);
  });

  it('names the alert and the field in every message', () => {
    expect(errorOf(withAlerts([{ name: 'soft', when: 'sharpness.laplacian_variance < x' }]))).toBe(
      'lab.json: alert "soft" field "when": "sharpness.laplacian_variance < x" must read "<output>.<field> <op> <number>" with <op> one of < <= > >= == != (e.g. "sharpness.laplacian_variance < 40")',
    );
    expect(errorOf(withAlerts([{ name: 'soft', when: 'motion.score > 1' }]))).toBe(
      'lab.json: alert "soft" field "when": "motion" is not an output of this pipeline (outputs: sharpness, exposure); alerts read the pipeline\'s outputs',
    );
    expect(errorOf(withAlerts([{ name: 'soft', when: 'sharpness < 1' }]))).toContain(
      'alert "soft" field "when": "sharpness" names a node, not a field',
    );
    expect(
      errorOf(withAlerts([{ name: 'soft', when: 'sharpness.laplacian_variance < 1', for_ms: -5 }])),
    ).toBe('lab.json: alert "soft" field "for_ms": must be a whole number between 0 and 3600000');
    expect(
      errorOf(withAlerts([{ name: 'soft', when: 'exposure.dark > 1', severity: 'loud' }])),
    ).toBe('lab.json: alert "soft" field "severity": must be one of info, warning, critical');
    expect(errorOf(withAlerts([{ name: 'soft', when: 'exposure.dark > 1', colour: 'red' }]))).toBe(
      'lab.json: alert "soft" field "colour": unknown field (allowed: name, description, severity, when, for_ms, clear_when, clear_for_ms)',
    );
    expect(errorOf(withAlerts([{ when: 'exposure.dark > 1' }]))).toBe(
      'lab.json: alerts[0] field "name": required',
    );
    expect(errorOf(withAlerts([{ name: 'soft' }]))).toBe(
      'lab.json: alert "soft" field "when": required',
    );
    expect(errorOf(withAlerts({ name: 'soft' }))).toBe(
      'lab.json: field "alerts": must be a list of alerts',
    );
  });

  it('rejects duplicate names, a bad clear condition and clear_for_ms without it', () => {
    const rule = { name: 'soft', when: 'exposure.dark > 0.5' };
    expect(errorOf(withAlerts([rule, rule]))).toBe(
      'lab.json: alert "soft" field "name": duplicate alert name "soft"; alert names must be unique',
    );
    expect(errorOf(withAlerts([{ ...rule, clear_when: 'exposure.dark' }]))).toContain(
      'alert "soft" field "clear_when": "exposure.dark" must read',
    );
    expect(errorOf(withAlerts([{ ...rule, clear_for_ms: 100 }]))).toBe(
      'lab.json: alert "soft" field "clear_for_ms": needs "clear_when"; add it or remove clear_for_ms',
    );
  });

  it('gives the built-ins their documented alerts, firing within 2 s', () => {
    const alertsOf = (id: string) => {
      const entry = BUILTIN_DEFINITIONS.find((b) => b.file === `${id}.json`)!;
      const r = validateDefinition(entry.file, entry.definition, ops);
      if (!r.ok) throw new Error(r.error);
      return r.definition.alerts;
    };
    for (const id of ['inspect', 'record']) {
      const alerts = alertsOf(id);
      expect(alerts.map((a) => a.name)).toEqual(['out_of_focus', 'under_exposed', 'over_exposed']);
      for (const a of alerts) expect(a.forMs).toBeLessThanOrEqual(2000);
    }
    expect(alertsOf('motion').map((a) => a.when.text)).toEqual(['motion.changed > 0.05']);
  });
});
