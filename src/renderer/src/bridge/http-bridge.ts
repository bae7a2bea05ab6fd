/**
 * The StationBridge over HTTP, for the dashboard served by a headless station:
 * fetch for the snapshot and actions, one shared EventSource for the events.
 */
import type {
  ActionErrorCode,
  ActionResult,
  StationBridge,
  StationEvent,
  StationSnapshot,
} from '../../../shared/contract';
import { HttpRoute } from '../../../shared/http-routes';
import type { ConnectionState } from '../state/connection';

export type { ConnectionState };

export interface HttpBridge extends StationBridge {
  readonly kind: 'http';
  /** Called with 'live' each time the event stream (re)opens, 'lost' when it drops. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** The token for actions from another machine; kept for this browser tab only. */
  setToken(token: string | null): void;
  hasToken(): boolean;
  /** Where the browser itself can load a session's thumbnail (decoded off the main thread). */
  thumbnailUrl(sessionId: string, seq: number): string;
  /** A recorded frame's JPEG, for an <img>. */
  recordedFrameUrl(cameraId: string, sessionId: string, file: string): string;
  /** A session (or the frames between two ISO times) as a ZIP or MP4 download. */
  recordingExportUrl(
    cameraId: string,
    sessionId: string,
    kind: 'zip' | 'mp4',
    range?: { from: string; to: string },
  ): string;
}

const TOKEN_KEY = 'foregsyte-station-token';
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

function readInitialToken(): string | null {
  // A link may carry the token in its fragment (never sent to the server in the URL).
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function failure(code: ActionErrorCode, message: string): ActionResult {
  return { ok: false, code, message };
}

function isActionResult(value: unknown): value is ActionResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ok?: unknown }).ok === 'boolean'
  );
}

export function createHttpBridge(baseUrl: string = location.origin): HttpBridge {
  let token = readInitialToken();
  const listeners = new Set<(event: StationEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let source: EventSource | null = null;

  const url = (path: string) => new URL(path, baseUrl).toString();

  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = RETRY_MIN_MS;

  function openEvents(): void {
    const current = new EventSource(url(HttpRoute.events));
    source = current;
    current.onopen = () => {
      retryMs = RETRY_MIN_MS;
      connectionListeners.forEach((l) => l('live'));
    };
    // The store refetches the snapshot on the next 'live'.
    current.onerror = () => {
      connectionListeners.forEach((l) => l('lost'));
      // EventSource retries a dropped connection by itself, but gives up for good on
      // an HTTP error (a station draining answers 503): then try again ourselves.
      if (current.readyState === EventSource.CLOSED && source === current) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (source === current) openEvents();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    };
    current.onmessage = (message: MessageEvent<string>) => {
      let event: StationEvent;
      try {
        event = JSON.parse(message.data) as StationEvent;
      } catch {
        return;
      }
      listeners.forEach((l) => l(event));
    };
  }

  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(url(path), { cache: 'no-store' });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `GET ${path} answered HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  async function post(path: string, body?: unknown): Promise<ActionResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(url(path), {
        method: 'POST',
        headers,
        body: JSON.stringify(body ?? {}),
      });
    } catch (err) {
      return failure('not_available', `The station did not answer: ${(err as Error).message}`);
    }
    const parsed: unknown = await response.json().catch(() => null);
    if (isActionResult(parsed)) return parsed;
    if (response.status === 403) {
      return failure(
        'forbidden',
        'The station refused the action: enter its token to act from here.',
      );
    }
    return failure('internal', `The station answered HTTP ${response.status}.`);
  }

  return {
    kind: 'http',

    async getSnapshot(): Promise<StationSnapshot> {
      const response = await fetch(url(HttpRoute.snapshot), { cache: 'no-store' });
      if (!response.ok)
        throw new Error(`GET ${HttpRoute.snapshot} answered HTTP ${response.status}`);
      return (await response.json()) as StationSnapshot;
    },

    subscribe(listener) {
      listeners.add(listener);
      if (!source) openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
          if (retryTimer) clearTimeout(retryTimer);
          retryTimer = null;
        }
      };
    },

    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },

    async getThumbnail(sessionId) {
      const response = await fetch(url(HttpRoute.sessionThumbnail(sessionId)), {
        cache: 'no-store',
      });
      if (!response.ok) return null;
      return new Uint8Array(await response.arrayBuffer());
    },

    switchPipeline: (sessionId, pipelineId) =>
      post(HttpRoute.sessionPipeline(sessionId), { pipeline_id: pipelineId }),
    setDefaultPipeline: (pipelineId) =>
      post(HttpRoute.defaultPipeline, { pipeline_id: pipelineId }),
    disconnectCamera: (sessionId) => post(HttpRoute.sessionDisconnect(sessionId)),
    dismissCamera: (cameraId) => post(HttpRoute.cameraDismiss(cameraId)),
    addSource: (source) => post(HttpRoute.sources, source),
    removeSource: (sourceId) => post(HttpRoute.sourceRemove(sourceId)),
    setSourceEnabled: (sourceId, enabled) => post(HttpRoute.sourceEnabled(sourceId), { enabled }),
    listRecordings: () => getJson(HttpRoute.recordings),
    getRecordingFrames: (cameraId, sessionId, offset, limit) =>
      getJson(`${HttpRoute.recordingFrames(cameraId, sessionId)}?offset=${offset}&limit=${limit}`),
    async getRecordedFrame(cameraId, sessionId, file) {
      const response = await fetch(url(HttpRoute.recordedFrame(cameraId, sessionId, file)));
      return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    },
    deleteRecording: (cameraId, sessionId) => post(HttpRoute.recordingDelete(cameraId, sessionId)),
    getAlerts: () => getJson(HttpRoute.alerts),
    acknowledgeAlert: (alertId) => post(HttpRoute.alertAcknowledge(alertId)),
    clearAlert: (alertId) => post(HttpRoute.alertClear(alertId)),
    openDataFolder: () =>
      Promise.resolve(
        failure('not_available', 'Opening the data folder works in the desktop app only.'),
      ),

    setToken(next) {
      token = next && next.trim() ? next.trim() : null;
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else sessionStorage.removeItem(TOKEN_KEY);
    },
    hasToken: () => token !== null,
    recordedFrameUrl: (cameraId, sessionId, file) =>
      url(HttpRoute.recordedFrame(cameraId, sessionId, file)),
    recordingExportUrl(cameraId, sessionId, kind, range) {
      const query = range
        ? `?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`
        : '';
      return url(HttpRoute.recordingExport(cameraId, sessionId, kind)) + query;
    },
    thumbnailUrl: (sessionId, seq) => `${url(HttpRoute.sessionThumbnail(sessionId))}?seq=${seq}`,
  };
}
