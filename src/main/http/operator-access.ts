/**
 * Who may call an operation over HTTP (docs/security.md, Two roles): the
 * operator (this machine, the operator token, or a browser signed in with it),
 * cameras (the camera token, for what the camera page reads), anyone (machine
 * routes). The camera token never authorises an action.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Role } from '../../shared/operations';
import { operatorToken, type AccessSettings } from '../config/access-settings';
import { LOCAL_ADDRESSES, presentedTokens, tokenMatches, type OriginPolicy } from '../access';

export const SESSION_COOKIE = 'station_session';
/** A browser sign-in lasts this long, then the operator signs in again. */
export const SIGN_IN_TTL_MS = 12 * 60 * 60 * 1000;
/** Signed-in browsers remembered at most; the oldest sign-in goes first. */
const MAX_SIGN_INS = 64;

export interface Secrets {
  cameraToken: string | null;
  operatorToken: string | null;
  /** Bearer token `/metrics` requires, if any (a third secret, for Prometheus alone). */
  metricsToken?: string | null;
}

/** The two secrets from the settings; warns when only the camera token is set. */
export function stationSecrets(
  settings: AccessSettings & { token: string | null },
  logger: Logger,
): Secrets {
  const secrets = {
    cameraToken: settings.token,
    operatorToken: operatorToken(settings),
    metricsToken: settings.metricsToken,
  };
  if (secrets.cameraToken && !secrets.operatorToken) {
    // Before, the camera token also let other machines act; now it is the cameras' alone.
    logger.warn({
      event: 'operator_token_missing',
      detail:
        'STATION_TOKEN is set but STATION_ADMIN_TOKEN is not: reads and actions from other machines are refused (the camera token no longer authorises them); set STATION_ADMIN_TOKEN or STATION_ADMIN_TOKEN_FILE to allow them (docs/security.md)',
    });
  }
  return secrets;
}

/** How the caller proved who it is, for the log of actions. */
export type CallerProof = 'loopback' | 'operator_token' | 'signed_in' | 'camera_token' | 'none';

export type AccessDecision =
  | { ok: true; proof: CallerProof }
  | { ok: false; code: 'forbidden' | 'sign_in_required'; reason: string };

/** Browser sign-ins: random session ids, never the token itself, kept in memory. */
export class SignIns {
  private readonly sessions = new Map<string, number>(); // id → expires at

  create(now = Date.now()): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, now + SIGN_IN_TTL_MS);
    if (this.sessions.size > MAX_SIGN_INS) {
      this.sessions.delete(this.sessions.keys().next().value as string);
    }
    return id;
  }

  valid(id: string | null, now = Date.now()): boolean {
    if (!id) return false;
    const expires = this.sessions.get(id);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.sessions.delete(id);
    return false;
  }

  end(id: string | null): void {
    if (id) this.sessions.delete(id);
  }
}

/** The session id of the sign-in cookie, if the request carries one. */
export function sessionCookie(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || null;
  }
  return null;
}

/** This machine itself: loopback, and not relayed by a proxy on it (which would make every LAN peer local). */
function isLocalCaller(req: IncomingMessage): boolean {
  return (
    LOCAL_ADDRESSES.has(req.socket.remoteAddress ?? '') &&
    req.headers['x-forwarded-for'] === undefined &&
    req.headers.forwarded === undefined
  );
}

/** Decides one HTTP request for an operation of `role`. */
export function decideAccess(
  req: IncomingMessage,
  url: URL,
  role: Role,
  policy: OriginPolicy,
  secrets: Secrets,
  signIns: SignIns,
): AccessDecision {
  const origin = req.headers.origin;
  if (req.method === 'POST' && origin !== undefined && !policy.isOwnOrigin(origin)) {
    return {
      ok: false,
      code: 'forbidden',
      reason: `Requests from the web page at ${origin.slice(0, 256)} may not act on the station`,
    };
  }
  if (role === 'public') return { ok: true, proof: 'none' };
  if (isLocalCaller(req)) return { ok: true, proof: 'loopback' };
  const given = presentedTokens(req, url);
  const operator = secrets.operatorToken;
  if (operator && given.some((t) => tokenMatches(operator, t))) {
    return { ok: true, proof: 'operator_token' };
  }
  if (operator && signIns.valid(sessionCookie(req))) return { ok: true, proof: 'signed_in' };
  if (role === 'camera') {
    const camera = secrets.cameraToken;
    if (camera === null) return { ok: true, proof: 'none' };
    if (given.some((t) => tokenMatches(camera, t))) return { ok: true, proof: 'camera_token' };
  }
  return {
    ok: false,
    code: 'sign_in_required',
    reason: operator
      ? 'Reads and actions from another machine need the operator token: sign in at /sign-in, or send Authorization: Bearer OPERATOR_TOKEN'
      : 'Reads and actions are only accepted from this machine; set STATION_ADMIN_TOKEN to allow other machines',
  };
}
