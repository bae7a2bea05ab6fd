/**
 * Preflight through a running station: each built-in pipeline measured end to
 * end with closed-loop simulated cameras, so the socket, session and reply
 * work is in the figure. Same report as the in-process preflight.
 */
import { operationPath } from '../../shared/operations';
import { createFleet } from './fleet';
import {
  safeFpsPerCamera,
  type PreflightOptions,
  type PreflightReport,
  type PreflightRow,
} from './preflight';
import { httpBaseOf } from './stream-url';

export interface StationPreflightOptions extends Omit<PreflightOptions, 'concurrency'> {
  /** ws://HOST:PORT of the station. */
  url: string;
  token?: string;
  /** Closed-loop cameras per pipeline (frames in flight). */
  concurrency: number;
}

export async function runPreflightViaStation(
  options: StationPreflightOptions,
): Promise<PreflightReport> {
  const path = operationPath('listPipelines');
  const response = await fetch(`${httpBaseOf(options.url)}${path}`);
  if (!response.ok) throw new Error(`the station answered ${response.status} for ${path}`);
  const listed = (await response.json()) as { id: string; source?: string }[];
  const ids = listed
    .filter((p) => p.source === undefined || p.source === 'builtin')
    .map((p) => p.id)
    .filter((id) => !options.pipelines || options.pipelines.includes(id));
  const rows: PreflightRow[] = [];
  let frameBytes = 0;
  for (const id of ids) {
    const fleet = await createFleet({
      url: options.url,
      token: options.token,
      cameras: options.concurrency,
      fps: 1,
      closedLoop: true,
      width: options.width,
      height: options.height,
      pipelineId: id,
      cameraPrefix: `preflight-${id}`,
      ringSize: 4,
    });
    frameBytes = fleet.frameBytes;
    const { refused } = await fleet.start();
    if (refused.length > 0) {
      await fleet.stop(1000);
      throw new Error(`the station refused the cameras: ${refused[0]!.error}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    const base = fleet.totals();
    for (const client of fleet.clients) client.latency.reset();
    const started = performance.now();
    await new Promise((r) => setTimeout(r, options.seconds * 1000));
    const end = fleet.totals();
    const elapsedS = (performance.now() - started) / 1000;
    await fleet.stop(2000);
    const frames = end.processed - base.processed;
    const framesPerSecond = frames / elapsedS;
    rows.push({
      pipeline: id,
      frames,
      failures: end.failed - base.failed,
      framesPerSecond,
      // The station's CPU is not visible from here; the reply time is.
      cpuMsPerFrame: Number.NaN,
      meanMs: end.latency.mean,
      safeFpsPerCamera: safeFpsPerCamera(framesPerSecond, options),
    });
    options.onProgress?.(`${id}: ${framesPerSecond.toFixed(0)} frames/s through the station`);
  }
  return {
    mode: 'station',
    width: options.width,
    height: options.height,
    frameBytes,
    cameras: options.cameras,
    headroom: options.headroom,
    rows,
  };
}
