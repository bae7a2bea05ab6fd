/**
 * The HTTP bridge's requests to the station: the operator token, JSON and byte
 * reads, and actions whose answer is always an ActionResult.
 */
import type { ActionErrorCode, ActionResult } from '../../../shared/contract';
import { operationPath } from '../../../shared/operations';

const TOKEN_KEY = 'foregsyte-station-token';

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

export function failure(code: ActionErrorCode, message: string): ActionResult {
  return { ok: false, code, message };
}

function isActionResult(value: unknown): value is ActionResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ok?: unknown }).ok === 'boolean'
  );
}

export class HttpClient {
  private token = readInitialToken();

  constructor(private readonly baseUrl: string) {}

  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  /** The token for actions from another machine; kept for this browser tab only. */
  setToken(next: string | null): void {
    this.token = next && next.trim() ? next.trim() : null;
    if (this.token) sessionStorage.setItem(TOKEN_KEY, this.token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  hasToken(): boolean {
    return this.token !== null;
  }

  async getJson<T>(path: string): Promise<T> {
    const response = await fetch(this.url(path), {
      cache: 'no-store',
      headers: this.authHeaders(),
    });
    // From another machine without the operator's sign-in: the station's sign-in form.
    if (response.status === 401) location.assign(this.url(operationPath('signInPage')));
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { message?: string } | null;
      throw new Error(body?.message ?? `GET ${path} answered HTTP ${response.status}`);
    }
    return (await response.json()) as T;
  }

  async getBytes(path: string): Promise<Uint8Array | null> {
    const response = await fetch(this.url(path), {
      cache: 'no-store',
      headers: this.authHeaders(),
    });
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
  }

  async post(path: string, body?: unknown): Promise<ActionResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...this.authHeaders(),
    };
    let response: Response;
    try {
      response = await fetch(this.url(path), {
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

  /** The operator token typed or linked here, for scripts; a signed-in browser sends its cookie. */
  private authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}
