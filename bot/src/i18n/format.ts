/**
 * Numbers, dates and durations for what people read, through Intl in the reader's locale and
 * time zone: "19,362" / "19.362", "Jan 12, 2026" / "12 Jan 2026", never raw ISO strings.
 */
import type { BotLocale } from './locale';

export interface BotFormat {
  /** Whole numbers with grouping; null becomes an em dash. */
  number(value: number | null | undefined): string;
  /** A score change: "+12", "−9"; null has its own word ("new"), given by the caller. */
  signed(value: number): string;
  /** "3 days" / "3 hari". */
  days(value: number): string;
  /** A calendar day in the reader's time zone; null or unreadable becomes an em dash. */
  date(value: string | Date | null | undefined): string;
  /** Day and time in the reader's time zone, with the zone's short name. */
  dateTime(value: string | Date | null | undefined): string;
  /** "Monday" / "Senin" for 0 = Sunday … 6 = Saturday. */
  weekday(day: number): string;
  /** "a, b and c" / "a, b, dan c". */
  list(items: string[]): string;
  /** 0.42 → "42%". */
  percent(ratio: number): string;
  timeZone: string;
}

export const DASH = '—';

function parse(value: string | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

export function createFormat(locale: BotLocale, timeZone = 'UTC'): BotFormat {
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const signed = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: 'exceptZero' });
  const days = new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long', maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  const dateTime = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' });
  // 2023-01-01 was a Sunday: day n of that week names weekday n.
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  return {
    number: (value) => (value === null || value === undefined || Number.isNaN(value) ? DASH : integer.format(value)),
    signed: (value) => signed.format(value),
    days: (value) => days.format(value),
    date: (value) => {
      const d = parse(value);
      return d ? date.format(d) : DASH;
    },
    dateTime: (value) => {
      const d = parse(value);
      return d ? dateTime.format(d) : DASH;
    },
    weekday: (day) => weekday.format(new Date(Date.UTC(2023, 0, 1 + day))),
    list: (items) => list.format(items),
    percent: (ratio) => percent.format(ratio),
    timeZone,
  };
}
