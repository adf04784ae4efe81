import type { Locale } from './locale';

export interface Formatters {
  number: (value: number | null | undefined, fractionDigits?: number) => string;
  percent: (ratio: number | null | undefined) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  month: (iso: string | null | undefined) => string;
}

/** Intl formatters in the UI's locale; missing values render as an em dash. */
export function createFormatters(locale: Locale): Formatters {
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dash = '—';
  const parse = (iso: string | null | undefined): Date | null => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    number: (value, fractionDigits) => {
      if (value === null || value === undefined || Number.isNaN(value)) return dash;
      if (fractionDigits === undefined) return integer.format(value);
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: fractionDigits }).format(value);
    },
    percent: (ratio) => (ratio === null || ratio === undefined ? dash : percent.format(ratio)),
    date: (iso) => {
      const d = parse(iso);
      return d ? date.format(d) : dash;
    },
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? dateTime.format(d) : dash;
    },
    month: (iso) => {
      const d = parse(iso);
      return d ? month.format(d) : dash;
    },
  };
}
