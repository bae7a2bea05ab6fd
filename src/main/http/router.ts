/**
 * HTTP on the camera port: /metrics, /healthz, the JSON API the dashboard's
 * HTTP bridge uses, its event stream, and the built dashboard itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import type {
  ActionResult,
  NewSource,
  StationEvent,
  StationInfo,
  StationSnapshot,
} from '../../shared/contract';
import type { FleetSnapshot, MqttState } from '../../shared/fleet';
import { checkActionAccess, type OriginPolicy } from '../access';
import { handleReviewGet, handleReviewPost, type ReviewApi } from '../recordings/routes';
import { openEventStream } from './event-stream';
import { RequestError, readJsonBody, sendError, sendJson } from './respond';
import { decodeSegment, parseRequestUrl } from './request-url';
import { serveStatic } from './static-files';

/** What the HTTP layer needs of the station. */
export interface StationApi extends ReviewApi {
  info(): StationInfo;
  /** Cheap: /healthz must answer fast under load. */
  health(): { draining: boolean; version: string; sessions: number; mqtt?: MqttState };
  /** The lab's stations on the same broker (docs/fleet.md). */
  fleet(): FleetSnapshot;
  snapshot(): StationSnapshot;
  subscribe(listener: (event: StationEvent) => void): () => void;
  getThumbnail(sessionId: string): Buffer | null;
  switchPipeline(sessionId: string, pipelineId: string): ActionResult;
  setDefaultPipeline(pipelineId: string): ActionResult;
  disconnectCamera(sessionId: string): ActionResult;
  dismissCamera(cameraId: string): ActionResult;
  addSource(input: NewSource): ActionResult & { id?: string };
  removeSource(sourceId: string): Promise<ActionResult>;
  enableSource(sourceId: string, enabled: boolean): Promise<ActionResult>;
  metricsText(): Promise<{ contentType: string; body: string }>;
}

export interface RouterOptions {
  station: StationApi;
  origins: OriginPolicy;
  token: string | null;
  rendererDir: string | null;
  logger: Logger;
}

const PipelineBody = z.object({ pipeline_id: z.string().min(1).max(200) });
const EnabledBody = z.object({ enabled: z.boolean() });
const SourceBody = z.object({
  url: z.string().max(2048),
  camera_id: z.string().max(64),
  pipeline_id: z.string().max(200).nullable().optional(),
  fps: z.number().nullable().optional(),
});

/** A path parameter; a malformed percent-escape answers 400. */
function param(match: RegExpMatchArray): string {
  const value = decodeSegment(match[1]!);
  if (value === null) throw new RequestError(400, 'Malformed percent-escape in the path');
  return value;
}

const ACTION_STATUS: Record<string, number> = {
  unknown_session: 404,
  unknown_camera: 404,
  unknown_source: 404,
  invalid_pipeline: 400,
  invalid_argument: 400,
  forbidden: 403,
  not_available: 501,
  internal: 500,
};

function sendAction(res: ServerResponse, result: ActionResult): void {
  sendJson(res, result.ok ? 200 : (ACTION_STATUS[result.code] ?? 400), result);
}

export function createRouter(options: RouterOptions) {
  const { station, origins, token, logger } = options;

  async function handlePost(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const access = checkActionAccess(req, url, origins, token);
    if (!access.ok) return sendError(res, 403, 'forbidden', access.reason);
    const path = url.pathname;
    let match: RegExpMatchArray | null;
    if (path === '/api/default-pipeline') {
      const body = PipelineBody.safeParse(await readJsonBody(req));
      if (!body.success)
        return sendError(res, 400, 'invalid_argument', 'Body must be {"pipeline_id": "..."}');
      return sendAction(res, station.setDefaultPipeline(body.data.pipeline_id));
    }
    if ((match = path.match(/^\/api\/sessions\/([^/]+)\/pipeline$/))) {
      const body = PipelineBody.safeParse(await readJsonBody(req));
      if (!body.success)
        return sendError(res, 400, 'invalid_argument', 'Body must be {"pipeline_id": "..."}');
      return sendAction(res, station.switchPipeline(param(match), body.data.pipeline_id));
    }
    if ((match = path.match(/^\/api\/sessions\/([^/]+)\/disconnect$/))) {
      return sendAction(res, station.disconnectCamera(param(match)));
    }
    if (path === '/api/sources') {
      const body = SourceBody.safeParse(await readJsonBody(req));
      if (!body.success) {
        return sendError(
          res,
          400,
          'invalid_argument',
          'Body must be {"url": "...", "camera_id": "...", "pipeline_id"?: "...", "fps"?: N}',
        );
      }
      return sendAction(res, station.addSource(body.data));
    }
    if ((match = path.match(/^\/api\/sources\/([^/]+)\/remove$/))) {
      return sendAction(res, await station.removeSource(param(match)));
    }
    if ((match = path.match(/^\/api\/sources\/([^/]+)\/enabled$/))) {
      const body = EnabledBody.safeParse(await readJsonBody(req));
      if (!body.success)
        return sendError(res, 400, 'invalid_argument', 'Body must be {"enabled": true|false}');
      return sendAction(res, await station.enableSource(param(match), body.data.enabled));
    }
    if ((match = path.match(/^\/api\/cameras\/([^/]+)\/dismiss$/))) {
      return sendAction(res, station.dismissCamera(param(match)));
    }
    if (await handleReviewPost(res, url, station)) return;
    sendError(res, 404, 'not_found', `No action at ${path}`);
  }

  async function handleGet(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    switch (path) {
      case '/metrics': {
        const { contentType, body } = await station.metricsText();
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
        res.end(body);
        return;
      }
      case '/healthz': {
        const health = station.health();
        return sendJson(res, health.draining ? 503 : 200, {
          status: health.draining ? 'draining' : 'ok',
          version: health.version,
          sessions: health.sessions,
          ...(health.mqtt ? { mqtt: health.mqtt } : {}),
        });
      }
      case '/api/snapshot':
        return sendJson(res, 200, station.snapshot());
      case '/api/sessions':
        return sendJson(res, 200, station.snapshot().sessions);
      case '/api/cameras':
        return sendJson(res, 200, station.snapshot().cameras);
      case '/api/pipelines':
        return sendJson(res, 200, station.snapshot().pipelines);
      case '/api/pipelines/errors':
        return sendJson(res, 200, station.snapshot().pipeline_errors);
      case '/api/sources':
        return sendJson(res, 200, station.snapshot().sources);
      case '/api/fleet':
        return sendJson(res, 200, station.fleet());
      case '/api/events':
        return openEventStream(req, res, (listener) => station.subscribe(listener));
    }
    const thumb = path.match(/^\/api\/sessions\/([^/]+)\/thumbnail\.jpg$/);
    if (thumb) {
      const jpeg = station.getThumbnail(param(thumb));
      if (!jpeg)
        return sendError(
          res,
          404,
          'no_thumbnail',
          'This session has no thumbnail (its pipeline makes none yet)',
        );
      res.writeHead(200, {
        'Content-Type': 'image/jpeg',
        'Content-Length': jpeg.length,
        'Cache-Control': 'no-store',
      });
      res.end(jpeg);
      return;
    }
    if (await handleReviewGet(req, res, url, station, logger)) return;
    if (path.startsWith('/api/')) return sendError(res, 404, 'not_found', `No resource at ${path}`);
    const root = options.rendererDir;
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
    sendError(res, 404, 'not_found', `Nothing at ${path}`);
  }

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = parseRequestUrl(req.url);
    if (!url) return sendError(res, 400, 'invalid_argument', 'Malformed request target');
    const work =
      req.method === 'GET' || req.method === 'HEAD'
        ? handleGet(req, res, url)
        : req.method === 'POST' && url.pathname.startsWith('/api/')
          ? handlePost(req, res, url)
          : Promise.resolve(
              sendError(res, 405, 'method_not_allowed', `${req.method} is not supported here`),
            );
    work.catch((err: unknown) => {
      if (err instanceof RequestError)
        return sendError(res, err.status, 'invalid_argument', err.message);
      logger.error({ event: 'http_error', path: url.pathname, error: (err as Error).message });
      if (!res.headersSent) sendError(res, 500, 'internal', 'Internal error; see the station log');
      else res.destroy();
    });
  };
}
