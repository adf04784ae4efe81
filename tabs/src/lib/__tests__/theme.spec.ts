import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
import { applyPageTheme, pageStyle, type TeamsThemeName } from '../theme';

describe('the page behind the app', () => {
  it.each<[TeamsThemeName, string, 'light' | 'dark']>([
    ['default', teamsLightTheme.colorNeutralBackground2, 'light'],
    ['dark', teamsDarkTheme.colorNeutralBackground2, 'dark'],
    ['contrast', teamsHighContrastTheme.colorNeutralBackground2, 'dark'],
  ])('when the theme is %s, then the page is painted %s with the %s colour scheme', (name, background, scheme) => {
    expect(pageStyle(name)).toMatchObject({ backgroundColor: background, colorScheme: scheme });
  });

  it('when the theme changes, then <html> follows it, so no light frame shows around a dark app', () => {
    const root = document.createElement('html');
    applyPageTheme('dark', root);
    expect(root.style.colorScheme).toBe('dark');
    expect(root.style.backgroundColor).not.toBe('');
    const dark = root.style.backgroundColor;
    applyPageTheme('default', root);
    expect(root.style.backgroundColor).not.toBe(dark);
    expect(root.style.colorScheme).toBe('light');
  });
});
