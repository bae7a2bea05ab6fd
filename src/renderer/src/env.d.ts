/// <reference types="vite/client" />
import type { StationBridge } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the desktop app's preload; absent in a browser. */
    readonly station?: StationBridge;
  }
}

export {};
