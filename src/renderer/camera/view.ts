/** Writes the stream's numbers into the page. */
import type { StreamStats } from './stream-client';

const STATE_TEXT: Record<StreamStats['state'], string> = {
  idle: 'idle',
  connecting: 'connecting…',
  streaming: 'streaming',
  reconnecting: 'reconnecting…',
  stopped: 'stopped',
  error: 'error',
};

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`camera page: missing #${id}`);
  return element as T;
}

function text(id: string, value: string): void {
  const element = byId(id);
  if (element.textContent !== value) element.textContent = value;
}

export function describeRate(stats: StreamStats): string {
  const limit = stats.limitFps ?? stats.targetFps;
  if (stats.rateState === 'free') return `${fmt(limit)} fps`;
  const how = stats.rateState === 'slowed' ? 'slowed' : 'recovering';
  return `${fmt(limit)} fps (${how}; asked ${fmt(stats.targetFps)})`;
}

function fmt(fps: number): string {
  return Number.isInteger(fps) ? String(fps) : fps.toFixed(1);
}

export function renderStats(stats: StreamStats): void {
  text('state', STATE_TEXT[stats.state]);
  byId('state').dataset.state = stats.state;
  text('sent', String(stats.sent));
  text('processed', String(stats.processed));
  text('failed', String(stats.failed));
  text('dropped', String(stats.dropped));
  text('rate', describeRate(stats));
  byId('rate').dataset.limitFps = String(stats.limitFps ?? stats.targetFps);
  text('slowdowns', String(stats.slowDowns));
  text('encode', stats.encodeMs === null ? '–' : `${stats.encodeMs.toFixed(1)} ms`);
  text(
    'session',
    stats.sessionId ? `${stats.sessionId.slice(0, 8)} · ${stats.pipelineId ?? ''}` : '–',
  );
  text('message', stats.message);
  text('result', stats.lastResult === null ? '–' : JSON.stringify(stats.lastResult, null, 2));
}
