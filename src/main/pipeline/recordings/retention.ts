/**
 * Retention of recordings, always within one camera's folder: session folders
 * older than the age limit go first, then, when the camera's total exceeds the
 * size limit, its oldest frames until it is back under a low-water mark (90 %
 * of the limit, so the next pass is not due at the very next frame). The
 * station-wide ceiling prunes the largest camera folder first (the oldest of
 * equals), its oldest frames, until the whole tree is under 90 % of it.
 * results.jsonl files stay with their folder (they are small and are the
 * audit trail).
 */
import { readdir, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface RetentionLimits {
  /** 0 = no size limit. */
  maxTotalBytes: number;
  /** 0 = no age limit. */
  maxAgeMs: number;
}

/** Pruning stops at this fraction of the size limit. */
export const LOW_WATER = 0.9;

export interface RetentionOutcome {
  deletedFiles: number;
  deletedSessions: number;
  freedBytes: number;
  totalBytes: number;
}

interface FileInfo {
  path: string;
  size: number;
  mtimeMs: number;
  isFrame: boolean;
}

interface SessionDir {
  path: string;
  files: FileInfo[];
  newestMs: number;
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

async function scanSession(path: string): Promise<SessionDir> {
  const files: FileInfo[] = [];
  let newestMs = 0;
  for (const name of await readdir(path).catch(() => [] as string[])) {
    const file = join(path, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) continue;
    files.push({
      path: file,
      size: info.size,
      mtimeMs: info.mtimeMs,
      isFrame: name.endsWith('.jpg'),
    });
    newestMs = Math.max(newestMs, info.mtimeMs);
  }
  return { path, files, newestMs };
}

const emptyOutcome = (): RetentionOutcome => ({
  deletedFiles: 0,
  deletedSessions: 0,
  freedBytes: 0,
  totalBytes: 0,
});
const sum = (files: readonly FileInfo[]) => files.reduce((s, f) => s + f.size, 0);
const oldestFirst = (a: FileInfo, b: FileInfo) =>
  a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1);

async function deleteFrame(file: FileInfo, outcome: RetentionOutcome): Promise<void> {
  try {
    await unlink(file.path);
    outcome.deletedFiles++;
    outcome.freedBytes += file.size;
  } catch {
    // Already gone: nothing to free.
  }
  outcome.totalBytes -= file.size;
}

/** `cameraDir/<session>/*`: one camera's folder by its own pipeline's limits; `now` for tests. */
export async function applyRetention(
  cameraDir: string,
  limits: RetentionLimits,
  now = Date.now(),
): Promise<RetentionOutcome> {
  const outcome = emptyOutcome();
  const kept: SessionDir[] = [];
  for (const path of await listDirs(cameraDir)) {
    const session = await scanSession(path);
    const expired =
      limits.maxAgeMs > 0 && session.files.length > 0 && now - session.newestMs > limits.maxAgeMs;
    if (!expired) {
      kept.push(session);
      continue;
    }
    await rm(session.path, { recursive: true, force: true });
    outcome.deletedSessions++;
    outcome.deletedFiles += session.files.length;
    outcome.freedBytes += sum(session.files);
  }
  const all = kept.flatMap((s) => s.files);
  outcome.totalBytes = sum(all);
  if (limits.maxTotalBytes > 0 && outcome.totalBytes > limits.maxTotalBytes) {
    const target = limits.maxTotalBytes * LOW_WATER;
    for (const file of all.filter((f) => f.isFrame).sort(oldestFirst)) {
      if (outcome.totalBytes <= target) break;
      await deleteFrame(file, outcome);
    }
  }
  // A camera folder left empty by expired sessions.
  if (kept.length === 0) await rmdir(cameraDir).catch(() => undefined);
  return outcome;
}

interface CameraUsage {
  bytes: number;
  /** Its frames, oldest first; `next` is the first one not yet deleted. */
  frames: FileInfo[];
  next: number;
}

/** The camera that gives up a frame next: the largest, then the one with the oldest frame. */
function largest(cameras: readonly CameraUsage[]): CameraUsage | undefined {
  let pick: CameraUsage | undefined;
  for (const c of cameras) {
    if (c.next >= c.frames.length) continue;
    if (
      !pick ||
      c.bytes > pick.bytes ||
      (c.bytes === pick.bytes && c.frames[c.next]!.mtimeMs < pick.frames[pick.next]!.mtimeMs)
    ) {
      pick = c;
    }
  }
  return pick;
}

/** `recordingsDir/<camera>/<session>/*` under the station-wide ceiling (0 = none). */
export async function applyCeiling(
  recordingsDir: string,
  maxTotalBytes: number,
): Promise<RetentionOutcome> {
  const outcome = emptyOutcome();
  const cameras: CameraUsage[] = [];
  for (const camera of await listDirs(recordingsDir)) {
    const files: FileInfo[] = [];
    for (const session of await listDirs(camera)) files.push(...(await scanSession(session)).files);
    const frames = files.filter((f) => f.isFrame).sort(oldestFirst);
    cameras.push({ bytes: sum(files), frames, next: 0 });
    outcome.totalBytes += sum(files);
  }
  if (maxTotalBytes <= 0 || outcome.totalBytes <= maxTotalBytes) return outcome;
  const target = maxTotalBytes * LOW_WATER;
  while (outcome.totalBytes > target) {
    const camera = largest(cameras);
    if (!camera) break;
    const file = camera.frames[camera.next++]!;
    camera.bytes -= file.size;
    await deleteFrame(file, outcome);
  }
  return outcome;
}
