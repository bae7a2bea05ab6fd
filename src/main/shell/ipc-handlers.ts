/** Every IPC channel of the window, each behind the gatekeeper with its argument schema. */
import { z } from 'zod';
import type { ActionResult } from '../../shared/contract';
import { IpcChannel } from '../../shared/ipc-channels';
import { CAMERA_ID_PATTERN } from '../../shared/protocol';
import type { IpcGatekeeper, Reply } from './ipc-gatekeeper';
import { registerReviewHandlers } from './ipc-review';
import type { StationHost } from './station-host';

const sessionId = z.string().min(1).max(128);
const pipelineId = z.string().min(1).max(200);
const cameraId = z.string().regex(CAMERA_ID_PATTERN, 'a camera id is 1-64 of A-Z a-z 0-9 . _ -');
const port = z.number().int().min(0).max(65535);
const sourceId = z.string().min(1).max(128);
const newSource = z.strictObject({
  url: z.string().min(1).max(2048),
  camera_id: cameraId,
  pipeline_id: pipelineId.nullable().optional(),
  fps: z.number().gt(0).max(120).nullable().optional(),
});
const none = z.tuple([]);

export interface HandlerDeps {
  host: StationHost;
  /** Opens a folder in the system's file manager; resolves to '' or an error message. */
  openPath: (path: string) => Promise<string>;
}

function notServing(host: StationHost): Reply {
  return {
    ok: false,
    code: 'not_available',
    message: host.problem()?.message ?? 'The station is not running.',
  };
}

export function registerStationHandlers(gate: IpcGatekeeper, deps: HandlerDeps): void {
  const { host } = deps;
  /** Runs an action on the serving station, or says why there is none. */
  const act = (run: (station: NonNullable<ReturnType<StationHost['station']>>) => ActionResult) => {
    const station = host.station();
    return station ? run(station) : notServing(host);
  };

  gate.handle(IpcChannel.getSnapshot, none, () => {
    const station = host.station();
    return station ? { ok: true, value: station.snapshot() } : notServing(host);
  });
  gate.handle(IpcChannel.getThumbnail, z.tuple([sessionId]), (id) => {
    const station = host.station();
    if (!station) return notServing(host);
    const jpeg = station.getThumbnail(id);
    return { ok: true, value: jpeg ? new Uint8Array(jpeg) : null };
  });
  gate.handle(IpcChannel.switchPipeline, z.tuple([sessionId, pipelineId]), (session, pipeline) =>
    act((s) => s.switchPipeline(session, pipeline)),
  );
  gate.handle(IpcChannel.setDefaultPipeline, z.tuple([pipelineId]), (pipeline) =>
    act((s) => s.setDefaultPipeline(pipeline)),
  );
  gate.handle(IpcChannel.disconnectCamera, z.tuple([sessionId]), (session) =>
    act((s) => s.disconnectCamera(session)),
  );
  gate.handle(IpcChannel.dismissCamera, z.tuple([cameraId]), (camera) =>
    act((s) => s.dismissCamera(camera)),
  );
  gate.handle(IpcChannel.addSource, z.tuple([newSource]), (source) =>
    act((s) => {
      const result = s.addSource(source);
      return result.ok ? { ok: true } : result;
    }),
  );
  gate.handle(IpcChannel.removeSource, z.tuple([sourceId]), async (id) => {
    const station = host.station();
    return station ? station.removeSource(id) : notServing(host);
  });
  gate.handle(IpcChannel.setSourceEnabled, z.tuple([sourceId, z.boolean()]), async (id, on) => {
    const station = host.station();
    return station ? station.enableSource(id, on) : notServing(host);
  });
  gate.handle(IpcChannel.openDataFolder, none, async () => {
    const station = host.station();
    if (!station) return notServing(host);
    const error = await deps.openPath(station.dataDir);
    return error
      ? { ok: false, code: 'not_available', message: `Cannot open ${station.dataDir}: ${error}` }
      : { ok: true };
  });
  // The window opens before the station serves: its first question waits for the start.
  gate.handle(IpcChannel.getStartupProblem, none, async () => {
    await host.settled();
    return { ok: true, value: host.problem() };
  });
  gate.handle(IpcChannel.restartOnPort, z.tuple([port]), (p) => host.restartOnPort(p));
  registerReviewHandlers(gate, host, () => notServing(host));
}
