import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components';

/** Teams reports its theme as one of these names (`app.getContext().app.theme`). */
export type TeamsThemeName = 'default' | 'dark' | 'contrast';

export function toThemeName(value: string | null | undefined): TeamsThemeName | null {
  switch (value) {
    case 'default':
    case 'light':
      return 'default';
    case 'dark':
      return 'dark';
    case 'contrast':
    case 'highContrast':
      return 'contrast';
    default:
      return null;
  }
}

export function themeFor(name: TeamsThemeName): Theme {
  switch (name) {
    case 'default':
      return teamsLightTheme;
    case 'dark':
      return teamsDarkTheme;
    case 'contrast':
      return teamsHighContrastTheme;
  }
}

/**
 * Browser mode: `?theme=` wins, then the system's forced-colours and dark preferences.
 * The e2e screenshots pass `?theme=dark|contrast|default`.
 */
export function browserThemeName(search: string, matchMedia?: (query: string) => { matches: boolean }): TeamsThemeName {
  const fromQuery = toThemeName(new URLSearchParams(search).get('theme'));
  if (fromQuery) return fromQuery;
  if (matchMedia?.('(forced-colors: active)').matches) return 'contrast';
  if (matchMedia?.('(prefers-color-scheme: dark)').matches) return 'dark';
  return 'default';
}
