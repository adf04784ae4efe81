import type { Locale } from './locale';

/**
 * The sentence for each CLDR plural category a language uses; `#` stands for the count, formatted
 * in the locale. English needs `one` and `other`; Indonesian has no plural form, so `other` alone
 * is complete (Intl.PluralRules('id-ID') always answers 'other').
 */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

const pluralCache = new Map<string, { rules: Intl.PluralRules; number: Intl.NumberFormat }>();

function pluralTools(locale: Locale, fractionDigits: number) {
  const key = `${locale}|${fractionDigits}`;
  let tools = pluralCache.get(key);
  if (!tools) {
    // The rules see the number as it is shown: 1.04 shown as "1" takes the singular, "1.5" does not.
    const digits = { minimumFractionDigits: 0, maximumFractionDigits: fractionDigits };
    tools = { rules: new Intl.PluralRules(locale, digits), number: new Intl.NumberFormat(locale, digits) };
    pluralCache.set(key, tools);
  }
  return tools;
}

/**
 * "1 row" / "2 rows": picks the form for `count` with Intl.PluralRules and puts the formatted
 * count where the form says `#`. Counts are rounded to `fractionDigits` before both steps, so
 * the words always agree with the number on screen.
 */
export function plural(locale: Locale, count: number, forms: PluralForms, fractionDigits = 0): string {
  const { rules, number } = pluralTools(locale, fractionDigits);
  const form = forms[rules.select(count)] ?? forms.other;
  return form.replaceAll('#', number.format(count));
}

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
