/** When a conversation's held-back summary is due: its chosen weekday and hour in its time zone. Pure. */

const HOUR_MS = 60 * 60 * 1000;

/** Weekday (0 = Sunday) and hour of `at` in `timeZone`. */
export function localDayHour(at: Date, timeZone: string): { day: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const weekday = parts.find((p) => p.type === 'weekday')?.value ?? 'Sun';
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  return { day: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(weekday), hour };
}

/**
 * The first whole hour at or after `from` that is `day` at `hour` in `timeZone`. Walking hour by
 * hour keeps daylight-saving changes right (a skipped hour is simply never matched, and then the
 * next hour of that day is used). Zones with half-hour offsets get the hour that starts in it.
 */
export function nextOccurrence(from: Date, day: number, hour: number, timeZone: string): Date {
  const start = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  let fallback: Date | null = null;
  for (let i = 0; i < 24 * 8; i++) {
    const at = new Date(start + i * HOUR_MS);
    const local = localDayHour(at, timeZone);
    if (local.day === day && local.hour === hour) return at;
    if (!fallback && local.day === day && local.hour > hour) fallback = at;
  }
  return fallback ?? new Date(start);
}
