/**
 * Camera ids to folder names under recordings/, without collisions: an id
 * that is already a safe, portable file name keeps it (`recordings/scope-1/`),
 * any other id becomes `=` and the hex of its UTF-8 bytes (`..` → `=2e2e`).
 * `=` cannot appear in a camera id, so the two kinds never meet, and the
 * encoding is reversible.
 */

/** Names Windows reserves for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** True for ids used as their own folder name: `A-Za-z0-9._-`, no leading or trailing dot. */
export function isSafeFolderName(id: string): boolean {
  return /^[A-Za-z0-9_-](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9_-])?$/.test(id) && !RESERVED.test(id);
}

export function cameraFolder(cameraId: string): string {
  return isSafeFolderName(cameraId)
    ? cameraId
    : `=${Buffer.from(cameraId, 'utf8').toString('hex')}`;
}

/** The camera id a folder belongs to, or null for a name cameraFolder never makes. */
export function cameraIdOfFolder(folder: string): string | null {
  if (!folder.startsWith('=')) return isSafeFolderName(folder) ? folder : null;
  const hex = folder.slice(1);
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  const id = Buffer.from(hex, 'hex').toString('utf8');
  return cameraFolder(id) === folder ? id : null;
}
