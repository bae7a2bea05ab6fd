/**
 * The JavaScript one decode worker runs (wasm-pool.ts starts it with
 * `eval: true`, so no separate file has to be found by the build, the tests
 * or an installed app). It holds one instance of the TurboJPEG WebAssembly
 * module, posted in compiled, and answers {id, jpeg, width, height, grey}
 * with the decoded pixels or an error.
 *
 * The module's C code reports a fatal libjpeg error through longjmp, which
 * here throws out of the WebAssembly call and leaves the decompressor in a
 * half-done state: the worker then starts on a fresh instance (fresh memory),
 * as it also does after a frame that made its memory grow past a bound.
 * Warnings (a truncated frame, a corrupt scan) make tjDecompress2 return -1:
 * refused, like the native decoder does.
 */
export const WASM_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const TJPF_RGB = 0;
const TJPF_GRAY = 6;
const TJCS_CMYK = 3;
const TJCS_YCCK = 4;
/** Memory a worker keeps after a large frame before starting afresh. */
const KEEP_BYTES = 48 * 1024 * 1024;

class Fatal extends Error {}
let x;
let handle = 0;
let meta = 0;
let input = { ptr: 0, cap: 0 };
let output = { ptr: 0, cap: 0 };

function words() {
  return new Uint32Array(x.memory.buffer);
}

function instantiate() {
  const env = {
    setjmp: () => 0,
    longjmp: () => {
      throw new Fatal('corrupt JPEG data');
    },
  };
  const wasi = {
    environ_sizes_get: (count, size) => {
      words()[count >> 2] = 0;
      words()[size >> 2] = 0;
      return 0;
    },
    environ_get: () => 0,
    proc_exit: () => {
      throw new Fatal('the decoder exited');
    },
    fd_close: () => 0,
    fd_seek: () => 0,
    fd_write: (fd, iovs, count, written) => {
      const w = words();
      let total = 0;
      for (let i = 0; i < count; i++) total += w[(iovs >> 2) + 2 * i + 1];
      w[written >> 2] = total;
      return 0;
    },
  };
  x = new WebAssembly.Instance(workerData.module, { env, wasi_snapshot_preview1: wasi }).exports;
  handle = x.tjInitDecompress();
  meta = x.malloc(16);
  input = { ptr: 0, cap: 0 };
  output = { ptr: 0, cap: 0 };
  if (!handle || !meta) throw new Error('cannot create a decompressor');
}

function reserve(area, bytes) {
  if (area.cap >= bytes) return area.ptr;
  if (area.ptr) x.free(area.ptr);
  area.ptr = x.malloc(bytes);
  area.cap = area.ptr ? bytes : 0;
  if (!area.ptr) throw new Error('out of memory');
  return area.ptr;
}

/** The smallest DCT-scaled size (n/8) whose width is still >= target (full size for 0). */
function scaledSize(width, height, target) {
  if (target <= 0 || target >= width) return [width, height];
  for (let n = 1; n < 8; n++) {
    const w = Math.floor((width * n + 7) / 8);
    if (w >= target) return [w, Math.floor((height * n + 7) / 8)];
  }
  return [width, height];
}

function decode(jpeg, target, grey) {
  const inPtr = reserve(input, jpeg.length);
  new Uint8Array(x.memory.buffer, inPtr, jpeg.length).set(jpeg);
  if (x.tjDecompressHeader3(handle, inPtr, jpeg.length, meta, meta + 4, meta + 8, meta + 12) !== 0) {
    throw new Error('bad JPEG header');
  }
  const [sourceWidth, sourceHeight, , colorspace] = new Int32Array(x.memory.buffer, meta, 4);
  if (colorspace === TJCS_CMYK || colorspace === TJCS_YCCK) {
    throw new Error('CMYK/YCCK JPEG not supported');
  }
  if (sourceWidth <= 0 || sourceHeight <= 0) throw new Error('bad image size');
  const [width, height] = scaledSize(sourceWidth, sourceHeight, target);
  const channels = grey ? 1 : 3;
  const bytes = width * height * channels;
  const outPtr = reserve(output, bytes);
  const format = grey ? TJPF_GRAY : TJPF_RGB;
  if (x.tjDecompress2(handle, inPtr, jpeg.length, outPtr, width, 0, height, format, 0) !== 0) {
    throw new Error('decode failed (corrupt or truncated JPEG data)');
  }
  const data = new Uint8Array(bytes);
  data.set(new Uint8Array(x.memory.buffer, outPtr, bytes));
  return { data, width, height, channels, sourceWidth, sourceHeight };
}

instantiate();
parentPort.on('message', (job) => {
  try {
    const out = decode(job.jpeg, job.width, job.grey);
    parentPort.postMessage({ id: job.id, ...out }, [out.data.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: 'wasm-decode: ' + (err && err.message) });
    if (err instanceof Fatal || !(err instanceof Error) || err instanceof WebAssembly.RuntimeError) {
      instantiate();
      return;
    }
  }
  if (input.cap + output.cap > KEEP_BYTES) instantiate();
});
`;
