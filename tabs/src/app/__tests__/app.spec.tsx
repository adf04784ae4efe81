import { act, render, screen, within } from '@testing-library/react';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';
import { App } from '../app';
import { browserHost } from '../../lib/teams';
import { themeFor } from '../../lib/theme';
import { installFakeApi } from '../../testing/fake-api';
import { officeRow, overview } from '../../testing/fixtures';

const me = (isAdmin: boolean) => ({ id: 'u1', name: 'Demo Admin', tenantId: 't1', isAdmin, mode: 'demo' });

function fakeApi(isAdmin = true) {
  return installFakeApi({
    'GET /api/me': me(isAdmin),
    'GET /api/results/overview': overview({ lastRun: null, history: [] }),
    // The results-freshness watcher (lib/results-freshness.tsx) asks which results are current.
    'GET /api/runs': { runs: [], current: null },
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
    // Settings are read-only for non-admins (issue 16): the page is there, the admin-only pages are not.
    expect(within(nav).getAllByRole('link').map((a) => a.textContent)).toEqual(['Dashboard', 'Office table', 'Segments', 'Settings']);
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

describe('App inside Teams', () => {
  it('when Teams answers with a subPageId, a locale and a theme, then the card opens in that locale and theme changes are followed', async () => {
    installFakeApi({
      'GET /api/me': me(false),
      'GET /api/runs': { runs: [], current: null },
      // The first render does not wait for Teams: the dashboard starts loading meanwhile.
      'GET /api/results/overview': overview(),
      'GET /api/results/office': { rows: [], total: 0, page: 1, pageSize: 10, level: 'year', buckets: [] },
      'GET /api/accounts/:id': {
        account: { accountId: 'A-001', name: 'Fabrikam' },
        year: officeRow({ EngagementBand: 'High' }),
        months: [],
        weeks: [],
        explanation: { score: 82, signals: [] },
        stale: true,
      },
    });
    let themeHandler: (theme: 'default' | 'dark' | 'contrast') => void = () => undefined;
    const teams = {
      ready: Promise.resolve({ ...browserHost(''), inTeams: true, locale: 'id-ID' as const, theme: 'dark' as const, subPageId: 'A-001', appId: 'app-1', frameContext: 'content' }),
      onThemeChange: (handler: typeof themeHandler) => {
        themeHandler = handler;
      },
    };

    const { container } = render(<App initialHost={browserHost('')} teams={teams} />);

    expect(await screen.findByRole('heading', { level: 1, name: 'Fabrikam' })).toBeInTheDocument();
    expect(window.location.hash).toBe('#/accounts/A-001');
    expect(screen.getByText('Tidak aktif')).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('id-ID');
    expect(container.querySelector('.fui-FluentProvider')).toHaveAttribute('data-theme', 'dark');
    act(() => themeHandler('contrast'));
    expect(container.querySelector('.fui-FluentProvider')).toHaveAttribute('data-theme', 'contrast');
  });
});
