import { STREAM_PATH } from '../../shared/protocol';

export interface StreamUrlParts {
  /** ws://HOST:PORT, with or without the stream path. http(s):// is turned into ws(s)://. */
  url: string;
  pipelineId?: string;
  cameraId?: string;
  token?: string;
}

/** The camera endpoint URL with its query: pipeline_id, camera_id, token. */
export function buildStreamUrl({ url, pipelineId, cameraId, token }: StreamUrlParts): string {
  const parsed = new URL(url.includes('://') ? url : `ws://${url}`);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`url must start with ws:// or wss:// (got ${url})`);
  }
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = STREAM_PATH;
  if (pipelineId) parsed.searchParams.set('pipeline_id', pipelineId);
  if (cameraId) parsed.searchParams.set('camera_id', cameraId);
  if (token) parsed.searchParams.set('token', token);
  return parsed.toString();
}

/** The station's HTTP base (http://HOST:PORT) for a camera URL, for /healthz and /metrics. */
export function httpBaseOf(url: string): string {
  const parsed = new URL(url.includes('://') ? url : `ws://${url}`);
  const protocol = parsed.protocol === 'wss:' || parsed.protocol === 'https:' ? 'https:' : 'http:';
  return `${protocol}//${parsed.host}`;
}
