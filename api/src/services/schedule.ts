/**
 * The weekly refresh schedule: a day of the week and a wall-clock time in an IANA time zone.
 * `nextOccurrence` works in the zone's local time through Intl, so "Monday 06:00 in
 * Europe/Amsterdam" stays at 06:00 local across daylight-saving changes.
 */
import type { Schedule } from '../contract/config';

// The schedule's wire shape and its schema are the contract's (contract/config.ts).
export { isValidTimeZone, scheduleSchema, type Schedule } from '../contract/config';

/** Used until the first run anchors the weekly cadence. */
export const DEFAULT_SCHEDULE: Schedule = { dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'UTC' };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface LocalParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(zone: string, t: number): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at instant t, in milliseconds (local − UTC). */
function offsetAt(zone: string, t: number): number {
  const p = localParts(zone, t);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant at which the zone's wall clock shows the given local time. */
export function zonedTimeToInstant(zone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let t = guess - offsetAt(zone, guess);
  const second = guess - offsetAt(zone, t);
  // Around a DST change the offset at the guess differs from the offset at the answer.
  if (second !== t) t = second;
  return t;
}

/** The first instant strictly after `after` that matches the schedule in its time zone. */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  const from = after.getTime();
  const local = localParts(schedule.timeZone, from);
  for (let d = 0; d <= 8; d += 1) {
    const date = new Date(Date.UTC(local.year, local.month - 1, local.day + d));
    if (date.getUTCDay() !== schedule.dayOfWeek) continue;
    const t = zonedTimeToInstant(schedule.timeZone, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), schedule.hour, schedule.minute);
    if (t > from) return new Date(t);
  }
  // Unreachable: some day within 8 local days matches the weekday after `after`.
  throw new Error('no next occurrence found');
}

/** The schedule whose weekly slot falls at `at`, in UTC: used to anchor "weekly from the first run". */
export function scheduleAnchoredAt(at: Date): Schedule {
  return { dayOfWeek: at.getUTCDay(), hour: at.getUTCHours(), minute: at.getUTCMinutes(), timeZone: 'UTC' };
}
