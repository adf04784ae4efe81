import { render, screen, within } from '@testing-library/react';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
import { App } from '../app';
import { browserHost } from '../../lib/teams';
import { themeFor } from '../../lib/theme';
import { installFakeApi } from '../../testing/fake-api';
import { overview } from '../../testing/fixtures';

const me = (isAdmin: boolean) => ({ id: 'u1', name: 'Demo Admin', tenantId: 't1', isAdmin, mode: 'demo' });

function fakeApi(isAdmin = true) {
  return installFakeApi({
    'GET /api/me': me(isAdmin),
    'GET /api/results/overview': overview({ lastRun: null, history: [] }),
  });
}

describe('App', () => {
  it('when ?lang=id-ID is given, then the whole UI is in Indonesian with Indonesian number formatting', async () => {
    fakeApi();
    render(<App initialHost={browserHost('?lang=id-ID')} />);

    const nav = screen.getByRole('navigation', { name: 'Bagian Rapport' });
    expect(within(nav).getByRole('link', { name: 'Dasbor' })).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('heading', { name: 'Belum ada hasil' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Hasil keterlibatan' })).toBeInTheDocument();
    expect(await within(nav).findByRole('link', { name: 'Penyiapan' })).toHaveAttribute('href', '#/setup');
    expect(new Intl.NumberFormat('id-ID').format(12345)).toBe('12.345');
  });

  it('when no language is given, then the UI is in English and non-admins see no admin pages', async () => {
    fakeApi(false);
    render(<App initialHost={browserHost('', undefined)} />);

    expect(await screen.findByRole('heading', { name: 'No results yet' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Rapport sections' });
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Dashboard', 'Office table', 'Segments']);
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(screen.getByText('Ask a Rapport admin to finish the setup.')).toBeInTheDocument();
  });

  it('when a theme is chosen, then it maps to the matching Fluent Teams theme', () => {
    expect(themeFor('default')).toBe(teamsLightTheme);
    expect(themeFor('dark')).toBe(teamsDarkTheme);
    expect(themeFor('contrast')).toBe(teamsHighContrastTheme);
    expect(browserHost('?theme=dark').theme).toBe('dark');
    expect(browserHost('?theme=contrast').theme).toBe('contrast');
    expect(browserHost('?theme=default', () => ({ matches: true })).theme).toBe('default');
    expect(browserHost('', (q) => ({ matches: q === '(prefers-color-scheme: dark)' })).theme).toBe('dark');
    expect(browserHost('', (q) => ({ matches: q === '(forced-colors: active)' })).theme).toBe('contrast');
  });

  it('when the dark theme is active, then the provider renders with the dark theme tokens', async () => {
    fakeApi();
    const { container } = render(<App initialHost={browserHost('?theme=dark')} />);
    await screen.findByRole('heading', { name: 'No results yet' });
    const provider = container.querySelector('.fui-FluentProvider');
    expect(provider).toHaveAttribute('data-theme', 'dark');
    const rules = Array.from(document.styleSheets).flatMap((sheet) => Array.from(sheet.cssRules).map((rule) => rule.cssText));
    const themeRule = rules.find((rule) => rule.includes('--colorNeutralBackground1:'));
    expect(themeRule).toContain(`--colorNeutralBackground1: ${teamsDarkTheme.colorNeutralBackground1}`);
  });
});
