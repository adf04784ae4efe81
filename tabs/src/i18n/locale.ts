export const LOCALES = ['en-US', 'id-ID'] as const;
export type Locale = (typeof LOCALES)[number];

/** Maps a Teams or browser locale ("id", "id-id", "en-GB", ...) to a supported one. */
export function pickLocale(value: string | null | undefined): Locale {
  const lower = (value ?? '').toLowerCase();
  if (lower === 'id' || lower.startsWith('id-') || lower === 'in' || lower.startsWith('in-')) return 'id-ID';
  return 'en-US';
}
