/**
 * The camera load as a process of its own, so that the flood's event loop
 * never delays what the benchmark measures in its main process (the quiet
 * camera, /healthz). Driven over IPC by load-client.ts.
 */
import { readFileSync } from 'node:fs';
import { createCameraClient, type CameraClient } from '../../src/main/sim/camera-client';
import { totalsOf } from '../../src/main/sim/fleet';
import type { LoadReply, LoadRequest } from './load-messages';

let clients: CameraClient[] = [];

function counters() {
  const { latency: _latency, ...rest } = totalsOf(clients);
  return { ...rest, p99: _latency.p99 };
}

async function handle(request: LoadRequest): Promise<LoadReply> {
  switch (request.type) {
    case 'start': {
      clients = request.cameras.map((camera) => {
        const frames = camera.frameFiles.map((file) => readFileSync(file));
        let cursor = 0;
        return createCameraClient({
          url: request.url,
          cameraId: camera.cameraId,
          pipelineId: request.pipeline,
          fps: camera.fps,
          closedLoop: camera.closedLoop,
          frames: { next: () => frames[cursor++ % frames.length]! },
        });
      });
      await Promise.all(clients.map((c) => c.start()));
      return { id: request.id, type: 'counters', counters: counters() };
    }
    case 'reset':
      for (const client of clients) client.latency.reset();
      return { id: request.id, type: 'counters', counters: counters() };
    case 'counters':
      return { id: request.id, type: 'counters', counters: counters() };
    case 'stop': {
      await Promise.all(clients.map((c) => c.stop(5000)));
      const merged = totalsOf(clients);
      const snapshots = clients.map((c) => c.latency.snapshot());
      return {
        id: request.id,
        type: 'stopped',
        counters: counters(),
        latency: snapshots,
        totals: merged,
      };
    }
  }
}

process.on('message', (request: LoadRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({
        id: request.id,
        type: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));
