import { describe, expect, it } from 'vitest';
import type { ValidDefinition } from '../../../src/main/pipeline/definition';
import { nodeOpRegistry } from '../../../src/main/pipeline/nodes';
import type { CompiledPipeline } from '../../../src/main/pipeline/types';
import type { PipelineFile } from '../../../src/main/pipeline/user-dir';
import {
  loadUserPipelines,
  noUserPipelines,
  type UserPipelineRules,
} from '../../../src/main/pipeline/user-pipelines';

const text = (id: string, width = 200) =>
  JSON.stringify({
    id,
    name: id,
    nodes: [{ id: 'small', op: 'resize', params: { width } }],
    outputs: ['small'],
  });

function rules(): UserPipelineRules & { compiled: string[] } {
  const compiled: string[] = [];
  return {
    compiled,
    ops: nodeOpRegistry(),
    isBuiltin: (id) => id === 'default',
    compile(definition: ValidDefinition) {
      compiled.push(definition.id);
      // Only the identity matters here: the catalog's own tests compile for real.
      return { id: definition.id, version: definition.version } as unknown as CompiledPipeline;
    },
  };
}

describe('user pipelines of one reload', () => {
  it('refuses a built-in id and an id an earlier file took, keeping the first file', () => {
    const files: PipelineFile[] = [
      { file: 'a.json', text: text('lab') },
      { file: 'b.json', text: text('lab') },
      { file: 'c.json', text: text('default') },
      { file: 'd.json', text: { error: 'd.json: file is 2000000 bytes' } },
    ];
    const loaded = loadUserPipelines(files, noUserPipelines(), rules());
    expect([...loaded.byId.keys()]).toEqual(['lab']);
    expect(loaded.byId.get('lab')?.file).toBe('a.json');
    expect(loaded.errors).toEqual([
      {
        file: 'b.json',
        error:
          'b.json: field "id": pipeline "lab" is already defined in a.json; give this pipeline another id',
      },
      {
        file: 'c.json',
        error:
          'c.json: field "id": "default" is a built-in pipeline and cannot be replaced; give this pipeline another id',
      },
      { file: 'd.json', error: 'd.json: file is 2000000 bytes' },
    ]);
  });

  it('compiles a file again only when its text changed', () => {
    const r = rules();
    const first = loadUserPipelines(
      [
        { file: 'a.json', text: text('a') },
        { file: 'b.json', text: text('b') },
      ],
      noUserPipelines(),
      r,
    );
    const second = loadUserPipelines(
      [
        { file: 'a.json', text: text('a') },
        { file: 'b.json', text: text('b', 300) },
      ],
      first,
      r,
    );
    expect(r.compiled).toEqual(['a', 'b', 'b']);
    expect(second.byId.get('a')?.compiled).toBe(first.byId.get('a')?.compiled);
    expect(second.byId.get('b')?.compiled).not.toBe(first.byId.get('b')?.compiled);
  });
});
