/**
 * The pipelines shipped with the station, imported statically so every build
 * (electron-vite, vitest, tsx) bundles them: no runtime path lookup.
 */
import metadata from './metadata.json';
import noop from './noop.json';

export interface BuiltinDefinition {
  /** Shown in messages as `builtin:<file>`. */
  file: string;
  definition: unknown;
}

export const BUILTIN_DEFINITIONS: readonly BuiltinDefinition[] = [
  { file: 'noop.json', definition: noop },
  { file: 'metadata.json', definition: metadata },
];
