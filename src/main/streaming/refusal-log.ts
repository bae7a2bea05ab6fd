/**
 * Refusals logged at most once per key and interval: a peer retrying in a
 * loop cannot fill the log ring. The next line says how many were left out.
 */
import type { Logger } from 'pino';

/** Keys remembered at most; beyond, the oldest are forgotten (a refusal is then logged again). */
const MAX_KEYS = 1024;

export class RefusalLog {
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  /** Logs `fields` as a warning unless `key` was logged within the interval. */
  warn(key: string, fields: Record<string, unknown>, now = Date.now()): void {
    const last = this.lastLogged.get(key);
    if (last && now - last.at < this.intervalMs) {
      last.suppressed++;
      return;
    }
    this.lastLogged.delete(key);
    this.lastLogged.set(key, { at: now, suppressed: 0 });
    this.logger.warn({ ...fields, suppressed: last?.suppressed ?? 0 });
    if (this.lastLogged.size > MAX_KEYS) {
      this.lastLogged.delete(this.lastLogged.keys().next().value as string);
    }
  }
}
