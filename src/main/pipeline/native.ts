/**
 * The optional native addon (native/turbo-decode): TurboJPEG decode with DCT
 * scaling, and the per-frame pixel work (reductions, statistics, Laplacian,
 * clipping, motion, preview JPEG encode), all on the libuv thread pool so the
 * JavaScript thread keeps to sockets and replies. Loaded once, on first use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface NativeDecoded {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
  sourceWidth: number;
  sourceHeight: number;
  /** One result per request passed to decode(), in order. */
  analyses?: NativeAnalysis[];
}

/** What analyse() does to an image; see native/turbo-decode/analyse.h. */
export interface NativeRequest {
  /** Reduce to this width first (0: as is). */
  width: number;
  grey: boolean;
  stats?: boolean;
  laplacian?: boolean;
  clip?: boolean;
  dark?: number;
  bright?: number;
  previous?: Buffer;
  threshold?: number;
  /** Return the reduced image (when it is a new one). */
  keep?: boolean;
  /** Encode a JPEG at this quality (1..100). */
  quality?: number;
}

export interface NativeAnalysis {
  width: number;
  height: number;
  channels: number;
  means?: number[];
  stdevs?: number[];
  brightness?: number;
  laplacian?: number;
  dark?: number;
  bright?: number;
  mean?: number;
  score?: number;
  changed?: number;
  image?: Buffer;
  jpeg?: Buffer;
  /** Set instead of the rest when this request failed (e.g. out of memory). */
  error?: string;
}

export interface TurboAddon {
  /** With `requests`, analyse()'s work on the decoded image in the same pool job. */
  decode(
    jpeg: Buffer,
    targetWidth: number | null,
    grey: boolean,
    luma: boolean,
    requests?: NativeRequest[],
  ): Promise<NativeDecoded>;
  /** One result per request, in order; see native/turbo-decode/analyse.h. */
  analyse(
    pixels: Buffer,
    width: number,
    height: number,
    channels: number,
    requests: NativeRequest[],
  ): Promise<NativeAnalysis[]>;
}

const ADDON = join('native', 'turbo-decode', 'build', 'Release', 'turbo_decode.node');
let addon: TurboAddon | null | undefined;
let problem = '';

/** The directory holding the station's package.json, walking up from `start`. */
function findRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (name === 'foregsyte-station') return dir;
      } catch {
        // Not ours (or unreadable): keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function load(): TurboAddon | null {
  const forced = process.env.STATION_DECODER;
  if (forced === 'sharp' || forced === 'wasm') {
    problem = `STATION_DECODER=${forced}`;
    return null;
  }
  try {
    const starts = [typeof __dirname === 'string' ? __dirname : null, process.cwd()];
    for (const start of starts) {
      const root = start ? findRoot(start) : null;
      if (!root || !existsSync(join(root, ADDON))) continue;
      const loaded = createRequire(join(root, 'package.json'))(join(root, ADDON)) as TurboAddon;
      if (typeof loaded.decode === 'function' && typeof loaded.analyse === 'function') {
        return loaded;
      }
      problem = 'native/turbo-decode is out of date (run npm ci again)';
      return null;
    }
    problem = 'native/turbo-decode is not built (it needs libturbojpeg and a C compiler)';
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  return null;
}

/** The addon, or null (then `nativeProblem()` says why). */
export function nativeAddon(): TurboAddon | null {
  if (addon === undefined) addon = load();
  return addon;
}

export function nativeProblem(): string {
  nativeAddon();
  return problem;
}
