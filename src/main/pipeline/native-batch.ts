/**
 * One native call for all the pixel work a frame's nodes ask of one image:
 * the measuring nodes that become ready together (they all wait for the same
 * decode or image op) add their requests during the same microtask drain; the
 * batch goes to the thread pool once that drain is over (process.nextTick runs
 * after it), so a frame costs one queued job instead of one per node, and
 * requests of the same size share one reduced image on the native side.
 *
 * Better still, a pipeline's nodes ask the same of every frame's decoded
 * image: `UsualRequests` remembers what they asked of the last ones, the next
 * decode carries those requests (same pool job, same code, same numbers), and
 * a node asking one of them gets its result without another job.
 */
import type { RawImage } from './image';
import type { NativeAnalysis, NativeRequest, TurboAddon } from './native';

/** The addon's limit on requests per call. */
const MAX_BATCH = 32;

interface Waiting {
  request: NativeRequest;
  resolve: (analysis: NativeAnalysis) => void;
  reject: (error: Error) => void;
}

const pending = new Map<RawImage, Waiting[]>();
let scheduled: TurboAddon | null = null;

/** Requests with no frame-to-frame input, as a key: equal keys give equal results. */
function keyOf(request: NativeRequest): string | null {
  if (request.previous) return null;
  const { width, grey, stats, laplacian, clip, dark, bright, threshold, keep, quality } = request;
  return JSON.stringify([
    width,
    grey,
    stats,
    laplacian,
    clip,
    dark,
    bright,
    threshold,
    keep,
    quality,
  ]);
}

/** At most this many requests ride along with a decode. */
const MAX_USUAL = 8;
/** A request sent with this many more decodes than a node asked for it is dropped (frames overlap). */
const MAX_UNTAKEN = 8;

interface Usual {
  request: NativeRequest;
  /** Asked for minus sent along: falls while decodes compute it for nobody. */
  balance: number;
}

/** What one pipeline's nodes ask of its frames' decoded images. */
export class UsualRequests {
  private readonly byKey = new Map<string, Usual>();

  /** The requests for the next decode, or undefined (none seen yet). */
  list(): NativeRequest[] | undefined {
    if (this.byKey.size === 0) return undefined;
    const requests: NativeRequest[] = [];
    for (const [key, usual] of this.byKey) {
      // E.g. a motion node's first frame, which has nothing to compare with yet.
      if (--usual.balance < -MAX_UNTAKEN) this.byKey.delete(key);
      else requests.push(usual.request);
    }
    return requests.length > 0 ? requests : undefined;
  }

  /** A node asked for `key`'s result (a decode had it, or it is learned now). */
  asked(key: string, request: NativeRequest): void {
    const usual = this.byKey.get(key);
    if (usual) usual.balance++;
    else if (this.byKey.size < MAX_USUAL) this.byKey.set(key, { request, balance: 1 });
  }
}

interface Precomputed {
  usual: UsualRequests;
  /** Results not taken yet, by request key (each is handed out once). */
  ready: Map<string, NativeAnalysis[]>;
}

const precomputed = new WeakMap<RawImage, Precomputed>();

/**
 * `image` is a frame's decoded image: the results its decode computed for
 * `sent` are kept for the nodes, and what they ask beyond them is learned.
 */
export function attachAnalyses(
  image: RawImage,
  usual: UsualRequests,
  sent: readonly NativeRequest[] | undefined,
  analyses: readonly NativeAnalysis[] | undefined,
): void {
  const ready = new Map<string, NativeAnalysis[]>();
  sent?.forEach((request, i) => {
    const result = analyses?.[i];
    const key = keyOf(request);
    if (!result || result.error || key === null) return;
    ready.set(key, [...(ready.get(key) ?? []), result]);
  });
  precomputed.set(image, { usual, ready });
}

/** A result the decode already computed, or null (then the request is learned). */
function takePrecomputed(image: RawImage, request: NativeRequest): NativeAnalysis | null {
  const known = precomputed.get(image);
  const key = keyOf(request);
  if (!known || key === null) return null;
  known.usual.asked(key, request);
  return known.ready.get(key)?.shift() ?? null;
}

function flush(): void {
  const addon = scheduled!;
  scheduled = null;
  const batches = [...pending.entries()];
  pending.clear();
  for (const [image, waiting] of batches) {
    for (let start = 0; start < waiting.length; start += MAX_BATCH) {
      send(addon, image, waiting.slice(start, start + MAX_BATCH));
    }
  }
}

function send(addon: TurboAddon, image: RawImage, waiting: Waiting[]): void {
  const requests = waiting.map((w) => w.request);
  let work: Promise<NativeAnalysis[]>;
  try {
    work = addon.analyse(image.data, image.width, image.height, image.channels, requests);
  } catch (err) {
    work = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  work.then(
    (results) =>
      waiting.forEach((w, i) => {
        const result = results[i];
        if (result && !result.error) w.resolve(result);
        else w.reject(new Error(result?.error ?? 'analyse: no result'));
      }),
    (err: Error) => waiting.forEach((w) => w.reject(err)),
  );
}

/** Queues `request` on `image` for the next batch; resolves with its own result. */
export function analyseInBatch(
  addon: TurboAddon,
  image: RawImage,
  request: NativeRequest,
): Promise<NativeAnalysis> {
  const done = takePrecomputed(image, request);
  if (done) return Promise.resolve(done);
  return new Promise((resolve, reject) => {
    let waiting = pending.get(image);
    if (!waiting) {
      waiting = [];
      pending.set(image, waiting);
    }
    waiting.push({ request, resolve, reject });
    if (!scheduled) {
      scheduled = addon;
      process.nextTick(flush);
    }
  });
}
