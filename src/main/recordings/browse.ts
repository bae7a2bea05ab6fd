/**
 * Reading the recordings `store` nodes wrote (`<data>/recordings/<camera>/<session>/`):
 * cameras and their sessions, a page of frames, one frame's file, and deleting a
 * session. Never writes anything but the delete; ids are checked before they
 * become paths, so a request cannot leave the recordings folder.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionErrorCode } from '../../shared/contract';
import type {
  RecordedFramesPage,
  RecordingCamera,
  RecordingSession,
} from '../../shared/recordings';
import { FRAME_FILE, SessionIndex } from './session-index';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';
import { folderOf, idOfFolder } from './folders';
import { pageBounds, readFrames } from './frame-lines';

export type BrowseResult<T> =
  { ok: true; value: T } | { ok: false; code: ActionErrorCode; message: string };

const SESSION_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** Indexes kept in memory (the sessions most recently opened). */
const INDEX_CACHE = 16;

export interface RecordingBrowser {
  readonly dir: string;
  list(): Promise<RecordingCamera[]>;
  /** The session's index, brought up to date. */
  session(cameraId: string, sessionId: string): Promise<BrowseResult<SessionIndex>>;
  page(
    cameraId: string,
    sessionId: string,
    offset: number,
    limit: number,
  ): Promise<BrowseResult<RecordedFramesPage>>;
  /** The path of a frame's JPEG, checked to exist. */
  framePath(cameraId: string, sessionId: string, file: string): Promise<BrowseResult<string>>;
  remove(cameraId: string, sessionId: string): Promise<BrowseResult<RecordingSession>>;
}

function noFrame(file: string): { ok: false; code: 'unknown_recording'; message: string } {
  return { ok: false, code: 'unknown_recording', message: `No frame ${file} in this recording` };
}

/** What the list shows of one session: its span in time, size and first pipeline. */
function summary(cameraId: string, sessionId: string, index: SessionIndex): RecordingSession {
  const first = index.line(0);
  const last = index.line(index.size - 1);
  const iso = (t: number | undefined) =>
    t === undefined || Number.isNaN(t) ? null : new Date(t).toISOString();
  return {
    camera_id: stationCameraId(cameraId),
    session_id: stationSessionId(sessionId),
    started_at: iso(first?.time),
    ended_at: iso(last?.time),
    frames: index.size,
    bytes: index.bytes,
    pipeline: index.firstPipeline && {
      id: stationPipelineId(index.firstPipeline.id),
      version: index.firstPipeline.version,
    },
  };
}

function unknown(
  cameraId: string,
  sessionId: string,
): { ok: false; code: 'unknown_recording'; message: string } {
  return {
    ok: false,
    code: 'unknown_recording',
    message: `No recording of camera ${cameraId}, session ${sessionId}`,
  };
}

export function createRecordingBrowser(dir: string): RecordingBrowser {
  return new RecordingFolders(dir);
}

class RecordingFolders implements RecordingBrowser {
  /** The most recently opened sessions' indexes, oldest first. */
  private readonly cache = new Map<string, SessionIndex>();

  constructor(readonly dir: string) {}

  async list(): Promise<RecordingCamera[]> {
    let entries;
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const cameras: RecordingCamera[] = [];
    for (const entry of entries) {
      const cameraId = entry.isDirectory() ? idOfFolder(entry.name) : null;
      if (!cameraId) continue;
      const sessions = await this.sessionsOf(cameraId, join(this.dir, entry.name)).catch(() => []);
      if (sessions.length) cameras.push({ camera_id: stationCameraId(cameraId), sessions });
    }
    return cameras.sort((a, b) => a.camera_id.localeCompare(b.camera_id));
  }

  async session(cameraId: string, sessionId: string): Promise<BrowseResult<SessionIndex>> {
    const folder = this.sessionDir(cameraId, sessionId);
    if (!folder) return unknown(cameraId, sessionId);
    const index = this.indexFor(folder);
    try {
      await index.refresh();
    } catch {
      this.cache.delete(folder);
      return unknown(cameraId, sessionId);
    }
    return { ok: true, value: index };
  }

  async page(
    cameraId: string,
    sessionId: string,
    offset: number,
    limit: number,
  ): Promise<BrowseResult<RecordedFramesPage>> {
    const opened = await this.session(cameraId, sessionId);
    if (!opened.ok) return opened;
    const index = opened.value;
    const { from, to } = pageBounds(offset, limit, index.size);
    const frames = await readFrames(index, from, to);
    return {
      ok: true,
      value: {
        camera_id: stationCameraId(cameraId),
        session_id: stationSessionId(sessionId),
        total: index.size,
        offset: from,
        frames,
      },
    };
  }

  async framePath(
    cameraId: string,
    sessionId: string,
    file: string,
  ): Promise<BrowseResult<string>> {
    const folder = this.sessionDir(cameraId, sessionId);
    if (!folder || !FRAME_FILE.test(file)) return noFrame(file);
    const path = join(folder, file);
    const found = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    return found ? { ok: true, value: path } : noFrame(file);
  }

  async remove(cameraId: string, sessionId: string): Promise<BrowseResult<RecordingSession>> {
    const opened = await this.session(cameraId, sessionId);
    if (!opened.ok) return opened;
    const index = opened.value;
    const removed = summary(cameraId, sessionId, index);
    await rm(index.dir, { recursive: true, force: true });
    this.cache.delete(index.dir);
    return { ok: true, value: removed };
  }

  /** The session's folder, or null for ids that are no folder name of ours. */
  private sessionDir(cameraId: string, sessionId: string): string | null {
    const camera = folderOf(cameraId);
    if (!camera || !SESSION_ID.test(sessionId) || /^\.+$/.test(sessionId)) return null;
    return join(this.dir, camera, sessionId);
  }

  /** The cached index of a session folder, now the most recent; the oldest goes beyond the bound. */
  private indexFor(sessionDir: string): SessionIndex {
    let index = this.cache.get(sessionDir);
    if (index) {
      this.cache.delete(sessionDir);
    } else {
      index = new SessionIndex(sessionDir);
      if (this.cache.size >= INDEX_CACHE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(sessionDir, index);
    return index;
  }

  private async sessionsOf(cameraId: string, folder: string): Promise<RecordingSession[]> {
    const out: RecordingSession[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const opened = await this.session(cameraId, entry.name);
      if (opened.ok) out.push(summary(cameraId, entry.name, opened.value));
    }
    return out.sort((a, b) => (b.started_at ?? '').localeCompare(a.started_at ?? ''));
  }
}
