/**
 * createStation(options): the station core — camera server, pipelines,
 * metrics, logs and HTTP on one port — composed, started and drained. The
 * Electron shell and the headless CLI both run exactly this.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import type { ActionResult, StationEvent, StationInfo, StationSnapshot } from '../shared/contract';
import { CloseCode, STREAM_PATH } from '../shared/protocol';
import { lanAddresses, OriginPolicy } from './access';
import { resolveSettings, type StationSettings } from './config/settings';
import { parseRequestUrl } from './http/request-url';
import { createRouter, type StationApi } from './http/router';
import { findRendererDir } from './http/static-files';
import { createLogger } from './observe/logger';
import { createMetrics } from './observe/metrics';
import { createPipelineCatalog } from './pipeline/catalog';
import { jpegDecoder } from './pipeline/decode';
import { tuneSharpForFrames } from './pipeline/sharp-runtime';
import type { PipelineCatalog } from './pipeline/types';
import { CameraBook } from './streaming/camera-book';
import { CameraServer } from './streaming/camera-server';
import type { Session } from './streaming/session';
import { createSourceManager, type SourceResult } from './bridge/source-manager';
import { STATION_VERSION } from './version';

export interface StationOptions extends Partial<StationSettings> {
  /** JSON log lines to stdout (headless); off by default. */
  stdoutLogs?: boolean;
  /** Extra log destination (tests parse it). */
  logStream?: DestinationStream;
  /** Where the built dashboard is; found automatically when omitted. */
  rendererDir?: string | null;
  /** Replaces the file-based catalog (built-ins + <dataDir>/pipelines). */
  catalog?: PipelineCatalog;
}

/** Session updates reach observers at most this often per session. */
const EVENT_INTERVAL_MS = 250;
/** Running sources' counters (frames read, sent) reach observers once a second. */
const SOURCE_COUNTER_TICKS = 4;

export interface Station extends StationApi {
  readonly settings: StationSettings;
  readonly dataDir: string;
  start(): Promise<StationInfo>;
  stop(): Promise<void>;
}

export function createStation(options: StationOptions = {}): Station {
  const settings = resolveSettings(options);
  const dataDir = settings.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const { logger, close: closeLogs } = createLogger({
    level: settings.logLevel,
    logDir: join(dataDir, 'logs'),
    stdout: options.stdoutLogs ?? false,
    extra: options.logStream,
  });
  tuneSharpForFrames();
  const metrics = createMetrics(STATION_VERSION);
  const catalog =
    options.catalog ??
    createPipelineCatalog({ userDir: join(dataDir, 'pipelines'), dataDir, logger, metrics });
  let sourcesDirty = false;
  const sources = createSourceManager({
    dataDir,
    logger,
    stationUrl: () => {
      const wildcard = settings.host === '0.0.0.0' || settings.host === '::';
      const host = wildcard
        ? '127.0.0.1'
        : settings.host.includes(':')
          ? `[${settings.host}]`
          : settings.host;
      return `ws://${host}:${port}`;
    },
    ...(settings.token ? { token: settings.token } : {}),
    onChange: () => (sourcesDirty = true),
  });
  const cameras = new CameraBook(dataDir, logger, (cameraId) => metrics.forgetCamera(cameraId));
  const listeners = new Set<(event: StationEvent) => void>();
  const dirty = new Set<Session>();
  const startedAt = new Date();
  let server: Server | null = null;
  let cameraServer: CameraServer | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let draining = false;
  let port = settings.port;
  let unsubscribeCatalog: (() => void) | null = null;

  function emit(event: StationEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (err) {
        logger.error({ event: 'listener_error', error: (err as Error).message });
      }
    }
  }

  /** The technician's choice, else the configured one, else `inspect` (or `metadata`). */
  function defaultPipelineId(): string {
    const chosen = cameras.getDefaultPipeline() ?? settings.defaultPipeline;
    if (chosen && catalog.get(chosen)) return chosen;
    return catalog.get('inspect') ? 'inspect' : 'metadata';
  }

  function info(): StationInfo {
    const host = settings.host;
    const names =
      host === '0.0.0.0' || host === '::'
        ? ['127.0.0.1', ...lanAddresses()]
        : [host.includes(':') ? `[${host}]` : host];
    const local = names[0] ?? '127.0.0.1';
    return {
      version: STATION_VERSION,
      started_at: startedAt.toISOString(),
      host,
      port,
      camera_urls: names.map((n) => `ws://${n}:${port}${STREAM_PATH}`),
      metrics_url: `http://${local}:${port}/metrics`,
      dashboard_urls: names.map((n) => `http://${n}:${port}/`),
      token_required: settings.token !== null,
      default_pipeline: defaultPipelineId(),
      data_dir: dataDir,
      max_sessions: settings.maxSessions,
      draining,
    };
  }

  function snapshot(): StationSnapshot {
    return {
      station: info(),
      sessions: [...(cameraServer?.sessions.values() ?? [])].map((s) => s.info()),
      cameras: cameras.list(),
      pipelines: catalog.list(),
      pipeline_errors: catalog.errors(),
      sources: sources.list(),
    };
  }

  function findSession(sessionId: string): Session | undefined {
    return cameraServer?.sessions.get(sessionId);
  }

  const api: StationApi = {
    info,
    health: () => ({
      draining,
      version: STATION_VERSION,
      sessions: cameraServer?.sessions.size ?? 0,
    }),
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getThumbnail: (sessionId) => findSession(sessionId)?.thumbnail ?? null,
    switchPipeline(sessionId, pipelineId): ActionResult {
      const session = findSession(sessionId);
      if (!session)
        return { ok: false, code: 'unknown_session', message: `No connected session ${sessionId}` };
      const pipeline = catalog.get(pipelineId);
      if (!pipeline)
        return {
          ok: false,
          code: 'invalid_pipeline',
          message: `Unknown pipeline_id: ${pipelineId}`,
        };
      cameras.pin(session.cameraId, pipelineId);
      session.switchPipeline(pipeline, 'pinned');
      logger.info({
        event: 'pipeline_switched',
        session_id: sessionId,
        camera_id: session.cameraId,
        pipeline_id: pipelineId,
      });
      emit({ type: 'cameras_changed', cameras: cameras.list() });
      return { ok: true };
    },
    setDefaultPipeline(pipelineId): ActionResult {
      if (!catalog.get(pipelineId)) {
        return {
          ok: false,
          code: 'invalid_pipeline',
          message: `Unknown pipeline_id: ${pipelineId}`,
        };
      }
      cameras.setDefaultPipeline(pipelineId);
      logger.info({ event: 'default_pipeline_set', pipeline_id: pipelineId });
      emit({ type: 'station_changed', station: info() });
      return { ok: true };
    },
    disconnectCamera(sessionId): ActionResult {
      const session = findSession(sessionId);
      if (!session)
        return { ok: false, code: 'unknown_session', message: `No connected session ${sessionId}` };
      void session.close(CloseCode.disconnectedByTechnician, 'disconnected_by_technician');
      return { ok: true };
    },
    dismissCamera(cameraId): ActionResult {
      if (!cameras.has(cameraId))
        return {
          ok: false,
          code: 'unknown_camera',
          message: `No camera ${cameraId} is remembered`,
        };
      if (!cameras.dismiss(cameraId)) {
        return {
          ok: false,
          code: 'invalid_argument',
          message: `Camera ${cameraId} is connected; disconnect it first`,
        };
      }
      emit({ type: 'cameras_changed', cameras: cameras.list() });
      return { ok: true };
    },
    addSource(input): ActionResult & { id?: string } {
      const pipelineId = input.pipeline_id;
      if (pipelineId && !catalog.get(pipelineId)) {
        return {
          ok: false,
          code: 'invalid_pipeline',
          message: `Unknown pipeline_id: ${pipelineId}`,
        };
      }
      const result = sources.add(input);
      if (!result.ok) return sourceFailure(result);
      emit({ type: 'sources_changed', sources: sources.list() });
      return { ok: true, id: result.value.id };
    },
    async removeSource(sourceId) {
      const result = await sources.remove(sourceId);
      if (!result.ok) return sourceFailure(result);
      emit({ type: 'sources_changed', sources: sources.list() });
      return { ok: true };
    },
    async enableSource(sourceId, enabled) {
      const result = await sources.setEnabled(sourceId, enabled);
      if (!result.ok) return sourceFailure(result);
      emit({ type: 'sources_changed', sources: sources.list() });
      return { ok: true };
    },
    async metricsText() {
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  };

  async function start(): Promise<StationInfo> {
    await catalog.start();
    logger.info({
      event: 'default_pipeline',
      pipeline_id: defaultPipelineId(),
      chosen_by: cameras.getDefaultPipeline()
        ? 'window'
        : settings.defaultPipeline
          ? 'setting'
          : 'built-in default',
    });
    if (settings.defaultPipeline && !catalog.get(settings.defaultPipeline)) {
      logger.warn({
        event: 'default_pipeline_unknown',
        pipeline_id: settings.defaultPipeline,
        using: defaultPipelineId(),
      });
    }
    unsubscribeCatalog = catalog.onChange(() =>
      emit({
        type: 'pipelines_changed',
        pipelines: catalog.list(),
        pipeline_errors: catalog.errors(),
      }),
    );
    const rendererDir =
      options.rendererDir !== undefined
        ? options.rendererDir
        : findRendererDir([
            join(__dirname, '..', 'renderer'),
            join(__dirname, '..', '..', 'renderer'),
            join(process.cwd(), 'out', 'renderer'),
          ]);
    const httpServer = createServer();
    server = httpServer;
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(settings.port, settings.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    port = (httpServer.address() as AddressInfo).port;
    const origins = new OriginPolicy(port, settings.allowedOrigins);
    const camerasServer = new CameraServer({
      limits: settings,
      pipelineSlots: settings.pipelineSlots ?? availableParallelism() + 1,
      maxSessions: settings.maxSessions,
      heartbeatMs: settings.heartbeatMs,
      token: settings.token,
      origins,
      catalog,
      cameras,
      metrics,
      logger,
      defaultPipelineId,
      onSessionOpened: (s) => {
        emit({ type: 'session_opened', session: s.info() });
        emit({ type: 'cameras_changed', cameras: cameras.list() });
      },
      onSessionChanged: (s) => dirty.add(s),
      onSessionClosed: (s) => {
        dirty.delete(s);
        emit({
          type: 'session_closed',
          session: s.info(),
          code: s.closeCode ?? 1006,
          reason: s.closeReason ?? '',
        });
        emit({ type: 'cameras_changed', cameras: cameras.list() });
      },
    });
    cameraServer = camerasServer;
    camerasServer.start();
    const router = createRouter({
      station: api,
      origins,
      token: settings.token,
      rendererDir,
      logger,
    });
    httpServer.on('request', router);
    httpServer.on('upgrade', (req, socket, head: Buffer) => {
      const url = parseRequestUrl(req.url);
      if (!url) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      } else if (!camerasServer.handleUpgrade(req, socket, head, url)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
    });
    httpServer.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    // Slow or half-open requests must not pin sockets forever.
    httpServer.headersTimeout = 10_000;
    httpServer.requestTimeout = 30_000;

    let ticks = 0;
    ticker = setInterval(() => {
      camerasServer.tick(Date.now());
      for (const session of dirty) emit({ type: 'session_updated', session: session.info() });
      dirty.clear();
      // Sources report state changes at once, and their counters once a second.
      const sourceList = sourcesDirty || ++ticks % SOURCE_COUNTER_TICKS === 0 ? sources.list() : [];
      if (sourcesDirty || sourceList.some((s) => s.enabled)) {
        sourcesDirty = false;
        emit({ type: 'sources_changed', sources: sourceList });
      }
    }, EVENT_INTERVAL_MS);
    ticker.unref();

    sources.start();
    const listening = info();
    logger.info({
      event: 'station_listening',
      port,
      host: settings.host,
      urls: listening.camera_urls,
    });
    const decoder = jpegDecoder();
    logger.info({ event: 'jpeg_decoder', decoder: decoder.name, reason: decoder.reason });
    return listening;
  }

  let stopping: Promise<void> | null = null;
  function stop(): Promise<void> {
    stopping ??= drainAndClose();
    return stopping;
  }

  async function drainAndClose(): Promise<void> {
    draining = true;
    emit({ type: 'station_changed', station: info() });
    await cameraServer?.drain();
    await sources.stop();
    if (ticker) clearInterval(ticker);
    unsubscribeCatalog?.();
    cameras.saveNow();
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    await catalog.stop();
    logger.info({ event: 'station_stopped' });
    await closeLogs();
  }

  return { ...api, settings, dataDir, start, stop };
}

/** The source manager's refusals in the window's action codes. */
function sourceFailure(result: Extract<SourceResult<unknown>, { ok: false }>): ActionResult {
  const code = result.code === 'unknown_source' ? 'unknown_source' : 'invalid_argument';
  return { ok: false, code, message: result.message };
}
