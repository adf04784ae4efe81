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

/** What the page outside the React tree (html, body, scrollbars, overscroll) looks like in a theme. */
export function pageStyle(name: TeamsThemeName): { backgroundColor: string; color: string; colorScheme: 'light' | 'dark' } {
  const theme = themeFor(name);
  // The app shell's surface is colorNeutralBackground2; the page behind it matches, so no
  // frame or flash of another colour shows around it, when overscrolling or before React renders.
  return { backgroundColor: theme.colorNeutralBackground2, color: theme.colorNeutralForeground1, colorScheme: name === 'default' ? 'light' : 'dark' };
}

/** Paints `<html>` in the theme: background, text colour and native controls' colour scheme. */
export function applyPageTheme(name: TeamsThemeName, root: HTMLElement = document.documentElement): void {
  const style = pageStyle(name);
  root.style.backgroundColor = style.backgroundColor;
  root.style.color = style.color;
  root.style.colorScheme = style.colorScheme;
}
