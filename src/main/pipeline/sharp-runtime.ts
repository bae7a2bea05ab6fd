/**
 * sharp, loaded lazily and only where it is truly needed: decoding frames
 * when the native addon is missing (or rejects a frame, e.g. CMYK), and
 * resizing very large previews without the addon. Never inside Electron on
 * Linux: Electron links the system's glib and sharp's libvips brings a second
 * copy, and the process dies (SIGSEGV) on the first image (sharp's own
 * "SharpElectronLinux" warning). Once loaded it is tuned for a stream of
 * small, unique frames (process-wide):
 * - no operation cache: no two frames are alike, so caching only costs memory;
 * - one libvips thread per image: parallelism comes from frames in flight on
 *   libuv's pool (measured: about 8-10 % less CPU per frame on `bench`).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type SharpModule from 'sharp';

export type Sharp = typeof SharpModule;

let loaded: Sharp | null | undefined;
let problem = '';

export interface Runtime {
  electron?: string;
  platform: NodeJS.Platform;
}

const thisRuntime = (): Runtime => ({
  electron: process.versions.electron,
  platform: process.platform,
});

/** Why sharp must not be loaded in this process (or `runtime`), or null when it may. */
export function sharpRefusal(runtime: Runtime = thisRuntime()): string | null {
  if (runtime.electron && runtime.platform === 'linux') {
    return 'sharp is not used inside Electron on Linux (its libvips clashes with Electron’s glib)';
  }
  return null;
}

function requireHere(id: string): unknown {
  const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
  return createRequire(from)(id);
}

/** sharp, tuned for frames; null when refused here or not installed (`sharpProblem()` says why). */
export function loadSharp(): Sharp | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const refusal = sharpRefusal();
  if (refusal) {
    problem = refusal;
    return null;
  }
  try {
    const sharp = requireHere('sharp') as Sharp;
    sharp.cache(false);
    sharp.concurrency(1);
    loaded = sharp;
  } catch (err) {
    problem = `sharp could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
  }
  return loaded;
}

export function sharpProblem(): string {
  loadSharp();
  return problem;
}

/** sharp for work that cannot be done without it; throws an error that says why it is missing. */
export function requireSharp(work: string): Sharp {
  const sharp = loadSharp();
  if (!sharp) throw new Error(`${work} needs sharp, which is unavailable: ${problem}`);
  return sharp;
}
