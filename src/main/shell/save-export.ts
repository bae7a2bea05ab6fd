/**
 * The window's recording export: the technician picks the file in a save
 * dialog, then the session (or its marked range) is streamed into it. The
 * browser downloads the same bytes from the HTTP export route instead.
 * Electron-free: the dialog comes in as a function, so tests choose the path.
 */
import type { OperationResult } from '../../shared/contract';
import type { ExportRange, SavedExport } from '../../shared/recordings';
import { exportRecordingToFile } from '../recordings/export-file';
import type { StationHost } from './station-host';

export type ExportKind = 'zip' | 'mp4';

/** Asks where to save `suggestedName`; null when the technician cancels. */
export type ExportPathChooser = (suggestedName: string, kind: ExportKind) => Promise<string | null>;

export interface SaveExportDeps {
  host: StationHost;
  chooseExportPath: ExportPathChooser;
  log?: (entry: Record<string, unknown>) => void;
}

/** The file name offered in the dialog, as the HTTP export names its download. */
export function suggestedExportName(
  cameraId: string,
  sessionId: string,
  kind: ExportKind,
  range: ExportRange | null,
): string {
  // 2026-03-01T10:00:00.300Z → 20260301T100000300Z: no characters a file system refuses.
  const compact = (time: string) => time.replace(/[-:.]/g, '');
  const span = range ? `_${compact(range.from)}-${compact(range.to)}` : '';
  return `${cameraId}_${sessionId}${span}.${kind}`;
}

export async function saveRecordingExport(
  deps: SaveExportDeps,
  cameraId: string,
  sessionId: string,
  kind: ExportKind,
  range: ExportRange | null,
): Promise<OperationResult<SavedExport>> {
  const station = deps.host.station();
  if (!station) {
    const message = deps.host.problem()?.message ?? 'The station is not running.';
    return { ok: false, code: 'not_available', message };
  }
  const browser = station.recordingBrowser();
  // Before the dialog: a session that is gone is said at once, not after choosing a file.
  const opened = await browser.session(cameraId, sessionId);
  if (!opened.ok) return opened;
  const path = await deps.chooseExportPath(
    suggestedExportName(cameraId, sessionId, kind, range),
    kind,
  );
  const entry = {
    level: 'info',
    event: 'ipc_action',
    operation: 'saveRecordingExport',
    via: 'ipc',
    camera_id: cameraId,
    session_id: sessionId,
    kind,
  };
  if (path === null) {
    deps.log?.({ ...entry, ok: true, cancelled: true });
    return { ok: true, value: { saved: false } };
  }
  const done = await exportRecordingToFile(browser, {
    cameraId,
    sessionId,
    kind,
    fromMs: range ? Date.parse(range.from) : null,
    toMs: range ? Date.parse(range.to) : null,
    path,
  });
  if (!done.ok) {
    deps.log?.({ ...entry, level: 'warn', ok: false, code: done.code, message: done.message });
    return done;
  }
  deps.log?.({ ...entry, ok: true, path, frames: done.value.frames, bytes: done.value.bytes });
  return { ok: true, value: { saved: true, ...done.value } };
}
