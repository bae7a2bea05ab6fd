/**
 * Which image backend processes frames in this process, and why: the native
 * TurboJPEG addon (decode, reductions, measurements and preview encode on the
 * thread pool), else the same decode compiled to WebAssembly on worker threads
 * (measurements in JavaScript), else sharp (headless only, where it may be
 * loaded), else none. The desktop shell asks this at start-up to show a
 * problem the user can act on; the headless station logs it.
 */
import { joinReasons } from './decode';
import { nativeAddon, nativeProblem } from './native';
import { loadSharp, sharpProblem, sharpRefusal } from './sharp-runtime';
import { wasmDecoderAvailable, wasmProblem } from './wasm-decode';

export interface ImageBackend {
  /** What decodes frames: `none` means pipelines that read pixels fail every frame. */
  backend: 'turbojpeg' | 'wasm' | 'sharp' | 'none';
  /** True when frames can be decoded (pipelines that only read headers always work). */
  framePath: boolean;
  /** Why the native addon is not used, when it is not. */
  reason?: string;
  /** What to do about it, in words a user can act on. */
  fix?: string;
}

const ADDON_FIX =
  'Install TurboJPEG and a C compiler (Debian/Ubuntu: sudo apt-get install libturbojpeg0-dev build-essential), then run npm ci again to build native/turbo-decode.';

const DECODER_FIX = 'Unset STATION_DECODER to use the native decoder.';

export function imageBackend(): ImageBackend {
  if (nativeAddon()) return { backend: 'turbojpeg', framePath: true };
  const reason = nativeProblem();
  const fix = process.env.STATION_DECODER ? DECODER_FIX : ADDON_FIX;
  if (wasmDecoderAvailable()) return { backend: 'wasm', framePath: true, reason, fix };
  const withoutWasm = joinReasons(reason, wasmProblem());
  if (loadSharp()) return { backend: 'sharp', framePath: true, reason: withoutWasm, fix };
  const why = sharpRefusal() ?? sharpProblem();
  return { backend: 'none', framePath: false, reason: `${withoutWasm}; ${why}`, fix };
}
