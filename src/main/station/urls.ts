/**
 * The station's own addresses: what cameras, browsers and Prometheus should
 * use, and the loopback address the station's own sources reach it on. A
 * wildcard bind (0.0.0.0, ::) is listed as loopback plus each LAN address.
 */
import { operationPath } from '../../shared/operations';
import { STREAM_PATH } from '../../shared/protocol';
import { lanAddresses } from '../access';

export interface StationUrls {
  camera_urls: string[];
  metrics_url: string;
  dashboard_urls: string[];
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** A host as it goes in a URL: IPv6 literals in brackets. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The names a peer can reach the station by, loopback first for a wildcard bind. */
function reachableNames(host: string): string[] {
  return isWildcard(host) ? ['127.0.0.1', ...lanAddresses()] : [urlHost(host)];
}

export function stationUrls(host: string, port: number): StationUrls {
  const names = reachableNames(host);
  const local = names[0] ?? '127.0.0.1';
  return {
    camera_urls: names.map((n) => `ws://${n}:${port}${STREAM_PATH}`),
    metrics_url: `http://${local}:${port}${operationPath('metrics')}`,
    dashboard_urls: names.map((n) => `http://${n}:${port}/`),
  };
}

/** ws://HOST:PORT the station's own sources connect to (loopback for a wildcard bind). */
export function selfLinkUrl(host: string, port: number): string {
  return `ws://${isWildcard(host) ? '127.0.0.1' : urlHost(host)}:${port}`;
}
