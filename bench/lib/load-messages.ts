/** Messages between the benchmark and its camera load process. */
import type { FleetTotals } from '../../src/main/sim/fleet';
import type { LatencySnapshot } from '../../src/main/sim/latency-histogram';

export interface LoadCamera {
  cameraId: string;
  fps: number;
  closedLoop: boolean;
  frameFiles: string[];
}

export type LoadRequest =
  | { id: number; type: 'start'; url: string; pipeline: string; cameras: LoadCamera[] }
  | { id: number; type: 'reset' }
  | { id: number; type: 'counters' }
  | { id: number; type: 'stop' };

export type LoadCounters = Omit<FleetTotals, 'latency'> & { p99: number };

export type LoadReply =
  | { id: number; type: 'counters'; counters: LoadCounters }
  | {
      id: number;
      type: 'stopped';
      counters: LoadCounters;
      totals: FleetTotals;
      latency: LatencySnapshot[];
    }
  | { id: number; type: 'error'; message: string };
