/**
 * The bare floor: a minimal `ws` server doing the same sharp work per frame as
 * the `bench` pipeline (a reduced decode to 320 px wide grey, mean brightness
 * and variance of the Laplacian in JavaScript, a 160 px wide JPEG thumbnail) —
 * no sessions, no metrics, no logs, no validation. What the station costs on top
 * of libvips is the station/floor ratio.
 *
 * Run alone: `npx tsx bench/floor-server.ts [port]` prints {"port":N} on stdout.
 */
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { WebSocketServer } from 'ws';

sharp.cache(false);

/** Mean and variance of the 4-neighbour Laplacian of a grey image. */
export function greyStats(pixels: Buffer, width: number, height: number) {
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) sum += pixels[i]!;
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap =
        pixels[i - 1]! + pixels[i + 1]! + pixels[i - width]! + pixels[i + width]! - 4 * pixels[i]!;
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const lapMean = n > 0 ? lapSum / n : 0;
  return {
    mean_brightness: pixels.length > 0 ? sum / pixels.length : 0,
    laplacian_variance: n > 0 ? lapSq / n - lapMean * lapMean : 0,
  };
}

async function processFrame(bytes: Buffer) {
  const { data, info } = await sharp(bytes)
    .resize({ width: 320 })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const stats = greyStats(data, info.width, info.height);
  const thumbnail = await sharp(data, {
    raw: { width: info.width, height: info.height, channels: 1 },
  })
    .resize({ width: 160 })
    .jpeg({ quality: 70 })
    .toBuffer();
  return { stats, thumbnail_bytes: thumbnail.length };
}

export function startFloorServer(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 8 * 1024 * 1024 });
  server.on('connection', (socket) => {
    socket.send(
      JSON.stringify({
        hello: { protocol: 1, session_id: 'floor', camera_id: 'floor', pipeline_id: 'bench' },
      }),
    );
    let frameIndex = 0;
    socket.on('message', (data: Buffer) => {
      const index = ++frameIndex;
      const started = performance.now();
      processFrame(data).then(
        (result) =>
          socket.send(
            JSON.stringify({
              frame_index: index,
              result,
              pipeline: { id: 'bench', version: 'floor' },
              timings_ms: { total: performance.now() - started },
            }),
          ),
        (error: unknown) =>
          socket.send(
            JSON.stringify({
              frame_index: index,
              result: { error: 'pipeline_failure', detail: String(error), node: 'floor' },
              pipeline: { id: 'bench', version: 'floor' },
            }),
          ),
      );
    });
  });
  return new Promise((resolve) => {
    server.on('listening', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

if (require.main === module) {
  void startFloorServer(Number(process.argv[2] ?? 0)).then(({ port }) => {
    process.stdout.write(`${JSON.stringify({ port })}\n`);
  });
}
