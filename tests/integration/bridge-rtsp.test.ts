/**
 * The bridge against a real RTSP camera (GStreamer's RTSP server, RTP/JPEG),
 * read through the system's ffmpeg. Needs Debian's gir1.2-gst-rtsp-server-1.0,
 * gstreamer1.0-plugins-base/-good and python3-gi; skipped, saying so, without them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBridge, type Bridge } from '../../src/main/bridge/bridge';
import { removeDir, startStation, waitFor, type TestStation } from '../helpers/station';
import { cleanupsAfterEach } from '../helpers/cleanups';
import { freePort } from '../helpers/ports';
import { bridgeLogger } from '../helpers/mjpeg-camera';

const PYTHON = '/usr/bin/python3';
const SERVER = join(__dirname, 'bridge-rtsp-server.py');

const probe = spawnSync(PYTHON, [
  '-c',
  "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); assert Gst.ElementFactory.find('rtpjpegpay') and Gst.ElementFactory.find('jpegenc')",
]);
const rtspAvailable = probe.status === 0;
if (!rtspAvailable) {
  console.warn(
    'RTSP bridge tests skipped: install gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good python3-gi',
  );
}

const cleanups = cleanupsAfterEach();

interface RtspCamera {
  url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

async function startRtspCamera(): Promise<RtspCamera> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  async function launch(): Promise<void> {
    const proc = spawn(PYTHON, [SERVER, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('listening')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`RTSP server exited with ${code}: ${out}`)));
    });
  }
  async function kill(): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }
  await launch();
  const camera: RtspCamera = { url: `rtsp://127.0.0.1:${port}/live`, kill, restart: launch };
  cleanups.push(kill);
  return camera;
}

async function station(): Promise<TestStation> {
  const s = await startStation();
  cleanups.push(async () => {
    await s.close();
    removeDir(s.dataDir);
  });
  return s;
}

function bridgeFor(s: TestStation, url: string): Bridge {
  const { logger } = bridgeLogger();
  const b = createBridge({
    station: `ws://127.0.0.1:${s.port}`,
    source: { kind: 'ffmpeg_url', url },
    cameraId: 'rtsp-cam',
    pipelineId: 'metadata',
    logger,
    stallMs: 4000,
    sourceBackoff: { initialMs: 200, maxMs: 500 },
  });
  cleanups.push(() => b.stop());
  b.start();
  return b;
}

describe.skipIf(!rtspAvailable)('bridge with an RTSP camera', () => {
  it('streams RTP/JPEG over RTSP (TCP) into the station', async () => {
    const s = await station();
    const cam = await startRtspCamera();
    const b = bridgeFor(s, cam.url);
    await waitFor(() => b.stats().processed >= 10, 20_000);
    expect(b.stats().last_result?.metadata).toMatchObject({ width: 320, height: 240 });
    expect(s.station.snapshot().sessions.find((x) => x.camera_id === 'rtsp-cam')).toBeDefined();
  });

  it('resumes when the RTSP camera goes away and comes back', async () => {
    const s = await station();
    const cam = await startRtspCamera();
    const b = bridgeFor(s, cam.url);
    await waitFor(() => b.stats().processed >= 5, 20_000);
    await cam.kill();
    await waitFor(() => b.stats().source_reconnects >= 1, 20_000);
    const before = b.stats().frames_read;
    await cam.restart();
    await waitFor(() => b.stats().frames_read >= before + 10, 30_000);
    expect(b.stats().source).toBe('open');
  });
});
