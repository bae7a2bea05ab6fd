/**
 * Runs one frame through a compiled plan: every node starts as soon as its
 * dependencies (and, for pixel nodes, the shared decode) are done, so
 * independent branches overlap; a failure or a timeout ends the frame with
 * `failure` naming the node, and never rejects.
 */
import { performance } from 'node:perf_hooks';
import type { Counter, Histogram } from 'prom-client';
import type { PipelineRef, StorageState } from '../../shared/protocol';
import { createFrameContext, type EngineHooks } from './frame';
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
      abandoned.push(work.catch(() => undefined));
      reject(new NodeTimeout(`timed out after ${ms} ms`));
    }, ms);
  });
  // The abandoned work may still fail later: nobody is waiting for it any more.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export async function runPlan(input: FrameInput, ctx: RunContext): Promise<PipelineRunResult> {
  const started = performance.now();
  const frame = createFrameContext(ctx.ref.id, input, ctx.frameNeed, ctx.hooks, ctx.usual);
  const timings: Record<string, number> = {};
  const results = new Map<string, NodeOutput>();
  const abandoned: Promise<unknown>[] = [];
  let failure: PipelineFailure | undefined;

  let decoded: Promise<RawImage> | undefined;
  if (ctx.frameNeed) {
    // Start decoding at once: header-only nodes run meanwhile.
    decoded = frame.decoded().then(
      (image) => {
        const ms = performance.now() - started;
        timings.decode = round(ms);
        ctx.decodeDuration.observe(ms / 1000);
        return image;
      },
      // Counted once, under the node that needed the image (the one the reply names).
      (err: unknown) => {
        throw new Error(`could not decode the JPEG: ${(err as Error).message}`);
      },
    );
    decoded.catch(() => undefined);
  }

  const done = new Map<string, Promise<void>>();
  for (const node of ctx.plan) {
    const deps = node.needs.map((id) => done.get(id)!);
    const step = Promise.all(deps)
      .then(async () => {
        if (failure) throw SKIPPED;
        let image: RawImage | null = null;
        if (node.image === 'frame') image = await withTimeout(decoded!, node.timeoutMs, abandoned);
        else if (node.image !== 'none') image = results.get(node.image.node)?.image ?? null;
        if (failure) throw SKIPPED;
        const inputs: Record<string, unknown> = {};
        for (const id of node.needs) inputs[id] = results.get(id)?.json;
        const t0 = performance.now();
        let outcome: 'ok' | 'failed' | 'timeout' = 'failed';
        try {
          const output = await withTimeout(
            node.runner.run({ frame, image, inputs }),
            node.timeoutMs,
            abandoned,
          );
          outcome = 'ok';
          results.set(node.id, output);
        } catch (err) {
          if (err instanceof NodeTimeout) outcome = 'timeout';
          throw err;
        } finally {
          const t1 = performance.now();
          timings[node.id] = round(t1 - t0);
          node.duration.observe((t1 - t0) / 1000);
          ctx.hooks.onNodeRun?.({
            pipelineId: ctx.ref.id,
            node: node.id,
            frameIndex: input.frameIndex,
            startedAt: t0,
            endedAt: t1,
            outcome,
          });
        }
      })
      .catch((err: unknown) => {
        if (err !== SKIPPED && !failure) {
          failure = { node: node.id, detail: (err as Error)?.message ?? String(err) };
          if (err instanceof NodeTimeout) failure.timedOut = true;
          node.failures.inc();
        }
        throw SKIPPED;
      });
    done.set(node.id, step);
  }
  await Promise.allSettled(done.values());

  let thumbnail: Buffer | undefined;
  let storage: StorageState | undefined;
  const result: Record<string, unknown> = {};
  if (!failure) {
    for (const id of ctx.outputs) result[id] = results.get(id)?.json;
  }
  for (const output of results.values()) {
    if (output.thumbnail) thumbnail = output.thumbnail;
    if (output.storage) storage = output.storage;
  }
  storage ??= ctx.storageState();
  timings.total = round(performance.now() - started);

  const reply: PipelineRunResult = { pipeline: ctx.ref, result, timings_ms: timings, storage };
  if (failure) reply.failure = failure;
  if (thumbnail) reply.thumbnail = thumbnail;
  if (abandoned.length > 0) reply.settled = Promise.all(abandoned).then(() => undefined);
  return reply;
}
