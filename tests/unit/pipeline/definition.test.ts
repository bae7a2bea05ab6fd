import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../../src/main/pipeline/definition';
import { nodeOpRegistry } from '../../../src/main/pipeline/nodes';
import { canonicalJson, definitionVersion } from '../../../src/main/pipeline/version';

const ops = nodeOpRegistry();
const pipeline = (nodes: unknown[], outputs: string[] = [], extra: object = {}) =>
  JSON.stringify({ id: 'p', name: 'P', nodes, outputs, ...extra });

function errorOf(text: string): string {
  const result = validateDefinition('lab.json', text, ops);
  if (result.ok) throw new Error('expected the definition to be rejected');
  return result.error;
}

describe('pipeline definition validation', () => {
  it('accepts a valid definition, fills defaults and orders nodes topologically', () => {
    const result = validateDefinition(
      'lab.json',
      pipeline(
        [
          { id: 'thumb', op: 'thumbnail', needs: ['small'] },
          { id: 'small', op: 'resize', params: { width: 200 } },
        ],
        ['thumb'],
      ),
      ops,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.nodes.map((n) => n.id)).toEqual(['small', 'thumb']);
    expect(result.definition.nodes[1]!.params).toEqual({ width: 160, quality: 70 });
    expect(result.definition.description).toBe('');
  });

  it('rejects text that is not JSON, pointing at the line and column', () => {
    expect(errorOf('{"id": ')).toBe('lab.json: not valid JSON (Unexpected end of JSON input)');
    expect(errorOf('{\n  "id": "p",\n  "name": "P"\n  "nodes": []\n}')).toBe(
      "lab.json: not valid JSON at line 4, column 3 (Expected ',' or '}' after property value)",
    );
  });

  it('rejects a file that is not one object', () => {
    expect(errorOf('[1]')).toBe(
      'lab.json: the file must hold one JSON object {id, name, description, nodes, outputs}',
    );
  });

  it('names a missing field', () => {
    expect(
      errorOf(JSON.stringify({ id: 'p', nodes: [{ id: 'a', op: 'bytes' }], outputs: [] })),
    ).toBe('lab.json: field "name": required');
  });

  it('rejects duplicate node ids', () => {
    expect(
      errorOf(
        pipeline([
          { id: 'a', op: 'bytes' },
          { id: 'a', op: 'bytes' },
        ]),
      ),
    ).toBe('lab.json: node "a" field "id": duplicate node id "a"; node ids must be unique');
  });

  it('rejects an unknown op and lists the known ones', () => {
    expect(errorOf(pipeline([{ id: 'a', op: 'blur' }]))).toBe(
      'lab.json: node "a" field "op": unknown op "blur" (known ops: bytes, crop, delay, exposure, grayscale, metadata, motion, resize, sharpness, stats, store, thumbnail)',
    );
  });

  it('rejects an unknown param and lists the allowed ones', () => {
    expect(errorOf(pipeline([{ id: 'a', op: 'thumbnail', params: { widht: 3 } }]))).toBe(
      'lab.json: node "a" field "params.widht": unknown param (allowed: width, quality)',
    );
  });

  it('rejects out-of-range, fractional and mistyped params', () => {
    expect(errorOf(pipeline([{ id: 'a', op: 'thumbnail', params: { width: 5000 } }]))).toBe(
      'lab.json: node "a" field "params.width": must be a whole number between 16 and 1920, got 5000',
    );
    expect(errorOf(pipeline([{ id: 'a', op: 'thumbnail', params: { width: 10.5 } }]))).toBe(
      'lab.json: node "a" field "params.width": must be a whole number between 16 and 1920, got 10.5',
    );
    expect(errorOf(pipeline([{ id: 'd', op: 'delay', params: { ms: '5' } }]))).toBe(
      'lab.json: node "d" field "params.ms": must be a whole number between 0 and 10000, got "5"',
    );
    expect(errorOf(pipeline([{ id: 'd', op: 'delay', params: { ms: 10_001 } }]))).toBe(
      'lab.json: node "d" field "params.ms": must be a whole number between 0 and 10000, got 10001',
    );
  });

  it('rejects params that contradict each other', () => {
    expect(errorOf(pipeline([{ id: 'roi', op: 'crop', params: { left: 0.5, width: 0.8 } }]))).toBe(
      'lab.json: node "roi" field "params.width": left + width must not exceed 1 (the region must stay inside the image)',
    );
    expect(
      errorOf(pipeline([{ id: 'e', op: 'exposure', params: { dark: 200, bright: 100 } }])),
    ).toBe('lab.json: node "e" field "params.bright": must be greater than dark');
  });

  it('rejects a dependency on a node that does not exist', () => {
    expect(errorOf(pipeline([{ id: 'a', op: 'bytes', needs: ['zz'] }]))).toBe(
      'lab.json: node "a" field "needs": unknown node "zz"; add a node with that id or remove it from needs',
    );
  });

  it('rejects cycles, naming the loop', () => {
    expect(
      errorOf(
        pipeline([
          { id: 'a', op: 'bytes', needs: ['c'] },
          { id: 'b', op: 'bytes', needs: ['a'] },
          { id: 'c', op: 'bytes', needs: ['b'] },
        ]),
      ),
    ).toBe(
      'lab.json: field "nodes": cycle a -> c -> b -> a; a node cannot depend on its own result',
    );
    expect(errorOf(pipeline([{ id: 'a', op: 'bytes', needs: ['a'] }]))).toBe(
      'lab.json: node "a" field "needs": a node cannot need itself',
    );
  });

  it('rejects "error" (and the timing keys) as node ids', () => {
    expect(errorOf(pipeline([{ id: 'error', op: 'bytes' }]))).toBe(
      'lab.json: node "error" field "id": "error" is reserved (failure replies use it); choose another id',
    );
    expect(errorOf(pipeline([{ id: 'total', op: 'bytes' }]))).toBe(
      'lab.json: node "total" field "id": "total" is reserved (timings_ms uses it for the whole run); choose another id',
    );
  });

  it('rejects outputs naming unknown nodes', () => {
    expect(errorOf(pipeline([{ id: 'a', op: 'bytes' }], ['q']))).toBe(
      'lab.json: field "outputs": unknown node "q"; outputs must name nodes of this pipeline',
    );
  });

  it('rejects unknown fields at both levels, and bad ids', () => {
    expect(errorOf(pipeline([{ id: 'a', op: 'bytes', colour: 1 }], [], { extra: true }))).toBe(
      'lab.json: node "a" field "colour": unknown field (allowed: id, op, needs, params, timeout_ms); field "extra": unknown field (allowed: id, name, description, nodes, outputs, alerts)',
    );
    expect(errorOf(pipeline([{ id: '1a', op: 'bytes' }]))).toBe(
      'lab.json: node "1a" field "id": must start with a letter or _ and hold up to 64 of A-Z a-z 0-9 _ -',
    );
    expect(
      errorOf(
        JSON.stringify({ id: 'a b', name: 'x', nodes: [{ id: 'a', op: 'bytes' }], outputs: [] }),
      ),
    ).toBe('lab.json: field "id": must hold 1 to 64 of A-Z a-z 0-9 . _ -');
    expect(errorOf(pipeline([{ id: 'a', op: 'bytes', timeout_ms: 0 }]))).toBe(
      'lab.json: node "a" field "timeout_ms": must be a whole number between 1 and 60000',
    );
  });

  it('reports every problem of a file at once', () => {
    const error = errorOf(
      pipeline([
        { id: 'a', op: 'blur' },
        { id: 'b', op: 'bytes', needs: ['nope'] },
      ]),
    );
    expect(error.split('; node').length).toBe(2);
    expect(error).toContain('unknown op "blur"');
    expect(error).toContain('unknown node "nope"');
  });

  it('versions by canonical JSON: key order and whitespace do not matter, content does', () => {
    const a = { id: 'p', name: 'P', nodes: [{ id: 'a', op: 'bytes' }], outputs: ['a'] };
    const b = JSON.parse(
      '{ "outputs": ["a"], "nodes": [{"op": "bytes", "id": "a"}], "name": "P", "id": "p" }',
    ) as unknown;
    expect(canonicalJson(b)).toBe(
      '{"id":"p","name":"P","nodes":[{"id":"a","op":"bytes"}],"outputs":["a"]}',
    );
    expect(definitionVersion(a)).toBe(definitionVersion(b));
    expect(definitionVersion({ ...a, name: 'Q' })).not.toBe(definitionVersion(a));
    const r = validateDefinition('p.json', JSON.stringify(a, null, 2), ops);
    expect(r.ok && r.definition.version).toBe(definitionVersion(a));
  });
});
