/** Reads the pipeline files of the user directory (`*.json`, hidden files skipped). */
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const MAX_PIPELINE_FILE_BYTES = 1024 * 1024;

export interface PipelineFile {
  /** File name inside the user directory. */
  file: string;
  /** The text, or why it could not be read. */
  text: string | { error: string };
}

export function isPipelineFileName(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}

export async function readPipelineFiles(dir: string): Promise<PipelineFile[]> {
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir)).filter(isPipelineFileName).sort();
  const files: PipelineFile[] = [];
  for (const file of names) {
    const path = join(dir, file);
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      if (info.size > MAX_PIPELINE_FILE_BYTES) {
        files.push({
          file,
          text: {
            error: `${file}: file is ${info.size} bytes; pipeline files are limited to 1 MiB`,
          },
        });
        continue;
      }
      files.push({ file, text: await readFile(path, 'utf8') });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Removed between listing and reading: the next reload settles it.
      if (code === 'ENOENT') continue;
      files.push({ file, text: { error: `${file}: cannot be read (${code ?? String(err)})` } });
    }
  }
  return files;
}
