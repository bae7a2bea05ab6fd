/**
 * HTTP on the camera port: /metrics, /healthz, the JSON API the dashboard's
 * HTTP bridge uses, its event stream, and the built dashboard itself. Routes,
 * arguments and who may call them come from the operation table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ActionResult, OperationResult, StationApi } from '../../shared/contract';
import {
  operationSpec,
  type CoreOperation,
  type CustomHttpOperation,
  type HttpOnlyOperation,
  type ReplyType,
  operationPath,
} from '../../shared/operations';
import { presentedTokens, tokenMatches, type OriginPolicy } from '../access';
import type { RecordingBrowser } from '../recordings/browse';
import { recordingHandlers } from '../recordings/routes';
import { callCore } from '../station/core-calls';
import { httpStatusOf, type StationErrorCode } from '../../shared/errors';
import { EventStreams, type EventStreamLimits } from './event-stream';
import { RequestError, readJsonBody, sendError, sendJson } from './respond';
import { parseRequestUrl } from './request-url';
import {
  checkArgs,
  checkPathArgs,
  hasRestArgs,
  matchRoute,
  type PathValues,
  type RouteMatch,
} from './routes';
import { RefusalLog } from '../streaming/refusal-log';
import { decideAccess, SignIns, type Secrets } from './operator-access';
import { signInHandlers } from './sign-in';
import { serveStatic } from './static-files';

/** What the HTTP layer needs of the station: the contract's API and the recorded files. */
export interface HttpStationApi extends StationApi {
  /** For the routes that stream files (frames, exports). */
  recordingBrowser(): RecordingBrowser;
}

export interface RouterOptions {
  station: HttpStationApi;
  origins: OriginPolicy;
  secrets: Secrets;
  eventLimits: EventStreamLimits;
  rendererDir: string | null;
  logger: Logger;
}

export interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}

export type CustomHandlers = {
  [K in CustomHttpOperation]: (ctx: HttpContext, params: PathValues<K>) => Promise<void> | void;
};

/** The HTTP-only lists: their values, from the station's views. */
type ListHandlers = {
  [K in Exclude<HttpOnlyOperation, CustomHttpOperation>]: () => ReplyType<K>;
};

/** A refusal with its code's status from the registry (src/shared/errors.ts). */
function refuse(res: ServerResponse, code: StationErrorCode, message: string): void {
  sendError(res, httpStatusOf(code), code, message);
}

function sendBytes(res: ServerResponse, jpeg: Uint8Array): void {
  res.writeHead(200, {
    'Content-Type': 'image/jpeg',
    'Content-Length': jpeg.length,
    'Cache-Control': 'no-store',
  });
  res.end(jpeg);
}

/** Sends what the core answered, by the operation's kind of reply. */
function sendCoreAnswer(res: ServerResponse, name: CoreOperation, answer: unknown): void {
  switch (operationSpec(name).reply.kind) {
    case 'action': {
      const done = answer as ActionResult;
      return sendJson(res, done.ok ? 200 : httpStatusOf(done.code), done);
    }
    case 'result': {
      const found = answer as OperationResult<unknown>;
      if (!found.ok) return refuse(res, found.code, found.message);
      return sendJson(res, 200, found.value);
    }
    case 'bytes':
      if (answer) return sendBytes(res, answer as Uint8Array);
      return refuse(
        res,
        'no_thumbnail',
        'This session has no thumbnail (its pipeline makes none yet)',
      );
    default:
      return sendJson(res, 200, answer);
  }
}

/** Routes for machines (Prometheus, health checks), not browsers: never Host-checked. */
const HOST_EXEMPT = new Set([operationPath('metrics'), operationPath('healthz')]);

/** The HTTP-only lists, read from the station's snapshot. */
function listHandlers(station: HttpStationApi): ListHandlers {
  return {
    listSessions: () => station.snapshot().sessions,
    listCameras: () => station.snapshot().cameras,
    listPipelines: () => station.snapshot().pipelines,
    listPipelineErrors: () => station.snapshot().pipeline_errors,
    listSources: () => station.snapshot().sources,
    getFleet: () => station.fleet(),
  };
}

/** /metrics, behind the metrics token when there is one. */
async function serveMetrics(station: HttpStationApi, secrets: Secrets, ctx: HttpContext) {
  const { req, res, url } = ctx;
  const required = secrets.metricsToken;
  if (required && !presentedTokens(req, url).some((t) => tokenMatches(required, t))) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return refuse(
      res,
      'metrics_token_required',
      'Send Authorization: Bearer STATION_METRICS_TOKEN',
    );
  }
  const { contentType, body } = await station.metricsText();
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** /healthz: 200 while serving, 503 while draining. */
function serveHealth(station: HttpStationApi, res: ServerResponse): void {
  const health = station.health();
  sendJson(res, health.draining ? 503 : 200, {
    status: health.draining ? 'draining' : 'ok',
    version: health.version,
    sessions: health.sessions,
    ...(health.mqtt ? { mqtt: health.mqtt } : {}),
  });
}

/** The built dashboard's files; anything else a GET asks for is not found. */
function serveDashboard(res: ServerResponse, path: string, root: string | null): void {
  if (path.startsWith('/api/')) return refuse(res, 'not_found', `No resource at ${path}`);
  if (root) {
    const file = path === '/' ? '/index.html' : path === '/camera' ? '/camera.html' : path;
    if (serveStatic(res, root, file)) return;
  } else if (path === '/') {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(
      'The dashboard is not built. Run `npm run build` (or `npm run headless`, which builds it).\n',
    );
    return;
  }
  refuse(res, 'not_found', `Nothing at ${path}`);
}

export function createRouter(options: RouterOptions) {
  const router = new Router(options);
  return function handle(req: IncomingMessage, res: ServerResponse): void {
    router.handle(req, res);
  };
}

class Router {
  private readonly station: HttpStationApi;
  private readonly logger: Logger;
  private readonly refusals: RefusalLog;
  private readonly signIns = new SignIns();
  private readonly lists: ListHandlers;
  private readonly custom: CustomHandlers;

  constructor(private readonly options: RouterOptions) {
    const { station, secrets, logger } = options;
    this.station = station;
    this.logger = logger;
    this.refusals = new RefusalLog(logger);
    const eventStreams = new EventStreams(
      (listener) => station.subscribe(listener),
      options.eventLimits,
      (remote, reason) =>
        this.refusals.warn(`too_many_streams ${remote}`, {
          event: 'http_refused',
          code: 'too_many_streams',
          remote,
          detail: reason,
        }),
    );
    this.lists = listHandlers(station);
    this.custom = {
      metrics: (ctx) => serveMetrics(station, secrets, ctx),
      healthz: ({ res }) => serveHealth(station, res),
      events: ({ req, res }) => eventStreams.open(req, res),
      ...recordingHandlers(station, logger),
      ...signInHandlers(secrets, this.signIns, logger),
    };
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = parseRequestUrl(req.url);
    if (!url) return refuse(res, 'invalid_argument', 'Malformed request target');
    this.route({ req, res, url }).catch((err: unknown) => {
      if (err instanceof RequestError)
        return sendError(res, err.status, 'invalid_argument', err.message);
      this.logger.error({ event: 'http_error', path: url.pathname, error: (err as Error).message });
      if (!res.headersSent) refuse(res, 'internal', 'Internal error; see the station log');
      else res.destroy();
    });
  }

  private async route(ctx: HttpContext): Promise<void> {
    const { req, res, url } = ctx;
    const path = url.pathname;
    // First of all checks: a page on a rebinding name must not read or act (machines' routes exempt).
    if (!HOST_EXEMPT.has(path) && !this.options.origins.isOwnHostName(req.headers.host)) {
      return this.refuseUnknownHost(ctx);
    }
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (!isGet && !(req.method === 'POST' && path.startsWith('/api/'))) {
      return refuse(res, 'method_not_allowed', `${req.method} is not supported here`);
    }
    const match = matchRoute(isGet ? 'GET' : 'POST', path);
    // An unknown POST is refused like an action: nothing about the path is told to a stranger.
    const role = match ? operationSpec(match.name).role : isGet ? 'public' : 'operator';
    const { origins, secrets } = this.options;
    const access = decideAccess(req, url, role, origins, secrets, this.signIns);
    const remote = req.socket.remoteAddress;
    if (!access.ok) {
      this.refusals.warn(`${access.code} ${remote}`, {
        event: 'http_refused',
        code: access.code,
        remote,
        path: path.slice(0, 256),
      });
      return refuse(res, access.code, access.reason);
    }
    if (match && !isGet && role !== 'public') {
      this.logger.info({ event: 'http_action', operation: match.name, remote, via: access.proof });
    }
    if (match) return this.runOperation(ctx, match);
    if (!isGet) return refuse(res, 'not_found', `No action at ${path}`);
    serveDashboard(res, path, this.options.rendererDir);
  }

  private refuseUnknownHost({ req, res, url }: HttpContext): void {
    const host = String(req.headers.host ?? '');
    this.refusals.warn(`unknown_host ${req.socket.remoteAddress}`, {
      event: 'http_refused',
      code: 'unknown_host',
      remote: req.socket.remoteAddress,
      host: host.slice(0, 256),
      path: url.pathname.slice(0, 256),
    });
    refuse(
      res,
      'unknown_host',
      `This station is not known by the name ${String(req.headers.host ?? '(none)').slice(0, 256)}; if it is a real name of this station, add it to STATION_ALLOWED_HOSTS`,
    );
  }

  /** A matched operation: custom handlers, the lists, or the core by the table. */
  private async runOperation(ctx: HttpContext, match: RouteMatch): Promise<void> {
    const { req, res } = ctx;
    const name = match.name;
    if (name in this.custom) {
      const checked = checkPathArgs(match);
      if (!checked.ok) return refuse(res, 'invalid_argument', checked.message);
      const handler = this.custom[name as CustomHttpOperation] as (
        ctx: HttpContext,
        params: unknown,
      ) => Promise<void> | void;
      return handler(ctx, checked.values);
    }
    if (name in this.lists) return sendJson(res, 200, this.lists[name as keyof ListHandlers]());
    const body = hasRestArgs(name) ? await readJsonBody(req) : undefined;
    const checked = checkArgs(match, body);
    if (!checked.ok) return refuse(res, 'invalid_argument', checked.message);
    const core = name as CoreOperation;
    sendCoreAnswer(res, core, await callCore(this.station, core, checked.args));
  }
}
