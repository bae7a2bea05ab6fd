/**
 * Every failure the camera bridge reports, with a code for logs and a sentence
 * a technician can act on. Errors are values: sources and the station link
 * hand them to the bridge, which logs them and decides whether to retry.
 */

const BRIDGE_ERRORS = {
  ffmpeg_missing: {
    retry: false,
    message:
      'ffmpeg was not found. Install it (Debian/Ubuntu: sudo apt-get install ffmpeg) or pass --ffmpeg PATH.',
  },
  invalid_source: {
    retry: false,
    message:
      'The source must be an http(s):// or rtsp(s):// URL or a video device such as /dev/video0.',
  },
  invalid_station: {
    retry: false,
    message: 'The station address must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:8765.',
  },
  invalid_option: { retry: false, message: 'An option has an invalid value.' },
  source_unreachable: {
    retry: true,
    message: 'The camera source could not be reached; retrying.',
  },
  source_http_status: {
    retry: true,
    message: 'The camera answered with an HTTP error; retrying.',
  },
  source_not_mjpeg: {
    retry: true,
    message:
      'The HTTP source is not MJPEG (multipart/x-mixed-replace or JPEG); reading it with ffmpeg instead.',
  },
  source_ended: { retry: true, message: 'The camera source stopped sending; reconnecting.' },
  source_stalled: {
    retry: true,
    message: 'No frame from the camera source for a while; reconnecting.',
  },
  ffmpeg_failed: { retry: true, message: 'ffmpeg stopped with an error; restarting it.' },
  station_unreachable: {
    retry: true,
    message: 'The station could not be reached; retrying.',
  },
  station_busy: {
    retry: true,
    message: 'The station has no free camera slot (HTTP 503); retrying.',
  },
  station_closed: { retry: true, message: 'The station closed the connection; reconnecting.' },
  unauthorized: {
    retry: false,
    message: 'The station refused the token (HTTP 401). Pass the right one with --token.',
  },
  forbidden: {
    retry: false,
    message: 'The station refused this connection (HTTP 403).',
  },
  rejected: {
    retry: false,
    message: 'The station rejected the camera settings (unknown pipeline or invalid camera name).',
  },
  disconnected_by_technician: {
    retry: false,
    message: 'A technician disconnected this camera at the station (close 4001); not reconnecting.',
  },
  camera_in_use: {
    retry: true,
    message:
      'The station refused this camera name: another device is streaming under it (close 4003); retrying. Give this camera its own --camera-id if it keeps happening.',
  },
  replaced: {
    retry: false,
    message:
      'Another connection with the same camera name replaced this one (close 4002); not reconnecting.',
  },
} as const;

export type BridgeErrorCode = keyof typeof BRIDGE_ERRORS;

export interface BridgeError {
  code: BridgeErrorCode;
  message: string;
  /** Technical detail (never contains URL credentials). */
  detail?: string;
  retry: boolean;
  /** station_busy: peers with room the full station named, best first. */
  alternatives?: string[];
  /** camera_in_use: the station asked to wait this many seconds before trying again. */
  retryAfterSeconds?: number;
}

export function bridgeError(code: BridgeErrorCode, detail?: string): BridgeError {
  const entry = BRIDGE_ERRORS[code];
  return { code, message: entry.message, retry: entry.retry, ...(detail ? { detail } : {}) };
}
