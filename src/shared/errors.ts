/**
 * The error codes the station's operations answer (over IPC and HTTP), each
 * once: its HTTP status, whether an action may answer it, and what it means in
 * words for people (docs/protocol.md lists them with these words). The camera
 * protocol's own codes are PROTOCOL_ERROR_CODES in protocol.ts.
 */

export interface StationErrorSpec {
  readonly status: number;
  /** An action (or an IPC operation) may answer it; otherwise HTTP alone uses it. */
  readonly action: boolean;
  readonly words: string;
}

export const STATION_ERRORS = {
  unknown_session: {
    status: 404,
    action: true,
    words: 'no open session has that id (the camera may have just left)',
  },
  unknown_camera: { status: 404, action: true, words: 'no camera with that id has been seen' },
  unknown_source: { status: 404, action: true, words: 'the station runs no source with that id' },
  too_many_sources: {
    status: 409,
    action: true,
    words: 'the station already runs STATION_MAX_SOURCES sources; remove one first',
  },
  invalid_source: {
    status: 400,
    action: true,
    words:
      'the source is not one the station reads: an http(s):// or rtsp(s):// URL, or /dev/videoN',
  },
  source_address_refused: {
    status: 400,
    action: true,
    words:
      'the source points at this machine or a cloud metadata service; allowed only with STATION_SOURCES_ALLOW_LOCAL=true',
  },
  duplicate_camera: {
    status: 409,
    action: true,
    words: 'a source already feeds that camera id; choose another id or remove that source',
  },
  unknown_alert: { status: 404, action: true, words: 'no alert with that id is kept' },
  unknown_recording: {
    status: 404,
    action: true,
    words: 'no recording (or frame) of that camera and session is on disk',
  },
  invalid_pipeline: { status: 400, action: true, words: 'no loaded pipeline has that id' },
  invalid_argument: {
    status: 400,
    action: true,
    words: 'an argument breaks its rule; the message names it and the rule',
  },
  forbidden: {
    status: 403,
    action: true,
    words: 'the caller may not do this (not this machine, no token, or a foreign page)',
  },
  not_available: {
    status: 501,
    action: true,
    words: 'this station cannot do it here (a desktop-only action, or a missing tool)',
  },
  internal: { status: 500, action: true, words: 'the station failed; its log says why' },
  not_found: { status: 404, action: false, words: 'nothing is served at that path' },
  no_thumbnail: {
    status: 404,
    action: false,
    words: 'the session has no thumbnail (its pipeline makes none yet)',
  },
  sign_in_required: {
    status: 401,
    action: false,
    words:
      'reads and actions from another machine need the operator token (STATION_ADMIN_TOKEN): sign in at /sign-in or send it as a Bearer token',
  },
  too_many_streams: {
    status: 503,
    action: false,
    words:
      'the station serves as many event streams as it allows (STATION_MAX_EVENT_STREAMS, per address STATION_MAX_EVENT_STREAMS_PER_ADDRESS); close a tab or retry',
  },
  metrics_token_required: {
    status: 401,
    action: false,
    words: 'this station serves /metrics only with its STATION_METRICS_TOKEN as a Bearer token',
  },
  unknown_host: {
    status: 421,
    action: false,
    words:
      'the request names a host that is not this station (DNS rebinding); add a real alias to STATION_ALLOWED_HOSTS',
  },
  method_not_allowed: {
    status: 405,
    action: false,
    words: 'only GET, HEAD and (under /api/) POST are answered',
  },
} as const satisfies Record<string, StationErrorSpec>;

export type StationErrorCode = keyof typeof STATION_ERRORS;

/** The codes of action failures shown to the technician: those an action may answer. */
export type ActionErrorCode = {
  [K in StationErrorCode]: (typeof STATION_ERRORS)[K]['action'] extends true ? K : never;
}[StationErrorCode];

/** The HTTP status of a refusal; 400 for a code the registry does not know. */
export function httpStatusOf(code: string): number {
  return code in STATION_ERRORS ? STATION_ERRORS[code as StationErrorCode].status : 400;
}
