/**
 * Retention of recordings: session folders older than the age limit go first,
 * then, when the total exceeds the size limit, the oldest frames until it is
 * back under a low-water mark (90 % of the limit, so the next pass is not due
 * at the very next frame). results.jsonl files stay with their folder (they
 * are small and are the audit trail).
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

/** `recordingsDir/<camera>/<session>/*`; `now` injectable for tests. */
export async function applyRetention(
  recordingsDir: string,
  limits: RetentionLimits,
  now = Date.now(),
): Promise<RetentionOutcome> {
  const outcome: RetentionOutcome = {
    deletedFiles: 0,
    deletedSessions: 0,
    freedBytes: 0,
    totalBytes: 0,
  };
  const sessions: SessionDir[] = [];
  for (const camera of await listDirs(recordingsDir)) {
    for (const session of await listDirs(camera)) sessions.push(await scanSession(session));
  }

  const kept: SessionDir[] = [];
  for (const session of sessions) {
    const expired =
      limits.maxAgeMs > 0 && session.files.length > 0 && now - session.newestMs > limits.maxAgeMs;
    if (expired) {
      await rm(session.path, { recursive: true, force: true });
      outcome.deletedSessions++;
      outcome.deletedFiles += session.files.length;
      outcome.freedBytes += session.files.reduce((s, f) => s + f.size, 0);
    } else {
      kept.push(session);
    }
  }

  const all = kept.flatMap((s) => s.files);
  outcome.totalBytes = all.reduce((s, f) => s + f.size, 0);
  if (limits.maxTotalBytes > 0 && outcome.totalBytes > limits.maxTotalBytes) {
    const frames = all
      .filter((f) => f.isFrame)
      .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : 1));
    const target = limits.maxTotalBytes * LOW_WATER;
    for (const file of frames) {
      if (outcome.totalBytes <= target) break;
      try {
        await unlink(file.path);
        outcome.deletedFiles++;
        outcome.freedBytes += file.size;
        outcome.totalBytes -= file.size;
      } catch {
        // Already gone: nothing to free.
      }
    }
  }
  // Camera folders left empty by expired sessions.
  for (const camera of await listDirs(recordingsDir)) {
    await rmdir(camera).catch(() => undefined);
  }
  return outcome;
}
