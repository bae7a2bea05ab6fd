import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DEFINITIONS } from '../../../src/main/pipeline/builtins';
import { validateDefinition } from '../../../src/main/pipeline/definition';
import { NODE_OPS, nodeOpRegistry } from '../../../src/main/pipeline/nodes';

const doc = readFileSync(join(__dirname, '../../../docs/pipelines.md'), 'utf8');

describe('docs/pipelines.md', () => {
  it('documents every node op', () => {
    for (const op of NODE_OPS) expect(doc).toContain(`### \`${op.op}\``);
  });

  it('documents every param of every op', () => {
    for (const op of NODE_OPS) {
      const section = doc.split(`### \`${op.op}\``)[1]!.split('\n### ')[0]!;
      for (const param of Object.keys(op.params.shape)) expect(section).toContain(`\`${param}\``);
    }
  });

  it('lists every built-in pipeline', () => {
    for (const { definition } of BUILTIN_DEFINITIONS) {
      expect(doc).toContain(`| \`${(definition as { id: string }).id}\``);
    }
  });

  it('its example pipelines are valid as written', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .filter((text) => text.includes('"nodes"'));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const text of blocks) {
      const result = validateDefinition('doc.json', text, nodeOpRegistry());
      expect(result.ok ? 'valid' : result.error).toBe('valid');
    }
  });
});
