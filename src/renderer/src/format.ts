/** Numbers and times as a technician reads them at a glance. */

export function formatRate(fps: number): string {
  return fps >= 10 ? fps.toFixed(0) : fps.toFixed(1);
}

export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  return `${pct >= 10 || pct === 0 ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

// Intl formatters are costly to build: made once, reused for every card and render.
const COUNT = new Intl.NumberFormat('en-US');
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const DATE = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** "4 s", "3 min 12 s", "2 h 05 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

const clockCache = new Map<string, string>();

/** Local clock time, with the date when it is not today. */
export function formatClock(iso: string, now: number): string {
  const key = `${iso}|${DATE.format(now)}`;
  const cached = clockCache.get(key);
  if (cached !== undefined) return cached;
  if (clockCache.size > 500) clockCache.clear();
  const text = clockText(iso, now);
  clockCache.set(key, text);
  return text;
}

function clockText(iso: string, now: number): string {
  const date = new Date(iso);
  const time = TIME.format(date);
  const today = DATE.format(now) === DATE.format(date);
  return today ? time : `${DATE.format(date)} ${time}`;
}

export function ago(iso: string | null, now: number): string {
  if (!iso) return 'never';
  return `${formatDuration(now - Date.parse(iso))} ago`;
}

/** Close codes of PROTOCOL.md in words. */
export function describeClose(code: number | null, reason: string | null): string {
  const words: Record<number, string> = {
    1000: 'closed normally',
    1001: 'station shut down',
    1003: 'sent text instead of a frame',
    1006: 'connection lost',
    1007: 'sent an invalid frame',
    1008: 'refused (pipeline or camera id)',
    1009: 'frame too large',
    4001: 'disconnected by technician',
    4002: 'replaced by a newer connection',
  };
  const known = code !== null ? words[code] : undefined;
  const parts = [known, reason && reason !== known ? reason : null].filter(Boolean);
  const text = parts.length > 0 ? parts.join(': ') : 'unknown';
  return code !== null ? `${text} (${code})` : text;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
