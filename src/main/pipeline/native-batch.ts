/**
 * One native call for all the pixel work a frame's nodes ask of one image:
 * the measuring nodes that become ready together (they all wait for the same
 * decode or image op) add their requests during the same microtask drain; the
 * batch goes to the thread pool once that drain is over (process.nextTick runs
 * after it), so a frame costs one queued job instead of one per node, and
 * requests of the same size share one reduced image on the native side.
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
