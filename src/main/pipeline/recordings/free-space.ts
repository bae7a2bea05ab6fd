/** Free bytes available to the station on the file system holding `dir`. */
import { statfs } from 'node:fs/promises';

export type FreeSpaceProbe = (dir: string) => Promise<number>;

export const statfsFreeSpace: FreeSpaceProbe = async (dir) => {
  const info = await statfs(dir);
  return info.bavail * info.bsize;
};
