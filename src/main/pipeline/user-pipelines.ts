/**
 * The pipelines of the user directory as one reload sees them: each file
 * validated (reused while its text is unchanged), checked against the
 * built-ins and the other files, compiled; and what changed since the last
 * reload, logged and reflected in the metrics.
 */
import type { Logger } from 'pino';
import type { PipelineFileError } from '../../shared/contract';
import type { StationMetrics } from '../observe/metrics';
import { validateDefinition, type ValidationResult, type ValidDefinition } from './definition';
import type { AnyNodeOp } from './node-op';
import type { CompiledPipeline } from './types';
import type { PipelineFile } from './user-dir';

interface UserEntry {
  file: string;
  text: string;
  result: ValidationResult;
  compiled?: CompiledPipeline;
}

export interface UserPipeline {
  file: string;
  compiled: CompiledPipeline;
}

export interface UserPipelines {
  /** Validated (and compiled) files, reused while a file's text is unchanged. */
  entries: Map<string, UserEntry>;
  /** The valid pipelines by id. */
  byId: Map<string, UserPipeline>;
  errors: PipelineFileError[];
}

export const noUserPipelines = (): UserPipelines => ({
  entries: new Map(),
  byId: new Map(),
  errors: [],
});

export interface UserPipelineRules {
  ops: ReadonlyMap<string, AnyNodeOp>;
  isBuiltin(id: string): boolean;
  compile(definition: ValidDefinition): CompiledPipeline;
}

/** The same file with the same text keeps its validation and its compiled pipeline. */
function entryFor(file: string, text: string, previous: UserPipelines, rules: UserPipelineRules) {
  const known = previous.entries.get(file);
  if (known && known.text === text) return known;
  return { file, text, result: validateDefinition(file, text, rules.ops) };
}

/** Why a valid file's id cannot be used: a built-in's, or one an earlier file took. */
function idClash(file: string, id: string, next: UserPipelines, rules: UserPipelineRules) {
  if (rules.isBuiltin(id)) {
    return `${file}: field "id": "${id}" is a built-in pipeline and cannot be replaced; give this pipeline another id`;
  }
  const clash = next.byId.get(id);
  if (clash) {
    return `${file}: field "id": pipeline "${id}" is already defined in ${clash.file}; give this pipeline another id`;
  }
  return null;
}

function addFile(
  { file, text }: PipelineFile,
  previous: UserPipelines,
  next: UserPipelines,
  rules: UserPipelineRules,
): void {
  if (typeof text !== 'string') {
    next.errors.push({ file, error: text.error });
    return;
  }
  const entry: UserEntry = entryFor(file, text, previous, rules);
  next.entries.set(file, entry);
  if (!entry.result.ok) {
    next.errors.push({ file, error: entry.result.error });
    return;
  }
  const { id } = entry.result.definition;
  const clash = idClash(file, id, next, rules);
  if (clash) {
    next.errors.push({ file, error: clash });
    return;
  }
  entry.compiled ??= rules.compile(entry.result.definition);
  next.byId.set(id, { file, compiled: entry.compiled });
}

/** The user pipelines of `files` (in file-name order: the first file keeps a shared id). */
export function loadUserPipelines(
  files: readonly PipelineFile[],
  previous: UserPipelines,
  rules: UserPipelineRules,
): UserPipelines {
  const next = noUserPipelines();
  for (const file of files) addFile(file, previous, next, rules);
  return next;
}

/**
 * Logs the pipelines loaded or removed and the new file errors; forgets the
 * metrics of removed pipelines and of the nodes of changed ones.
 */
export function reportChanges(
  before: UserPipelines,
  after: UserPipelines,
  logger: Logger,
  metrics: StationMetrics,
): void {
  for (const [id, { file, compiled }] of after.byId) {
    const was = before.byId.get(id);
    if (!was || was.compiled.version !== compiled.version) {
      logger.info(
        {
          event: 'pipeline_loaded',
          pipeline_id: id,
          version: compiled.version,
          file,
          source: 'user',
        },
        `pipeline ${id} loaded from ${file}`,
      );
    }
  }
  for (const [id, { file, compiled }] of before.byId) {
    const next = after.byId.get(id);
    if (!next) {
      logger.info({ event: 'pipeline_removed', pipeline_id: id, file }, `pipeline ${id} removed`);
      metrics.forgetPipeline(id);
    } else if (next.compiled.version !== compiled.version) {
      const nodes = next.compiled.summary.nodes.map((n) => n.id);
      metrics.forgetPipeline(id, [...nodes, 'decode']);
    }
  }
  const knownErrors = new Set(before.errors.map((e) => `${e.file}\n${e.error}`));
  for (const e of after.errors) {
    if (!knownErrors.has(`${e.file}\n${e.error}`)) {
      logger.warn({ event: 'pipeline_invalid', file: e.file, error: e.error }, e.error);
    }
  }
}
