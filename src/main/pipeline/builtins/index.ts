/**
 * The pipelines shipped with the station, imported statically so every build
 * (electron-vite, vitest, tsx) bundles them: no runtime path lookup.
 */
import bench from './bench.json';
import inspect from './inspect.json';
import metadata from './metadata.json';
import motion from './motion.json';
import noop from './noop.json';
import record from './record.json';

export interface BuiltinDefinition {
  /** Shown in messages as `builtin:<file>`. */
  file: string;
  definition: unknown;
}

export const BUILTIN_DEFINITIONS: readonly BuiltinDefinition[] = [
  { file: 'noop.json', definition: noop },
  { file: 'metadata.json', definition: metadata },
  { file: 'inspect.json', definition: inspect },
  { file: 'motion.json', definition: motion },
  { file: 'record.json', definition: record },
  { file: 'bench.json', definition: bench },
];
