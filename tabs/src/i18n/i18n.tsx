import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { enUS, type Messages } from './en-US';
import { idID } from './id-ID';
import { createFormatters, type Formatters } from './format';
import type { Locale } from './locale';

export const MESSAGES: Record<Locale, Messages> = { 'en-US': enUS, 'id-ID': idID };

export interface I18n {
  locale: Locale;
  t: Messages;
  fmt: Formatters;
}

const I18nContext = createContext<I18n>({ locale: 'en-US', t: enUS, fmt: createFormatters('en-US') });

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo<I18n>(() => ({ locale, t: MESSAGES[locale], fmt: createFormatters(locale) }), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
