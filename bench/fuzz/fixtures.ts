/** Valid JPEGs of several kinds (baseline, progressive, 4:4:4, grey, noisy) to send and to mutate. */
import sharp from 'sharp';
import { createCameraClient, type CameraClient } from '../../src/main/sim/camera-client';
import { createFrameSource } from '../../src/main/sim/frame-source';

export async function fuzzJpegs(): Promise<Buffer[]> {
  const noisy = await createFrameSource({ width: 320, height: 180, cameraId: 'fuzz', ringSize: 2 });
  const flat = {
    width: 64,
    height: 48,
    channels: 3 as const,
    background: { r: 200, g: 40, b: 90 },
  };
  return [
    ...noisy.frames,
    await sharp({ create: flat }).jpeg({ quality: 90 }).toBuffer(),
    await sharp({ create: { ...flat, width: 160, height: 120 } })
      .jpeg({ progressive: true })
      .toBuffer(),
    await sharp(noisy.frames[0]).jpeg({ chromaSubsampling: '4:4:4', quality: 60 }).toBuffer(),
    await sharp(noisy.frames[1]).greyscale().jpeg({ quality: 50 }).toBuffer(),
  ];
}

/** The well-behaved 10 fps camera that runs beside the fuzzer: it must be answered every time. */
export async function healthyCamera(url: string): Promise<CameraClient> {
  return createCameraClient({
    url,
    cameraId: 'healthy-cam',
    pipelineId: 'metadata',
    fps: 10,
    frames: await createFrameSource({
      width: 320,
      height: 180,
      cameraId: 'healthy-cam',
      ringSize: 4,
    }),
  });
}
