/** What a scenario declares, and what running one yields. */
import type { LatencySummary } from '../../src/main/sim/latency-histogram';

export interface Scenario {
  id: string;
  title: string;
  cameras: number;
  /** Per camera, open loop. Ignored in closed loop. */
  fps: number;
  closedLoop: boolean;
  /** Per-camera changes by position: e.g. camera 0 at 2 fps among flooding ones. */
  overrides?: { fps?: number; closedLoop?: boolean }[];
  /** Camera positions reported on their own (the quiet camera beside the flood). */
  watch?: number[];
  /** What is asked of it, in words, for the table. */
  target: string;
  /** Environment of the station for this scenario (e.g. STATION_DECODER=sharp). */
  env?: Record<string, string>;
  /** The station publishes to a Mosquitto on loopback that the run starts (STATION_MQTT_URL). */
  broker?: boolean;
}

export interface WatchedCamera {
  cameraId: string;
  sent: number;
  processed: number;
  dropped: number;
  latency: LatencySummary;
}

export interface ScenarioResult {
  id: string;
  title: string;
  system: 'station' | 'floor';
  pipeline: string;
  cameras: number;
  offeredFps: number | null;
  seconds: number;
  framesPerSecond: number;
  cpuMsPerFrame: number;
  /** CPU of the station's main (JavaScript) thread alone, per frame. */
  mainThreadMsPerFrame: number;
  /** CPU the camera load process used, percent of one core: it competes with the station. */
  loadGeneratorCpuPercent: number;
  sent: number;
  processed: number;
  dropped: number;
  dropRate: number;
  slowDowns: number;
  skippedByClient: number;
  unanswered: number;
  violations: number;
  latency: LatencySummary;
  healthz: (LatencySummary & { failures: number }) | null;
  rssStartMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  watched: WatchedCamera[];
  target: string;
  loadAverage: number[];
}
