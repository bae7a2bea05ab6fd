/**
 * The links a station puts in its status: from STATION_ADVERTISE_URL when
 * set, else the address it listens on (its first LAN address for a wildcard
 * bind: loopback is no use to a peer on another machine).
 */
import { STREAM_PATH } from '../../shared/protocol';

export interface Advertised {
  cameraUrl: string;
  dashboardUrl: string;
}

export function advertisedLinks(
  advertiseUrl: string | null,
  host: string,
  port: number,
  lan: readonly string[],
): Advertised {
  let base: URL;
  if (advertiseUrl !== null) {
    base = new URL(advertiseUrl);
  } else {
    const wildcard = host === '0.0.0.0' || host === '::';
    const name = wildcard ? (lan[0] ?? '127.0.0.1') : host.includes(':') ? `[${host}]` : host;
    base = new URL(`http://${name}:${port}`);
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const camera = new URL(base.href);
  camera.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  camera.pathname = `${prefix}${STREAM_PATH}`;
  camera.search = '';
  camera.hash = '';
  const dashboard = new URL(base.href);
  dashboard.pathname = `${prefix}/`;
  dashboard.search = '';
  dashboard.hash = '';
  return { cameraUrl: camera.toString(), dashboardUrl: dashboard.toString() };
}
