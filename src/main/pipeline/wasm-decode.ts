/**
 * The decoder for a PC where the native addon cannot be built (no compiler or
 * no libturbojpeg): the same TurboJPEG decode compiled to WebAssembly, shipped
 * inside an npm package (@cwasm/jpeg-turbo: the .wasm file is in the package,
 * nothing is downloaded or compiled at install), run on a small pool of worker
 * threads (wasm-pool.ts). It does what the native decode does: DCT scaling to
 * the smallest n/8 size still at least as wide as needed, grey straight from
 * the JPEG's luma (Y) component, the rest of the way by the same box
 * reduction. Never needs sharp, so the desktop app on Linux can use it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { reduceToWidth, type RawImage } from './image';
import type { ImageNeed } from './node-op';
import { createWasmPool, type CompiledWasm, type WasmPool } from './wasm-pool';

const WASM_FILE = '@cwasm/jpeg-turbo/jpeg-turbo.wasm';
/** The exports the workers call (the package's own JavaScript is not used). */
const EXPORTS = [
  'memory',
  'malloc',
  'free',
  'tjInitDecompress',
  'tjDecompressHeader3',
  'tjDecompress2',
];

/** The two WebAssembly calls used here (the ES2023 lib declares no WebAssembly). */
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): CompiledWasm;
    exports(module: CompiledWasm): { name: string }[];
  };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

let module: CompiledWasm | null | undefined;
let pool: WasmPool | null = null;
let problem = '';

function compile(): CompiledWasm | null {
  const forced = process.env.STATION_DECODER;
  if (forced === 'sharp') {
    problem = 'STATION_DECODER=sharp';
    return null;
  }
  try {
    const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
    const bytes = readFileSync(createRequire(from).resolve(WASM_FILE));
    const compiled = new wasmApi.Module(bytes);
    const names = new Set(wasmApi.Module.exports(compiled).map((e) => e.name));
    const missing = EXPORTS.filter((name) => !names.has(name));
    if (missing.length === 0) return compiled;
    problem = `${WASM_FILE} lacks ${missing.join(', ')} (run npm ci again)`;
  } catch (err) {
    problem = `the WebAssembly decoder could not be loaded: ${err instanceof Error ? err.message : String(err)}`;
  }
  return null;
}

/** Whether the WebAssembly decoder can be used here (`wasmProblem()` says why not). */
export function wasmDecoderAvailable(): boolean {
  if (module === undefined) module = compile();
  return module !== null;
}

export function wasmProblem(): string {
  wasmDecoderAvailable();
  return problem;
}

/** The frame decoded as `need` asks, on the worker pool; rejects frames it cannot decode. */
export async function decodeWithWasm(bytes: Buffer, need: ImageNeed): Promise<RawImage> {
  if (!wasmDecoderAvailable()) throw new Error(`wasm-decode: ${problem}`);
  pool ??= createWasmPool(module!);
  // A copy the worker may own: the frame's own buffer can be a slice of a larger one.
  const jpeg = new Uint8Array(bytes.length);
  jpeg.set(bytes);
  const target = need.width ?? 0;
  const out = await pool.decode({ jpeg, width: target, grey: !need.colour });
  const data = Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength);
  const decoded: RawImage = { data, width: out.width, height: out.height, channels: out.channels };
  if (target <= 0 || target >= out.width) return decoded;
  // The rest of the way at the height sharp's resize gives (as the native decoder).
  const height = Math.max(1, Math.round((out.sourceHeight * target) / out.sourceWidth));
  return reduceToWidth(decoded, target, height);
}

/** Ends the pool's workers (tests; the workers never keep the process alive). */
export async function closeWasmPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.close();
}
