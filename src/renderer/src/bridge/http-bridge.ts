/**
 * The StationBridge over HTTP, for the dashboard served by a headless station:
 * fetch for the snapshot and actions, one shared EventSource for the events.
 */
import type { BridgeOperations, StationBridge } from '../../../shared/contract';
import {
  operationNames,
  operationPath,
  operationSpec,
  pathWith,
  restArgs,
  type CoreOperation,
} from '../../../shared/operations';
import type { CameraId, SessionId } from '../../../shared/inputs';
import type { ConnectionState } from '../state/connection';
import { StationEventStream } from './event-stream';
import { failure, HttpClient } from './http-client';

export type { ConnectionState };

export interface HttpBridge extends StationBridge {
  readonly kind: 'http';
  /** Called with 'live' each time the event stream (re)opens, 'lost' when it drops. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** The token for actions from another machine; kept for this browser tab only. */
  setToken(token: string | null): void;
  hasToken(): boolean;
  /** Where the browser itself can load a session's thumbnail (decoded off the main thread). */
  thumbnailUrl(sessionId: SessionId, seq: number): string;
  /** A recorded frame's JPEG, for an <img>. */
  recordedFrameUrl(cameraId: CameraId, sessionId: SessionId, file: string): string;
  /** A session (or the frames between two ISO times) as a ZIP or MP4 download. */
  recordingExportUrl(
    cameraId: CameraId,
    sessionId: SessionId,
    kind: 'zip' | 'mp4',
    range?: { from: string; to: string },
  ): string;
}

/** An operation over its route: arguments in the path, the rest in the body or query. */
function callOverHttp(client: HttpClient, name: CoreOperation, args: unknown[]): Promise<unknown> {
  const spec = operationSpec(name);
  const path = pathWith(name, args);
  const rest = restArgs(name, args);
  if (spec.http!.method === 'POST') {
    return client.post(path, spec.http!.rest === 'whole' ? Object.values(rest)[0] : rest);
  }
  const fields = Object.entries(rest).map(([k, v]) => [k, String(v)]);
  const query = fields.length ? `?${new URLSearchParams(fields).toString()}` : '';
  return spec.reply.kind === 'bytes' ? client.getBytes(path + query) : client.getJson(path + query);
}

/** Every operation of the table that both the window and HTTP reach, called over its route. */
function tableOperations(client: HttpClient): Pick<BridgeOperations, CoreOperation> {
  return Object.fromEntries(
    operationNames
      .filter((name) => operationSpec(name).ipc && operationSpec(name).http)
      .map((name) => [
        name,
        (...args: unknown[]) => callOverHttp(client, name as CoreOperation, args),
      ]),
  ) as Pick<BridgeOperations, CoreOperation>;
}

export function createHttpBridge(baseUrl: string = location.origin): HttpBridge {
  const client = new HttpClient(baseUrl);
  const events = new StationEventStream(client.url(operationPath('events')));
  return {
    ...tableOperations(client),
    kind: 'http',
    subscribe: (listener) => events.subscribe(listener),
    onConnectionChange: (listener) => events.onConnectionChange(listener),
    openDataFolder: () =>
      Promise.resolve(
        failure('not_available', 'Opening the data folder works in the desktop app only.'),
      ),
    setToken: (next) => client.setToken(next),
    hasToken: () => client.hasToken(),
    recordedFrameUrl: (cameraId, sessionId, file) =>
      client.url(operationPath('getRecordedFrame', [cameraId, sessionId, file])),
    recordingExportUrl(cameraId, sessionId, kind, range) {
      const query = range
        ? `?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`
        : '';
      return client.url(operationPath('exportRecording', [cameraId, sessionId, kind])) + query;
    },
    thumbnailUrl: (sessionId, seq) =>
      `${client.url(operationPath('getThumbnail', [sessionId]))}?seq=${seq}`,
  };
}
