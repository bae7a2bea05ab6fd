/**
 * Runs one frame through a compiled plan: every node starts as soon as its
 * dependencies (and, for pixel nodes, the shared decode) are done, so
 * independent branches overlap; a failure or a timeout ends the frame with
 * `failure` naming the node, and never rejects.
 */
import { performance } from 'node:perf_hooks';
import type { Counter, Histogram } from 'prom-client';
import type { PipelineRef, StorageState } from '../../shared/protocol';
import {
  createFrameContext,
  type EngineHooks,
  type FrameContext,
  type NodeRunEvent,
} from './frame';
import type { RawImage } from './image';
import type { UsualRequests } from './native-batch';
import type { ImageNeed, NodeOutput, NodeRunner } from './node-op';
import type { FrameInput, PipelineFailure, PipelineRunResult } from './types';

export interface PlannedNode {
  id: string;
  needs: readonly string[];
  /** Where the node's image comes from: an image op's output, the decoded frame, or nothing. */
  image: ImageSource;
  timeoutMs: number;
  runner: NodeRunner;
  duration: Histogram.Internal<string>;
  failures: Counter.Internal;
}

export interface RunContext {
  ref: PipelineRef;
  plan: readonly PlannedNode[];
  outputs: readonly string[];
  frameNeed: ImageNeed | null;
  /** The storage state when no store node reported one (e.g. it did not run). */
  storageState: () => StorageState;
  hooks: EngineHooks;
  decodeDuration: Histogram.Internal<string>;
  /** What this pipeline's nodes ask of the decoded image, carried by the next decodes. */
  usual?: UsualRequests;
}

export type ImageSource = 'none' | 'frame' | { node: string };

/** Marks a node skipped because something upstream already failed. */
class Skipped extends Error {}
const SKIPPED = new Skipped('skipped');

class NodeTimeout extends Error {}

/** For promises whose failure nobody waits for any more. */
const ignore = () => undefined;

/**
 * Races `work` against the node's timeout. Work that loses the race keeps
 * running (a decode on the thread pool cannot be stopped): it is added to
 * `abandoned`, so the frame's slot is held until it truly ends.
 */
function withTimeout<T>(work: Promise<T> | T, ms: number, abandoned: Promise<unknown>[]) {
  if (!(work instanceof Promise)) return Promise.resolve(work);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned.push(work.catch(ignore));
      reject(new NodeTimeout(`timed out after ${ms} ms`));
    }, ms);
  });
  // The abandoned work may still fail later: nobody is waiting for it any more.
  work.catch(ignore);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * One frame's run through the plan: what the nodes produced, their timings,
 * the first failure, and the work that lost a race against its timeout.
 */
class FrameRun {
  private readonly started = performance.now();
  private readonly frame: FrameContext;
  private readonly timings: Record<string, number> = {};
  private readonly results = new Map<string, NodeOutput>();
  private readonly abandoned: Promise<unknown>[] = [];
  private readonly decoded: Promise<RawImage> | undefined;
  private failure: PipelineFailure | undefined;

  constructor(
    private readonly input: FrameInput,
    private readonly ctx: RunContext,
  ) {
    this.frame = createFrameContext(ctx.ref.id, input, ctx.frameNeed, ctx.hooks, ctx.usual);
    // Start decoding at once: header-only nodes run meanwhile.
    if (ctx.frameNeed) this.decoded = this.startDecode();
  }

  private startDecode(): Promise<RawImage> {
    const decoded = this.frame.decoded().then(
      (image) => {
        const ms = performance.now() - this.started;
        this.timings.decode = round(ms);
        this.ctx.decodeDuration.observe(ms / 1000);
        return image;
      },
      // Counted once, under the node that needed the image (the one the reply names).
      (err: unknown) => {
        throw new Error(`could not decode the JPEG: ${(err as Error).message}`);
      },
    );
    decoded.catch(ignore);
    return decoded;
  }

  /** Runs one node once its dependencies are done; skipped if anything failed meanwhile. */
  async runNode(node: PlannedNode): Promise<void> {
    if (this.failure) throw SKIPPED;
    let image: RawImage | null = null;
    if (node.image === 'frame') {
      image = await withTimeout(this.decoded!, node.timeoutMs, this.abandoned);
    } else if (node.image !== 'none') {
      image = this.results.get(node.image.node)?.image ?? null;
    }
    if (this.failure) throw SKIPPED;
    const inputs = this.inputsOf(node);
    const t0 = performance.now();
    let outcome: NodeRunEvent['outcome'] = 'failed';
    try {
      const output = await withTimeout(
        node.runner.run({ frame: this.frame, image, inputs }),
        node.timeoutMs,
        this.abandoned,
      );
      outcome = 'ok';
      this.results.set(node.id, output);
    } catch (err) {
      if (err instanceof NodeTimeout) outcome = 'timeout';
      throw err;
    } finally {
      this.noteRun(node, t0, outcome);
    }
  }

  /** The JSON results of the nodes this one needs, by node id. */
  private inputsOf(node: PlannedNode): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const id of node.needs) inputs[id] = this.results.get(id)?.json;
    return inputs;
  }

  private noteRun(node: PlannedNode, t0: number, outcome: NodeRunEvent['outcome']): void {
    const t1 = performance.now();
    this.timings[node.id] = round(t1 - t0);
    node.duration.observe((t1 - t0) / 1000);
    this.ctx.hooks.onNodeRun?.({
      pipelineId: this.ctx.ref.id,
      node: node.id,
      frameIndex: this.input.frameIndex,
      startedAt: t0,
      endedAt: t1,
      outcome,
    });
  }

  /** Keeps the first real failure (not a skip), then marks the node's dependants skipped. */
  noteFailure(node: PlannedNode, err: unknown): never {
    if (err !== SKIPPED && !this.failure) {
      this.failure = { node: node.id, detail: (err as Error)?.message ?? String(err) };
      if (err instanceof NodeTimeout) this.failure.timedOut = true;
      node.failures.inc();
    }
    throw SKIPPED;
  }

  /** The frame's reply once every node has settled. */
  reply(): PipelineRunResult {
    const { ctx, failure, abandoned } = this;
    let thumbnail: Buffer | undefined;
    let storage: StorageState | undefined;
    const result: Record<string, unknown> = {};
    if (!failure) {
      for (const id of ctx.outputs) result[id] = this.results.get(id)?.json;
    }
    for (const output of this.results.values()) {
      if (output.thumbnail) thumbnail = output.thumbnail;
      if (output.storage) storage = output.storage;
    }
    storage ??= ctx.storageState();
    this.timings.total = round(performance.now() - this.started);

    const reply: PipelineRunResult = {
      pipeline: ctx.ref,
      result,
      timings_ms: this.timings,
      storage,
    };
    if (failure) reply.failure = failure;
    if (thumbnail) reply.thumbnail = thumbnail;
    if (abandoned.length > 0) reply.settled = Promise.all(abandoned).then(ignore);
    return reply;
  }
}

export async function runPlan(input: FrameInput, ctx: RunContext): Promise<PipelineRunResult> {
  const run = new FrameRun(input, ctx);
  const done = new Map<string, Promise<void>>();
  for (const node of ctx.plan) {
    const deps = node.needs.map((id) => done.get(id)!);
    const step = Promise.all(deps)
      .then(() => run.runNode(node))
      .catch((err: unknown) => run.noteFailure(node, err));
    done.set(node.id, step);
  }
  await Promise.allSettled(done.values());
  return run.reply();
}
