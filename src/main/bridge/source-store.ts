/**
 * The camera sources the station runs bridges for, kept in
 * <dataDir>/sources.json. The file holds source URLs with their credentials,
 * so it is written owner-only (0600) and never served or logged as is.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CAMERA_ID_PATTERN } from '../../shared/protocol';

const SourceConfigSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  camera_id: z.string().regex(CAMERA_ID_PATTERN),
  url: z.string().min(1).max(2048),
  pipeline_id: z.string().min(1).max(64).nullable(),
  fps: z.number().positive().max(120).nullable(),
  enabled: z.boolean(),
});
export type SourceConfig = z.infer<typeof SourceConfigSchema>;

const FileSchema = z.object({ version: z.literal(1), sources: z.array(SourceConfigSchema) });

const SOURCES_FILE = 'sources.json';

export interface SourceStore {
  load(): { sources: SourceConfig[]; error: string | null };
  save(sources: SourceConfig[]): void;
}

export function createSourceStore(dataDir: string): SourceStore {
  const path = join(dataDir, SOURCES_FILE);
  return {
    load() {
      if (!existsSync(path)) return { sources: [], error: null };
      try {
        const parsed = FileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
        if (!parsed.success)
          return { sources: [], error: `${SOURCES_FILE}: ${parsed.error.message}` };
        return { sources: parsed.data.sources, error: null };
      } catch (err) {
        return { sources: [], error: `${SOURCES_FILE}: ${(err as Error).message}` };
      }
    },
    save(sources) {
      const temp = `${path}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ version: 1, sources }, null, 2)}\n`, { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    },
  };
}
