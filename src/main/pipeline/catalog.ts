/**
 * All pipelines the station knows: the built-ins shipped with the app and the
 * files of the user directory, validated, compiled and hot-reloaded. A user
 * file cannot replace a built-in (its id is rejected): the default pipeline and
 * recordings' audit trail always mean what the station documents.
 */
import type { Logger } from 'pino';
import type { PipelineFileError, PipelineSummary } from '../../shared/contract';
import { Listeners } from '../../shared/listeners';
import type { StationMetrics } from '../observe/metrics';
import { BUILTIN_DEFINITIONS } from './builtins';
import { compilePipeline } from './compile';
import { validateDefinition } from './definition';
import type { EngineHooks } from './frame';
import type { AnyNodeOp, EngineServices } from './node-op';
import { NODE_OPS, nodeOpRegistry } from './nodes';
import type { RecordingStore } from './recordings/recording-store';
import { createEngineServices, type EngineServicesOptions } from './services';
import type { CompiledPipeline, PipelineCatalog } from './types';
import { readPipelineFiles } from './user-dir';
import {
  loadUserPipelines,
  noUserPipelines,
  reportChanges,
  type UserPipelineRules,
  type UserPipelines,
} from './user-pipelines';
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

/** The built-in pipelines, validated and compiled once; a broken one stops the station. */
function compileBuiltins(
  ops: ReadonlyMap<string, AnyNodeOp>,
  services: EngineServices,
  hooks: EngineHooks,
): Map<string, CompiledPipeline> {
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
  return builtins;
}

class EngineCatalog implements EnginePipelineCatalog {
  readonly recordings: RecordingStore;
  private readonly logger: Logger;
  private readonly services: EngineServices;
  private readonly builtins: Map<string, CompiledPipeline>;
  private readonly rules: UserPipelineRules;
  private readonly listeners: Listeners<void>;
  private user: UserPipelines = noUserPipelines();
  private reloading: Promise<void> = Promise.resolve();
  private watcher: DirectoryWatch | undefined;
  private stopped = false;

  constructor(private readonly options: PipelineCatalogOptions) {
    const logger = (this.logger = options.logger);
    const ops = nodeOpRegistry(options.ops ?? NODE_OPS);
    const services = (this.services = createEngineServices(options));
    const hooks = options.hooks ?? {};
    this.recordings = services.recordings;
    this.builtins = compileBuiltins(ops, services, hooks);
    this.rules = {
      ops,
      isBuiltin: (id) => this.builtins.has(id),
      compile: (definition) => compilePipeline(definition, { source: 'user', services, hooks }),
    };
    this.listeners = new Listeners<void>((err) => {
      logger.error({ event: 'pipeline_listener_failed', error: String(err) }, 'listener failed');
    });
  }

  get(id: string): CompiledPipeline | undefined {
    return this.builtins.get(id) ?? this.user.byId.get(id)?.compiled;
  }

  /** The built-ins first, then the user pipelines by id. */
  list(): PipelineSummary[] {
    const userList = [...this.user.byId.values()]
      .map((u) => u.compiled.summary)
      .sort((a, b) => a.id.localeCompare(b.id));
    return [...[...this.builtins.values()].map((p) => p.summary), ...userList];
  }

  errors(): PipelineFileError[] {
    return this.user.errors.map((e) => ({ ...e }));
  }

  onChange(listener: () => void): () => void {
    return this.listeners.subscribe(listener);
  }

  releaseSession(sessionId: string): void {
    this.services.sessionState.release(sessionId);
  }

  sessionsWithState(): number {
    return this.services.sessionState.size();
  }

  /** One reload at a time; a failed one is logged, the previous pipelines stay. */
  reload(): Promise<void> {
    this.reloading = this.reloading
      .then(() => this.reloadOnce())
      .catch((err: unknown) => {
        const dir = this.options.userDir;
        this.logger.error(
          { event: 'pipeline_reload_failed', dir, error: String(err) },
          `cannot read pipeline directory ${dir}`,
        );
      });
    return this.reloading;
  }

  async start(): Promise<void> {
    for (const p of this.builtins.values()) {
      this.logger.debug(
        { event: 'pipeline_loaded', pipeline_id: p.id, version: p.version, source: 'builtin' },
        `built-in pipeline ${p.id}`,
      );
    }
    this.stopped = false;
    await this.reload();
    if (this.options.watch === false || this.watcher) return;
    await this.watch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watcher?.close();
    this.watcher = undefined;
    await this.reloading;
    await this.services.recordings.idle();
  }

  /** Listeners hear of a reload only when the list or the file errors changed. */
  private async reloadOnce(): Promise<void> {
    const files = await readPipelineFiles(this.options.userDir);
    const next = loadUserPipelines(files, this.user, this.rules);
    reportChanges(this.user, next, this.logger, this.services.metrics);
    const before = this.fingerprint();
    this.user = next;
    if (this.fingerprint() !== before) this.listeners.emit();
  }

  private fingerprint(): string {
    return JSON.stringify([this.list(), this.user.errors]);
  }

  /** Reloads on file changes; without a watcher, files load only at start. */
  private async watch(): Promise<void> {
    const dir = this.options.userDir;
    try {
      const opened = await watchPipelineDir(
        dir,
        () => void this.reload(),
        this.options.reloadDebounceMs ?? 150,
      );
      if (this.stopped) await opened.close();
      else this.watcher = opened;
    } catch (err) {
      this.logger.error(
        { event: 'pipeline_watch_failed', dir, error: String(err) },
        `cannot watch ${dir}: pipeline files load only at start`,
      );
    }
  }
}

export function createPipelineCatalog(options: PipelineCatalogOptions): EnginePipelineCatalog {
  return new EngineCatalog(options);
}
