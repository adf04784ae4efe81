/**
 * The reader's language: the catalogue and the formatters for one locale and time zone.
 * Commands and cards take a `Lang` and never build user-facing text of their own.
 */
import { enUS, type BotMessages } from './en-US';
import { createFormat, type BotFormat } from './format';
import { idID } from './id-ID';
import { pickLocale, pickTimeZone, type BotLocale } from './locale';

export interface Lang {
  locale: BotLocale;
  m: BotMessages;
  f: BotFormat;
}

const CATALOGUES: Record<BotLocale, BotMessages> = { 'en-US': enUS, 'id-ID': idID };

export function messagesFor(locale: BotLocale): BotMessages {
  return CATALOGUES[locale];
}

/** A Teams locale ("id-ID", "en-GB", undefined …) and time zone to the bot's language. */
export function langFor(locale?: string | null, timeZone?: string | null): Lang {
  const picked = pickLocale(locale);
  return { locale: picked, m: CATALOGUES[picked], f: createFormat(picked, pickTimeZone(timeZone)) };
}

export const ENGLISH: Lang = langFor('en-US');

/** Cuts text people typed before it is echoed back: a 6,000-character argument is not repeated whole. */
export function clip(value: string, max = 80): string {
  const chars = Array.from(value.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export { BOT_LOCALES, pickLocale, pickTimeZone, type BotLocale } from './locale';
export type { BotMessages } from './en-US';
export type { BotFormat } from './format';
