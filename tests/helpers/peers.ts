/**
 * What tests with several peers over real sockets share: another host's
 * address (127.0.0.2 stands in for a LAN host), test cameras, a looping MJPEG
 * camera and a bridge from it to the station; each stopped after the test.
 */
import type WebSocket from 'ws';
import { createBridge, type Bridge, type BridgeOptions } from '../../src/main/bridge/bridge';
import type { Cleanups } from './cleanups';
import { bridgeLogger, startMjpegCamera, type MjpegCamera } from './mjpeg-camera';
import { makeJpeg, TestCamera, type TestStation } from './station';

export const OTHER_HOST = { localAddress: '127.0.0.2' };

/** A protocol camera whose socket is cut after the test. */
export function cameraForTest(
  cleanups: Cleanups,
  url: string,
  options?: WebSocket.ClientOptions,
): TestCamera {
  const camera = new TestCamera(url, options);
  cleanups.push(() => Promise.resolve(camera.ws.terminate()));
  return camera;
}

/** An MJPEG camera on loopback sending one small JPEG at 10 fps, forever; killed after the test. */
export async function loopingMjpegCamera(cleanups: Cleanups): Promise<MjpegCamera> {
  const camera = await startMjpegCamera({ frames: [await makeJpeg(64, 48)], fps: 10, loop: true });
  cleanups.push(() => camera.kill());
  return camera;
}

/** A bridge from `camera` to the station as `cameraId` (pipeline noop), started; stopped after the test. */
export function bridgeForTest(
  cleanups: Cleanups,
  station: TestStation,
  camera: MjpegCamera,
  cameraId: string,
  backoff: Pick<BridgeOptions, 'sourceBackoff' | 'stationBackoff'>,
): Bridge {
  const bridge = createBridge({
    station: `ws://127.0.0.1:${station.port}`,
    source: { kind: 'mjpeg', url: camera.url },
    cameraId,
    pipelineId: 'noop',
    logger: bridgeLogger().logger,
    ...backoff,
  });
  cleanups.push(() => bridge.stop());
  bridge.start();
  return bridge;
}
