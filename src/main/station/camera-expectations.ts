/**
 * Which cameras `stream_camera_expected` counts at each scrape: those whose
 * silence matters (online, pinned, fed by one of the station's own sources,
 * or gone without a normal close).
 */
import { silenceMatters } from '../../shared/camera-closes';
import type { SourceManager } from '../bridge/source-manager';
import type { StationMetrics } from '../observe/metrics';
import type { CameraBook } from '../streaming/camera-book';

export function watchCameraExpectations(
  metrics: StationMetrics,
  cameras: CameraBook,
  sources: SourceManager,
): void {
  metrics.watchCameraExpectations(() => {
    const fed = new Set(sources.list().map((s) => s.camera_id));
    return cameras
      .list()
      .map((c) => ({ camera_id: c.camera_id, expected: silenceMatters(c, fed.has(c.camera_id)) }));
  });
}
