/** The languages the bot answers in; Teams sends the user's client locale on every activity. */
export const BOT_LOCALES = ['en-US', 'id-ID'] as const;
export type BotLocale = (typeof BOT_LOCALES)[number];

/**
 * Maps a Teams locale ("id", "id-ID", "in-ID", "en-GB", …) to a supported one. Indonesian has
 * the legacy ISO code "in", which some Android clients still send; anything else is English.
 */
export function pickLocale(value: string | null | undefined): BotLocale {
  const lower = (value ?? '').trim().toLowerCase();
  if (lower === 'id' || lower.startsWith('id-') || lower === 'in' || lower.startsWith('in-')) return 'id-ID';
  return 'en-US';
}

/** An IANA time zone the runtime knows, else UTC (a client may send anything). */
export function pickTimeZone(value: string | null | undefined): string {
  if (!value) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}
