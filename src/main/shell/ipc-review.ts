/** The IPC channels of recordings and alerts, behind the gatekeeper like every other. */
import { z } from 'zod';
import { IpcChannel } from '../../shared/ipc-channels';
import { CAMERA_ID_PATTERN } from '../../shared/protocol';
import { MAX_FRAMES_PAGE } from '../../shared/recordings';
import type { IpcGatekeeper, Reply } from './ipc-gatekeeper';
import type { StationHost } from './station-host';

const cameraId = z.string().regex(CAMERA_ID_PATTERN, 'a camera id is 1-64 of A-Z a-z 0-9 . _ -');
const sessionId = z.string().min(1).max(128);
const file = z.string().min(1).max(64);
const alertId = z.string().min(1).max(128);
const offset = z.number().int().min(0);
const limit = z.number().int().min(0).max(MAX_FRAMES_PAGE);

export function registerReviewHandlers(
  gate: IpcGatekeeper,
  host: StationHost,
  notServing: () => Reply,
): void {
  const station = () => host.station();
  gate.handle(IpcChannel.listRecordings, z.tuple([]), async () => {
    const s = station();
    return s ? { ok: true, value: await s.listRecordings() } : notServing();
  });
  gate.handle(
    IpcChannel.getRecordingFrames,
    z.tuple([cameraId, sessionId, offset, limit]),
    async (camera, session, from, count) => {
      const s = station();
      return s ? s.getRecordingFrames(camera, session, from, count) : notServing();
    },
  );
  gate.handle(
    IpcChannel.getRecordedFrame,
    z.tuple([cameraId, sessionId, file]),
    async (c, s, f) => {
      const running = station();
      if (!running) return notServing();
      const jpeg = await running.getRecordedFrame(c, s, f);
      return { ok: true, value: jpeg ? new Uint8Array(jpeg) : null };
    },
  );
  gate.handle(IpcChannel.deleteRecording, z.tuple([cameraId, sessionId]), async (c, s) => {
    const running = station();
    return running ? running.deleteRecording(c, s) : notServing();
  });
  gate.handle(IpcChannel.getAlerts, z.tuple([]), () => {
    const s = station();
    return s ? { ok: true, value: s.getAlerts() } : notServing();
  });
  gate.handle(IpcChannel.acknowledgeAlert, z.tuple([alertId]), (id) => {
    const s = station();
    return s ? s.acknowledgeAlert(id) : notServing();
  });
  gate.handle(IpcChannel.clearAlert, z.tuple([alertId]), (id) => {
    const s = station();
    return s ? s.clearAlert(id) : notServing();
  });
}
