/**
 * The station's operations, each named once: its IPC channel, its HTTP method
 * and path, the schema of its arguments (in order, by their wire names), what
 * it answers and who may call it. The preload, the IPC handlers, the HTTP
 * router and the browser's HTTP bridge are derived from this table, so they
 * cannot disagree on a name, a route or the order of arguments.
 */
import type { z } from 'zod';
import type { AlertsSnapshot } from './alerts';
import type {
  CameraRecord,
  PipelineFileError,
  PipelineSummary,
  SessionInfo,
  SourceInfo,
  StartupProblem,
  StationSnapshot,
} from './contract';
import type { FleetSnapshot } from './fleet';
import type { Inputs, InputShape } from './inputs';
import {
  action,
  bytes,
  defineOperations,
  result,
  stream,
  value,
  type Arg,
  type HttpSpec,
  type OperationSpec,
  type ReplySpec,
} from './operation-spec';
import type { RecordedFramesPage, RecordingCamera, SavedExport } from './recordings';

export {
  defineOperations,
  type HttpMethod,
  type HttpSpec,
  type OperationSpec,
  type PathParams,
  type Role,
} from './operation-spec';

const sessionPath = '/api/sessions/:session_id';
const recordingPath = '/api/recordings/:camera_id/:session_id';

export const operations = defineOperations({
  getSnapshot: {
    ipc: 'station:get-snapshot',
    http: { method: 'GET', path: '/api/snapshot' },
    args: [],
    reply: value<StationSnapshot>(),
    role: 'operator',
  },
  getThumbnail: {
    ipc: 'station:get-thumbnail',
    http: { method: 'GET', path: `${sessionPath}/thumbnail.jpg` },
    args: [['session_id', 'sessionId']],
    reply: bytes(),
    role: 'operator',
  },
  switchPipeline: {
    ipc: 'station:switch-pipeline',
    http: { method: 'POST', path: `${sessionPath}/pipeline` },
    args: [
      ['session_id', 'sessionId'],
      ['pipeline_id', 'pipelineId'],
    ],
    reply: action(),
    role: 'operator',
  },
  setDefaultPipeline: {
    ipc: 'station:set-default-pipeline',
    http: { method: 'POST', path: '/api/default-pipeline' },
    args: [['pipeline_id', 'pipelineId']],
    reply: action(),
    role: 'operator',
  },
  disconnectCamera: {
    ipc: 'station:disconnect-camera',
    http: { method: 'POST', path: `${sessionPath}/disconnect` },
    args: [['session_id', 'sessionId']],
    reply: action(),
    role: 'operator',
  },
  dismissCamera: {
    ipc: 'station:dismiss-camera',
    http: { method: 'POST', path: '/api/cameras/:camera_id/dismiss' },
    args: [['camera_id', 'cameraId']],
    reply: action(),
    role: 'operator',
  },
  addSource: {
    ipc: 'station:add-source',
    http: { method: 'POST', path: '/api/sources', rest: 'whole' },
    args: [['source', 'newSource']],
    reply: action(),
    role: 'operator',
  },
  removeSource: {
    ipc: 'station:remove-source',
    http: { method: 'POST', path: '/api/sources/:source_id/remove' },
    args: [['source_id', 'sourceId']],
    reply: action(),
    role: 'operator',
  },
  setSourceEnabled: {
    ipc: 'station:set-source-enabled',
    http: { method: 'POST', path: '/api/sources/:source_id/enabled' },
    args: [
      ['source_id', 'sourceId'],
      ['enabled', 'enabled'],
    ],
    reply: action(),
    role: 'operator',
  },
  listRecordings: {
    ipc: 'station:list-recordings',
    http: { method: 'GET', path: '/api/recordings' },
    args: [],
    reply: value<RecordingCamera[]>(),
    role: 'operator',
  },
  getRecordingFrames: {
    ipc: 'station:get-recording-frames',
    // Over HTTP offset and limit are optional query fields (0 and 1000).
    http: { method: 'GET', path: `${recordingPath}/frames`, custom: true },
    args: [
      ['camera_id', 'cameraId'],
      ['session_id', 'sessionId'],
      ['offset', 'offset'],
      ['limit', 'limit'],
    ],
    reply: result<RecordedFramesPage>(),
    role: 'operator',
  },
  getRecordedFrame: {
    ipc: 'station:get-recorded-frame',
    // Over HTTP with Range and caching headers.
    http: { method: 'GET', path: `${recordingPath}/frames/:file`, custom: true },
    args: [
      ['camera_id', 'cameraId'],
      ['session_id', 'sessionId'],
      ['file', 'recordedFile'],
    ],
    reply: bytes(),
    role: 'operator',
  },
  deleteRecording: {
    ipc: 'station:delete-recording',
    http: { method: 'POST', path: `${recordingPath}/delete` },
    args: [
      ['camera_id', 'cameraId'],
      ['session_id', 'sessionId'],
    ],
    reply: action(),
    role: 'operator',
  },
  getAlerts: {
    ipc: 'station:get-alerts',
    http: { method: 'GET', path: '/api/alerts' },
    args: [],
    reply: value<AlertsSnapshot>(),
    role: 'operator',
  },
  acknowledgeAlert: {
    ipc: 'station:acknowledge-alert',
    http: { method: 'POST', path: '/api/alerts/:alert_id/acknowledge' },
    args: [['alert_id', 'alertId']],
    reply: action(),
    role: 'operator',
  },
  clearAlert: {
    ipc: 'station:clear-alert',
    http: { method: 'POST', path: '/api/alerts/:alert_id/clear' },
    args: [['alert_id', 'alertId']],
    reply: action(),
    role: 'operator',
  },

  // The desktop shell's own (IPC only).
  openDataFolder: { ipc: 'station:open-data-folder', args: [], reply: action(), role: 'operator' },
  getStartupProblem: {
    ipc: 'station:get-startup-problem',
    args: [],
    reply: value<StartupProblem | null>(),
    role: 'operator',
    optional: true,
  },
  restartOnPort: {
    ipc: 'station:restart-on-port',
    args: [['port', 'port']],
    reply: action(),
    role: 'operator',
    optional: true,
  },
  /** The window's export: a save dialog, then the file written (the browser downloads exportRecording). */
  saveRecordingExport: {
    ipc: 'station:save-recording-export',
    args: [
      ['camera_id', 'cameraId'],
      ['session_id', 'sessionId'],
      ['kind', 'exportKind'],
      ['range', 'exportRange'],
    ],
    reply: result<SavedExport>(),
    role: 'operator',
    optional: true,
  },

  // HTTP only: monitoring, the event stream, lists, exports.
  metrics: {
    http: { method: 'GET', path: '/metrics', custom: true },
    args: [],
    reply: stream<string>(),
    role: 'public',
  },
  healthz: {
    http: { method: 'GET', path: '/healthz', custom: true },
    args: [],
    reply: stream<{ status: 'ok' | 'draining'; version: string; sessions: number }>(),
    role: 'public',
  },
  signInPage: {
    http: { method: 'GET', path: '/sign-in', custom: true },
    args: [],
    reply: stream<string>(),
    role: 'public',
  },
  signIn: {
    http: { method: 'POST', path: '/api/sign-in', custom: true },
    args: [],
    reply: stream<{ ok: boolean }>(),
    role: 'public',
  },
  signOut: {
    http: { method: 'POST', path: '/api/sign-out', custom: true },
    args: [],
    reply: stream<{ ok: boolean }>(),
    role: 'public',
  },
  events: {
    http: { method: 'GET', path: '/api/events', custom: true },
    args: [],
    reply: stream<string>(),
    role: 'operator',
  },
  listSessions: {
    http: { method: 'GET', path: '/api/sessions' },
    args: [],
    reply: value<SessionInfo[]>(),
    role: 'operator',
  },
  listCameras: {
    http: { method: 'GET', path: '/api/cameras' },
    args: [],
    reply: value<CameraRecord[]>(),
    role: 'operator',
  },
  listPipelines: {
    http: { method: 'GET', path: '/api/pipelines' },
    args: [],
    reply: value<PipelineSummary[]>(),
    role: 'camera',
  },
  listPipelineErrors: {
    http: { method: 'GET', path: '/api/pipelines/errors' },
    args: [],
    reply: value<PipelineFileError[]>(),
    role: 'operator',
  },
  listSources: {
    http: { method: 'GET', path: '/api/sources' },
    args: [],
    reply: value<SourceInfo[]>(),
    role: 'operator',
  },
  getFleet: {
    http: { method: 'GET', path: '/api/fleet' },
    args: [],
    reply: value<FleetSnapshot>(),
    role: 'camera',
  },
  exportRecording: {
    http: { method: 'GET', path: `${recordingPath}/export.:kind`, custom: true },
    args: [
      ['camera_id', 'cameraId'],
      ['session_id', 'sessionId'],
      ['kind', 'exportKind'],
    ],
    reply: stream<Uint8Array>(),
    role: 'operator',
  },
});

export type Operations = typeof operations;
export type OperationName = keyof Operations;

/** Argument values of a table row's `args`, in order. */
type ArgValues<A extends readonly Arg[]> = {
  -readonly [I in keyof A]: A[I] extends readonly [string, infer S extends InputShape]
    ? z.output<(typeof Inputs)[S]>
    : never;
};

/** The arguments of an operation, in order, as its schemas accept them. */
export type OperationArgs<K extends OperationName> = ArgValues<Operations[K]['args']>;

type ReplyOf<K extends OperationName> = Operations[K]['reply'];
export type ReplyType<K extends OperationName> =
  ReplyOf<K> extends ReplySpec<infer _, infer T> ? T : never;
export type ReplyKindOf<K extends OperationName> = ReplyOf<K>['kind'];

type NamesWhere<Cond> = {
  [K in OperationName]: Operations[K] extends Cond ? K : never;
}[OperationName];

/** Operations the window calls (over IPC, or the browser over HTTP). */
export type WindowOperation = NamesWhere<{ ipc: string }>;
/** Operations the station core answers, the same over IPC and HTTP. */
export type CoreOperation = NamesWhere<{ ipc: string; http: HttpSpec }>;
/** The desktop shell's own operations. */
export type ShellOperation = Exclude<WindowOperation, CoreOperation>;
/** Operations only HTTP has. */
export type HttpOnlyOperation = Exclude<OperationName, WindowOperation>;
export type HttpOperation = NamesWhere<{ http: HttpSpec }>;
export type OptionalOperation = NamesWhere<{ optional: true }>;
/** HTTP operations whose route reads the request itself. */
export type CustomHttpOperation = NamesWhere<{ http: { custom: true } }>;

export const operationNames = Object.keys(operations) as OperationName[];

export function operationSpec(name: OperationName): OperationSpec {
  return operations[name];
}

/** One channel per window operation, plus the push of StationEvents. */
export const IpcChannel = {
  ...(Object.fromEntries(
    operationNames.flatMap((name) => {
      const channel = operationSpec(name).ipc;
      return channel ? [[name, channel]] : [];
    }),
  ) as { [K in WindowOperation]: Operations[K]['ipc'] }),
  /** main → renderer push of StationEvent. */
  event: 'station:event',
} as const;
export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

/** An operation's path with its arguments in place; the rest stay out. */
export function operationPath<K extends HttpOperation>(
  name: K,
  ...args: OperationArgs<K> extends [] ? [] : [OperationArgs<K>]
): string {
  return pathWith(name, args[0] ?? []);
}

/** The path with any arguments in place (for code that holds them untyped). */
export function pathWith(name: HttpOperation, args: readonly unknown[]): string {
  const spec = operationSpec(name);
  const names = spec.args.map(([n]) => n);
  return spec.http!.path.replace(/:([a-z_]+)/g, (_, param: string) =>
    encodeURIComponent(String(args[names.indexOf(param)])),
  );
}

/** The arguments not in the path, by name (a JSON body or a query). */
export function restArgs(name: HttpOperation, args: readonly unknown[]): Record<string, unknown> {
  const spec = operationSpec(name);
  const inPath = new Set([...spec.http!.path.matchAll(/:([a-z_]+)/g)].map((m) => m[1]));
  const rest: Record<string, unknown> = {};
  spec.args.forEach(([n], i) => {
    if (!inPath.has(n) && args[i] !== undefined) rest[n] = args[i];
  });
  return rest;
}
