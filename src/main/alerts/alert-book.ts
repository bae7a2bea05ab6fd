/**
 * Alert occurrences: the active ones and a bounded history, persisted in
 * `<dataDir>/alerts.json` (written atomically, shortly after each change) so
 * the list survives a restart. An unreadable file is logged and set aside,
 * never fatal.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AlertRecord, AlertsSnapshot } from '../../shared/alerts';
import { CameraIdInput, PipelineIdInput, SessionIdInput } from '../../shared/inputs';

const DEFAULT_ALERT_HISTORY = 500;
const SAVE_DELAY_MS = 500;

const recordSchema = z.object({
  id: z.string(),
  alert: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  description: z.string(),
  camera_id: CameraIdInput,
  session_id: SessionIdInput,
  pipeline_id: PipelineIdInput,
  pipeline_version: z.string(),
  condition: z.string(),
  value: z.number(),
  frame_index: z.number(),
  raised_at: z.string(),
  state: z.enum(['active', 'cleared']),
  cleared_at: z.string().nullable(),
  cleared_reason: z.enum(['condition', 'operator', 'session_ended', 'pipeline_changed']).nullable(),
  cleared_value: z.number().nullable(),
  acknowledged_at: z.string().nullable(),
  recording: z
    .object({ camera_id: CameraIdInput, session_id: SessionIdInput, frame_index: z.number() })
    .nullable(),
});
const fileSchema = z.object({ alerts: z.array(recordSchema) });

export interface AlertBookOptions {
  dataDir: string;
  logger: Logger;
  /** Records kept, active ones included (default 500). */
  maxRecords?: number;
}

export class AlertBook {
  readonly file: string;
  /** Newest first. */
  private records: AlertRecord[] = [];
  private readonly max: number;
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly options: AlertBookOptions) {
    this.file = join(options.dataDir, 'alerts.json');
    this.max = Math.max(1, options.maxRecords ?? DEFAULT_ALERT_HISTORY);
  }

  /**
   * Reads the file; alerts still active in it belonged to sessions of an earlier
   * run, so they are returned (to be cleared as `session_ended`).
   */
  load(): AlertRecord[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.loadFailed(String(err));
      return [];
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (err) {
      this.loadFailed(err instanceof z.ZodError ? 'unexpected content' : String(err));
      try {
        renameSync(this.file, `${this.file}.invalid`);
      } catch {
        // Kept in place: overwritten at the next save.
      }
      return [];
    }
    this.records = parsed.alerts.slice(0, this.max);
    return this.records.filter((r) => r.state === 'active');
  }

  private loadFailed(error: string): void {
    this.options.logger.warn(
      { event: 'alerts_file_invalid', file: this.file, error },
      `cannot read ${this.file}; alert history starts empty (the file is kept as alerts.json.invalid)`,
    );
  }

  add(record: AlertRecord): void {
    this.records.unshift(record);
    // Beyond the bound the oldest cleared occurrence goes; active ones stay.
    while (this.records.length > this.max) {
      const index = this.records.findLastIndex((r) => r.state !== 'active');
      if (index < 0) break;
      this.records.splice(index, 1);
    }
    this.changed();
  }

  get(id: string): AlertRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  /** Applies `change` to the record and schedules a save; returns the record. */
  update(id: string, change: Partial<AlertRecord>): AlertRecord | undefined {
    const record = this.get(id);
    if (!record) return undefined;
    Object.assign(record, change);
    this.changed();
    return record;
  }

  active(): AlertRecord[] {
    return this.records.filter((r) => r.state === 'active');
  }

  snapshot(): AlertsSnapshot {
    const copy = (r: AlertRecord): AlertRecord => ({
      ...r,
      recording: r.recording ? { ...r.recording } : null,
    });
    return {
      active: this.active().map(copy),
      history: this.records.filter((r) => r.state !== 'active').map(copy),
    };
  }

  private changed(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saving = this.saving.then(() => this.write());
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private async write(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify({ alerts: this.records })}\n`);
      await rename(tmp, this.file);
    } catch (err) {
      this.options.logger.warn(
        { event: 'alerts_save_failed', file: this.file, error: String(err) },
        'cannot save the alert history',
      );
    }
  }

  /** Writes now (shutdown). */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    await this.saving;
    try {
      writeFileSync(`${this.file}.tmp`, `${JSON.stringify({ alerts: this.records })}\n`);
      renameSync(`${this.file}.tmp`, this.file);
    } catch (err) {
      this.options.logger.warn(
        { event: 'alerts_save_failed', file: this.file, error: String(err) },
        'cannot save the alert history',
      );
    }
  }
}
