/**
 * Camera ids ↔ folder names under recordings/, exactly as the recording store
 * names them (pipeline/recordings/camera-folder.ts: the id itself when it is a
 * safe file name, else `=` and its hex), so every folder maps back to its id.
 */
import { cameraFolder, cameraIdOfFolder } from '../pipeline/recordings/camera-folder';

const MAX_ID = 128;

/** The folder of a camera's recordings, or null for an id no camera can have. */
export function folderOf(cameraId: string): string | null {
  if (cameraId.length === 0 || cameraId.length > MAX_ID) return null;
  return cameraFolder(cameraId);
}

/** The camera id a folder holds recordings of, or null when it is no camera's. */
export function idOfFolder(folder: string): string | null {
  return cameraIdOfFolder(folder);
}
