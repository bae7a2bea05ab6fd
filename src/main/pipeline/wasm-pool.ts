/**
 * A small pool of worker threads, each decoding with its own instance of the
 * TurboJPEG WebAssembly module, so that the JavaScript thread only copies a
 * frame's bytes in and gets the pixels back (both moved, not cloned). One job
 * per worker at a time; the rest wait in order. Workers start on first use,
 * never keep the process alive, and one that dies is replaced by the next job.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WASM_WORKER_SOURCE } from './wasm-worker-source';

/** A compiled WebAssembly.Module (posted to each worker, which instantiates it). */
export type CompiledWasm = object;

export interface WasmJob {
  /** Moved to the worker: its buffer must hold this frame alone. */
  jpeg: Uint8Array<ArrayBuffer>;
  /** DCT-scale down towards this width (0: full size). */
  width: number;
  grey: boolean;
}

export interface WasmDecoded {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
  sourceWidth: number;
  sourceHeight: number;
}

interface Reply extends Partial<WasmDecoded> {
  id: number;
  error?: string;
}

interface Pending {
  id: number;
  job: WasmJob;
  resolve: (decoded: WasmDecoded) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
}

/** Two workers on two cores: the decode of one frame overlaps the next one's. */
export const WASM_POOL_SIZE = Math.max(2, Math.min(4, availableParallelism()));

export interface WasmPool {
  decode(job: WasmJob): Promise<WasmDecoded>;
  /** Ends every worker; jobs in flight are refused. */
  close(): Promise<void>;
}

export function createWasmPool(module: CompiledWasm, size = WASM_POOL_SIZE): WasmPool {
  const slots: (Slot | null)[] = new Array<Slot | null>(size).fill(null);
  const queue: Pending[] = [];
  let nextId = 1;

  function start(index: number): Slot {
    const worker = new Worker(WASM_WORKER_SOURCE, { eval: true, workerData: { module } });
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: Reply) => finish(slot, reply));
    const lost = (why: string) => {
      if (slots[index] === slot) slots[index] = null;
      slot.job?.reject(new Error(`wasm-decode: the decode worker ${why}`));
      slot.job = null;
      pump();
    };
    worker.on('error', (err) => lost(`failed: ${err.message}`));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
    slots[index] = slot;
    return slot;
  }

  function finish(slot: Slot, reply: Reply): void {
    const pending = slot.job;
    slot.job = null;
    if (pending && reply.id === pending.id && reply.error === undefined && reply.data) {
      pending.resolve(reply as WasmDecoded);
    } else {
      pending?.reject(new Error(reply.error ?? 'wasm-decode: no result'));
    }
    pump();
  }

  function pump(): void {
    for (let i = 0; i < slots.length && queue.length > 0; i++) {
      const slot = slots[i] ?? start(i);
      if (slot.job) continue;
      const pending = queue.shift()!;
      slot.job = pending;
      const { jpeg, width, grey } = pending.job;
      slot.worker.postMessage({ id: pending.id, jpeg, width, grey }, [jpeg.buffer]);
    }
  }

  return {
    decode(job) {
      return new Promise((resolve, reject) => {
        queue.push({ id: nextId++, job, resolve, reject });
        pump();
      });
    },
    async close() {
      queue.splice(0).forEach((p) => p.reject(new Error('wasm-decode: the pool is closed')));
      const running = slots.filter((slot): slot is Slot => slot !== null);
      await Promise.all(running.map((slot) => slot.worker.terminate()));
    },
  };
}
