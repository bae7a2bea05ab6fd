/**
 * Watches the user pipeline directory and calls `onChange` once a burst of
 * file events has settled (editors often write a file in several steps).
 */
import { watch } from 'chokidar';
import { basename } from 'node:path';
import { isPipelineFileName } from './user-dir';

export interface DirectoryWatch {
  close(): Promise<void>;
}

export async function watchPipelineDir(
  dir: string,
  onChange: () => void,
  debounceMs: number,
): Promise<DirectoryWatch> {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, {
    ignoreInitial: true,
    depth: 0,
    // Only pipeline files (and the directory itself) matter.
    ignored: (path, stats) =>
      path !== dir && stats?.isFile() === true && !isPipelineFileName(basename(path)),
  });
  watcher.on('all', (_event, path) => {
    if (typeof path !== 'string') return;
    if (path !== dir && !isPipelineFileName(basename(path))) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', resolve);
    watcher.once('error', reject);
  });
  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
