/** The desktop app's preload bridge when present, else the HTTP bridge of a browser. */
import type { StationBridge } from '../../../shared/contract';
import { createHttpBridge, type HttpBridge } from './http-bridge';

export function pickBridge(): StationBridge {
  return window.station ?? createHttpBridge();
}

export function isHttpBridge(bridge: StationBridge): bridge is HttpBridge {
  return bridge.kind === 'http';
}
