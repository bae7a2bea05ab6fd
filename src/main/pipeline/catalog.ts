/**
 * All pipelines the station knows: the built-ins shipped with the app and the
 * files of the user directory, validated, compiled and hot-reloaded. A user
 * file cannot replace a built-in (its id is rejected): the default pipeline and
 * recordings' audit trail always mean what the station documents.
 */
import type { Logger } from 'pino';
import type { PipelineFileError, PipelineSummary } from '../../shared/contract';
import type { StationMetrics } from '../observe/metrics';
import { BUILTIN_DEFINITIONS } from './builtins';
import { compilePipeline } from './compile';
import { validateDefinition, type ValidationResult } from './definition';
import type { EngineHooks } from './frame';
import type { AnyNodeOp, EngineServices } from './node-op';
import { NODE_OPS, nodeOpRegistry } from './nodes';
import type { RecordingStore } from './recordings/recording-store';
import { createEngineServices, type EngineServicesOptions } from './services';
import type { CompiledPipeline, PipelineCatalog } from './types';
import { readPipelineFiles } from './user-dir';
import { watchPipelineDir, type DirectoryWatch } from './watch';

export interface PipelineCatalogOptions extends EngineServicesOptions {
  /** `<STATION_DATA_DIR>/pipelines`: technicians' pipeline files. */
  userDir: string;
  /** `<STATION_DATA_DIR>`: recordings go under `recordings/`. */
  dataDir: string;
  logger: Logger;
  metrics: StationMetrics;
  /** Observation points (e.g. counting decodes in tests). */
  hooks?: EngineHooks;
  /** The node ops available to definitions; all of them by default. */
  ops?: readonly AnyNodeOp[];
  /** Watch the user directory for changes (default true). */
  watch?: boolean;
  /** Quiet time after the last file event before reloading, ms (default 150). */
  reloadDebounceMs?: number;
}

/** The catalog plus what the station's tools and tests may use. */
export interface EnginePipelineCatalog extends PipelineCatalog {
  /** Re-reads the user directory now (start() and the watcher call it). */
  reload(): Promise<void>;
  /** Sessions currently holding node state (e.g. motion's previous frame). */
  sessionsWithState(): number;
  /** Where `store` nodes write. */
  readonly recordings: RecordingStore;
}

interface UserEntry {
  file: string;
  text: string;
  result: ValidationResult;
  compiled?: CompiledPipeline;
}

export function createPipelineCatalog(options: PipelineCatalogOptions): EnginePipelineCatalog {
  const logger = options.logger;
  const ops = nodeOpRegistry(options.ops ?? NODE_OPS);
  const services: EngineServices = createEngineServices(options);
  const hooks = options.hooks ?? {};

  const builtins = new Map<string, CompiledPipeline>();
  for (const { file, definition } of BUILTIN_DEFINITIONS) {
    const result = validateDefinition(`builtin:${file}`, definition, ops);
    // A broken built-in is a defect of the build, not a technician's mistake.
    if (!result.ok) throw new Error(result.error);
    builtins.set(
      result.definition.id,
      compilePipeline(result.definition, { source: 'builtin', services, hooks }),
    );
  }

  /** Compiled user files, reused while a file's text is unchanged. */
  let entries = new Map<string, UserEntry>();
  let user = new Map<string, { file: string; compiled: CompiledPipeline }>();
  let fileErrors: PipelineFileError[] = [];
  const listeners = new Set<() => void>();
  let reloading: Promise<void> = Promise.resolve();
  let watcher: DirectoryWatch | undefined;
  let stopped = false;

  function summaries(): PipelineSummary[] {
    const userList = [...user.values()]
      .map((u) => u.compiled.summary)
      .sort((a, b) => a.id.localeCompare(b.id));
    return [...[...builtins.values()].map((p) => p.summary), ...userList];
  }

  async function reloadOnce(): Promise<void> {
    const files = await readPipelineFiles(options.userDir);
    const nextEntries = new Map<string, UserEntry>();
    const nextUser = new Map<string, { file: string; compiled: CompiledPipeline }>();
    const nextErrors: PipelineFileError[] = [];

    for (const { file, text } of files) {
      if (typeof text !== 'string') {
        nextErrors.push({ file, error: text.error });
        continue;
      }
      const previous = entries.get(file);
      const entry: UserEntry =
        previous && previous.text === text
          ? previous
          : { file, text, result: validateDefinition(file, text, ops) };
      nextEntries.set(file, entry);
      if (!entry.result.ok) {
        nextErrors.push({ file, error: entry.result.error });
        continue;
      }
      const { id } = entry.result.definition;
      if (builtins.has(id)) {
        nextErrors.push({
          file,
          error: `${file}: field "id": "${id}" is a built-in pipeline and cannot be replaced; give this pipeline another id`,
        });
        continue;
      }
      const clash = nextUser.get(id);
      if (clash) {
        nextErrors.push({
          file,
          error: `${file}: field "id": pipeline "${id}" is already defined in ${clash.file}; give this pipeline another id`,
        });
        continue;
      }
      entry.compiled ??= compilePipeline(entry.result.definition, {
        source: 'user',
        services,
        hooks,
      });
      nextUser.set(id, { file, compiled: entry.compiled });
    }

    // Log what changed against the previous state.
    for (const [id, { file, compiled }] of nextUser) {
      const before = user.get(id);
      if (!before || before.compiled.version !== compiled.version) {
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
    for (const [id, { file, compiled }] of user) {
      const next = nextUser.get(id);
      if (!next) {
        logger.info({ event: 'pipeline_removed', pipeline_id: id, file }, `pipeline ${id} removed`);
        services.metrics.forgetPipeline(id);
      } else if (next.compiled.version !== compiled.version) {
        const nodes = next.compiled.summary.nodes.map((n) => n.id);
        services.metrics.forgetPipeline(id, [...nodes, 'decode']);
      }
    }
    const knownErrors = new Set(fileErrors.map((e) => `${e.file}\n${e.error}`));
    for (const e of nextErrors) {
      if (!knownErrors.has(`${e.file}\n${e.error}`)) {
        logger.warn({ event: 'pipeline_invalid', file: e.file, error: e.error }, e.error);
      }
    }

    const before = JSON.stringify([summaries(), fileErrors]);
    entries = nextEntries;
    user = nextUser;
    fileErrors = nextErrors;
    if (JSON.stringify([summaries(), fileErrors]) !== before) {
      for (const listener of listeners) {
        try {
          listener();
        } catch (err) {
          logger.error(
            { event: 'pipeline_listener_failed', error: String(err) },
            'listener failed',
          );
        }
      }
    }
  }

  function reload(): Promise<void> {
    reloading = reloading.then(reloadOnce).catch((err: unknown) => {
      logger.error(
        { event: 'pipeline_reload_failed', dir: options.userDir, error: String(err) },
        `cannot read pipeline directory ${options.userDir}`,
      );
    });
    return reloading;
  }

  return {
    get: (id) => builtins.get(id) ?? user.get(id)?.compiled,
    list: summaries,
    errors: () => fileErrors.map((e) => ({ ...e })),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    releaseSession: (sessionId) => services.sessionState.release(sessionId),
    sessionsWithState: () => services.sessionState.size(),
    recordings: services.recordings,
    reload,
    async start() {
      for (const p of builtins.values()) {
        logger.debug(
          { event: 'pipeline_loaded', pipeline_id: p.id, version: p.version, source: 'builtin' },
          `built-in pipeline ${p.id}`,
        );
      }
      stopped = false;
      await reload();
      if (options.watch === false || watcher) return;
      try {
        const opened = await watchPipelineDir(
          options.userDir,
          () => void reload(),
          options.reloadDebounceMs ?? 150,
        );
        if (stopped) await opened.close();
        else watcher = opened;
      } catch (err) {
        logger.error(
          { event: 'pipeline_watch_failed', dir: options.userDir, error: String(err) },
          `cannot watch ${options.userDir}: pipeline files load only at start`,
        );
      }
    },
    async stop() {
      stopped = true;
      await watcher?.close();
      watcher = undefined;
      await reloading;
      await services.recordings.idle();
    },
  };
}
