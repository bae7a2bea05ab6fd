/**
 * Browser sign-in with the operator token: a plain form (no script, so the
 * dashboard's strict CSP is untouched), a POST that checks the token and sets
 * an HttpOnly, SameSite=Strict cookie holding a random session id, and sign-out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { tokenMatches } from '../access';
import { bodyFormatOf, readBody, RequestError, sendError, sendJson } from './respond';
import {
  SESSION_COOKIE,
  SIGN_IN_TTL_MS,
  sessionCookie,
  type Secrets,
  type SignIns,
} from './operator-access';
import type { HttpContext } from './router';
import { operations } from '../../shared/operations';

/** A token and little else: a sign-in body larger than this is refused (413). */
const MAX_BODY = 4096;

type Fields = Record<string, unknown>;

function page(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; form-action 'self'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Foregsyte Station</title><link rel="stylesheet" href="/theme.css"></head>
<body><main><h1>Sign in to the station</h1>
<p>${message}</p>
<form method="post" action="${operations.signIn.http.path}">
<label>Operator token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button>
</form></main></body></html>
`;
}

function sendPage(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
  });
  res.end(page(message));
}

/** The token of a form (`token=…`) or JSON (`{"token":"…"}`) body; null when it holds none. */
async function readToken(req: IncomingMessage): Promise<string | null> {
  const { fields } = await readBody(req, ['form', 'json'], MAX_BODY);
  const token = typeof fields === 'object' && fields !== null ? (fields as Fields).token : null;
  return typeof token === 'string' ? token : null;
}

export function signInHandlers(secrets: Secrets, signIns: SignIns, logger: Logger) {
  const isForm = (req: IncomingMessage) => bodyFormatOf(req) === 'form';
  return {
    signInPage({ res }: HttpContext) {
      if (!secrets.operatorToken) {
        return sendPage(
          res,
          200,
          'This station has no operator token (STATION_ADMIN_TOKEN): it is run from this machine only.',
        );
      }
      sendPage(res, 200, 'Reading and acting from another machine needs the operator token.');
    },
    async signIn({ req, res }: HttpContext): Promise<void> {
      let token: string | null;
      try {
        token = await readToken(req);
      } catch (err) {
        // A form is answered with the page (the browser shows it), JSON by the router.
        if (err instanceof RequestError && isForm(req))
          return sendPage(res, err.status, err.message);
        throw err;
      }
      const operator = secrets.operatorToken;
      const remote = req.socket.remoteAddress;
      if (!operator || !tokenMatches(operator, token)) {
        logger.warn({ event: 'sign_in_refused', remote });
        if (isForm(req)) return sendPage(res, 401, 'That is not the operator token. Try again.');
        return sendError(res, 401, 'sign_in_required', 'That is not the operator token');
      }
      const cookie = `${SESSION_COOKIE}=${signIns.create()}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SIGN_IN_TTL_MS / 1000}`;
      logger.info({ event: 'signed_in', remote });
      if (isForm(req)) {
        res.writeHead(303, { 'Set-Cookie': cookie, Location: '/', 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      res.setHeader('Set-Cookie', cookie);
      sendJson(res, 200, { ok: true });
    },
    signOut({ req, res }: HttpContext) {
      signIns.end(sessionCookie(req));
      res.setHeader(
        'Set-Cookie',
        `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`,
      );
      sendJson(res, 200, { ok: true });
    },
  };
}
