/**
 * A station with a long offline list and a failing source: cameras that
 * connected and left, most normally (close 1000), some vanished (no close
 * frame: the station sees 1006), and a source whose camera does not answer.
 */
import WebSocket from 'ws';
import type { StationProcess } from './station-process';
import { freePort } from '../../helpers/ports';

async function leave(url: string, how: 'normal' | 'vanish'): Promise<void> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve()); // the hello
    ws.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  if (how === 'normal') ws.close(1000);
  else ws.terminate();
  await closed;
}

export interface OfflineScenario {
  normal: string[];
  vanished: string[];
  sourceCamera: string;
}

export async function offlineScenario(
  station: StationProcess,
  counts = { normal: 22, vanished: 8 },
): Promise<OfflineScenario> {
  const normal = Array.from(
    { length: counts.normal },
    (_, i) => `bench-${String(i + 1).padStart(2, '0')}`,
  );
  const vanished = Array.from(
    { length: counts.vanished },
    (_, i) => `door-${String(i + 1).padStart(2, '0')}`,
  );
  // One after another, so the list's order (newest first) is known.
  for (const [i, id] of [...normal, ...vanished].entries()) {
    await leave(
      `${station.cameraUrl}?pipeline_id=noop&camera_id=${id}`,
      i < normal.length ? 'normal' : 'vanish',
    );
  }
  const sourceCamera = 'unplugged-cam';
  const port = await freePort();
  const res = await fetch(`${station.baseUrl}/api/sources`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${port}/video.mjpg`, camera_id: sourceCamera }),
  });
  if (!res.ok) throw new Error(`adding the failing source: HTTP ${res.status} ${await res.text()}`);
  return { normal, vanished, sourceCamera };
}
