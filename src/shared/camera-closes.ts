/**
 * Which ways of leaving are normal endings, process-neutral: the station's
 * `stream_camera_expected` gauge (what the CameraStoppedSending alert reads)
 * and the window's offline list both use it.
 */
import type { CameraRecord } from './contract';

/** 1000 the camera closed, 1001 it or the station went away, 4001 a technician disconnected it, 4002 a newer connection took over. */
const NORMAL_CLOSE_CODES: readonly number[] = [1000, 1001, 4001, 4002];

export function isNormalClose(code: number | null): boolean {
  return code !== null && NORMAL_CLOSE_CODES.includes(code);
}

/**
 * Whether a camera's silence is a problem: it is connected, the technician
 * expects it (a pinned pipeline, or a source the station runs), or it left
 * without a normal close (vanished, timed out, refused).
 */
export function silenceMatters(
  camera: Pick<CameraRecord, 'online' | 'pinned_pipeline' | 'last_close_code'>,
  fedBySource: boolean,
): boolean {
  return (
    camera.online ||
    camera.pinned_pipeline !== null ||
    fedBySource ||
    !isNormalClose(camera.last_close_code)
  );
}
