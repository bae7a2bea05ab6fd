/**
 * Camera ids ↔ folder names under recordings/, as the recording store names
 * them. Camera ids are 1-64 of A-Z a-z 0-9 . _ - (the protocol's rule), so the
 * folder is the id itself; anything else is not a camera's folder.
 */
import { CAMERA_ID_PATTERN } from '../../shared/protocol';
import { safeSegment } from '../pipeline/recordings/recording-store';

/** The folder of a camera's recordings, or null for an id no camera can have. */
export function folderOf(cameraId: string): string | null {
  if (!CAMERA_ID_PATTERN.test(cameraId) || /^\.+$/.test(cameraId)) return null;
  return safeSegment(cameraId);
}

/** The camera id a folder holds recordings of, or null when it is no camera's. */
export function idOfFolder(folder: string): string | null {
  return CAMERA_ID_PATTERN.test(folder) && safeSegment(folder) === folder ? folder : null;
}
