/**
 * The StationBridge over HTTP, for the dashboard served by a headless station:
 * fetch for the snapshot and actions, one shared EventSource for the events.
 */
import type {
  ActionErrorCode,
  ActionResult,
  BridgeOperations,
  StationBridge,
  StationEvent,
} from '../../../shared/contract';
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
  const eventsPath = operationPath('events');

  const url = (path: string) => new URL(path, baseUrl).toString();

  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = RETRY_MIN_MS;

  function openEvents(): void {
    const current = new EventSource(url(eventsPath));
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

  /** The operator token typed or linked here, for scripts; a signed-in browser sends its cookie. */
  const authHeaders = (): Record<string, string> =>
    token ? { authorization: `Bearer ${token}` } : {};

  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(url(path), { cache: 'no-store', headers: authHeaders() });
    // From another machine without the operator's sign-in: the station's sign-in form.
    if (response.status === 401) location.assign(url(operationPath('signInPage')));
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `GET ${path} answered HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  async function post(path: string, body?: unknown): Promise<ActionResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...authHeaders(),
    };
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
        'The station refused the action: sign in with its operator token to act from here.',
      );
    }
    return failure('internal', `The station answered HTTP ${response.status}.`);
  }

  async function getBytes(path: string): Promise<Uint8Array | null> {
    const response = await fetch(url(path), { cache: 'no-store', headers: authHeaders() });
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
  }

  /** An operation over its route: arguments in the path, the rest in the body or query. */
  function call(name: CoreOperation, args: unknown[]): Promise<unknown> {
    const spec = operationSpec(name);
    const path = pathWith(name, args);
    const rest = restArgs(name, args);
    if (spec.http!.method === 'POST') {
      return post(path, spec.http!.rest === 'whole' ? Object.values(rest)[0] : rest);
    }
    const fields = Object.entries(rest).map(([k, v]) => [k, String(v)]);
    const query = fields.length ? `?${new URLSearchParams(fields).toString()}` : '';
    return spec.reply.kind === 'bytes' ? getBytes(path + query) : getJson(path + query);
  }

  const operations = Object.fromEntries(
    operationNames
      .filter((name) => operationSpec(name).ipc && operationSpec(name).http)
      .map((name) => [name, (...args: unknown[]) => call(name as CoreOperation, args)]),
  ) as Pick<BridgeOperations, CoreOperation>;

  return {
    ...operations,
    kind: 'http',

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
      url(operationPath('getRecordedFrame', [cameraId, sessionId, file])),
    recordingExportUrl(cameraId, sessionId, kind, range) {
      const query = range
        ? `?${new URLSearchParams({ from: range.from, to: range.to }).toString()}`
        : '';
      return url(operationPath('exportRecording', [cameraId, sessionId, kind])) + query;
    },
    thumbnailUrl: (sessionId, seq) =>
      `${url(operationPath('getThumbnail', [sessionId]))}?seq=${seq}`,
  };
}
