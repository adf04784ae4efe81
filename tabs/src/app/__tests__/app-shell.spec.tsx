import { act, render, screen, within } from '@testing-library/react';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { I18nProvider, MESSAGES } from '../../i18n/i18n';
import { HostContext, type HostState } from '../../lib/host-context';
import type { Locale } from '../../i18n/locale';
import type { Route, RouteName } from '../../lib/router';
import { AppShell, pageName, sectionOf } from '../app-shell';

// The shell alone: the pages behind the routes are tested with their features.
jest.mock('../routes', () => ({ RouteView: () => null }));

/** One route of every name: a route added to router.ts without a title fails to compile here. */
const EVERY_ROUTE: Record<RouteName, Route> = {
  dashboard: { name: 'dashboard' },
  office: { name: 'office', query: new URLSearchParams() },
  account: { name: 'account', id: 'A-001' },
  segments: { name: 'segments', query: new URLSearchParams() },
  settings: { name: 'settings' },
  setup: { name: 'setup' },
  configuration: { name: 'configuration' },
  configurationEdit: { name: 'configurationEdit', part: 'mapping' },
  users: { name: 'users' },
  config: { name: 'config' },
  notFound: { name: 'notFound', path: '/nowhere' },
};

const host = (locale: Locale, isAdmin: boolean): HostState => ({
  inTeams: false,
  theme: 'default',
  locale,
  appId: null,
  subPageId: null,
  frameContext: null,
  isAdmin,
});

function renderShell(hash: string, { locale = 'en-US' as Locale, isAdmin = true, demo = false } = {}) {
  window.location.hash = hash;
  return render(
    <FluentProvider theme={teamsLightTheme}>
      <I18nProvider locale={locale}>
        <HostContext.Provider value={host(locale, isAdmin)}>
          <AppShell demo={demo} />
        </HostContext.Provider>
      </I18nProvider>
    </FluentProvider>,
  );
}

afterEach(() => {
  window.location.hash = '';
});

describe('pageName', () => {
  it.each(Object.values(EVERY_ROUTE).map((route) => [route.name, route] as const))(
    'when the route is %s, then it has its own title in en-US and in id-ID',
    (_name, route) => {
      const en = pageName(route, MESSAGES['en-US']);
      const id = pageName(route, MESSAGES['id-ID']);
      expect(en).not.toBe(MESSAGES['en-US'].app.name);
      expect(id).not.toBe(MESSAGES['id-ID'].app.name);
      // Every page name is translated, none is the English word left in the Indonesian UI.
      expect(id).not.toBe(en);
    },
  );

  it.each([
    ['mapping', 'en-US', 'Editing: Field mapping'],
    ['tenantAdmin', 'id-ID', `Mengubah: ${MESSAGES['id-ID'].configuration.parts.tenantAdmin}`],
    ['toString', 'en-US', 'Page not found'],
    // A part edited elsewhere (the run panel, the settings page) has no page of its own here.
    ['rules', 'en-US', 'Page not found'],
    ['nonsense', 'id-ID', 'Halaman tidak ditemukan'],
  ] as const)('when editing the configuration part %s in %s, then the title is "%s"', (part, locale, expected) => {
    expect(pageName({ name: 'configurationEdit', part }, MESSAGES[locale])).toBe(expected);
  });
});

describe('sectionOf', () => {
  it.each([
    ['account', 'dashboard'],
    ['configurationEdit', 'configuration'],
    ['configuration', 'configuration'],
    ['settings', 'settings'],
    ['office', 'office'],
  ] as const)('when the route is %s, then the nav highlights %s', (name, section) => {
    expect(sectionOf(EVERY_ROUTE[name])).toBe(section);
  });
});

describe('AppShell', () => {
  it('when an admin edits one part of the configuration, then Configuration is the current nav item and the title names the part', () => {
    renderShell('#/settings/configuration/mapping');
    const nav = screen.getByRole('navigation', { name: 'Rapport sections' });
    const current = within(nav).getByRole('link', { current: 'page' });
    expect(current).toHaveTextContent('Configuration');
    expect(current).toHaveAttribute('href', '#/settings/configuration');
    expect(document.title).toBe('Editing: Field mapping · Rapport');
  });

  it('when the page changes in id-ID, then the title follows it in Indonesian', () => {
    renderShell('#/settings/configuration', { locale: 'id-ID' });
    expect(document.title).toBe('Konfigurasi · Rapport');
    act(() => {
      window.location.hash = '#/settings';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(document.title).toBe('Pengaturan · Rapport');
    const nav = screen.getByRole('navigation', { name: 'Bagian Rapport' });
    expect(within(nav).getByRole('link', { current: 'page' })).toHaveTextContent('Pengaturan');
  });

  it('when the user is not an admin, then the configuration is not in the nav', () => {
    renderShell('#/', { isAdmin: false });
    const nav = screen.getByRole('navigation', { name: 'Rapport sections' });
    expect(within(nav).queryByRole('link', { name: 'Configuration' })).not.toBeInTheDocument();
  });

  it('when in demo mode, then the badge says so and its text may wrap inside its outline at narrow widths', () => {
    renderShell('#/', { demo: true });
    const badge = screen.getByText(MESSAGES['en-US'].app.demoMode);
    expect(getComputedStyle(badge).whiteSpace).toBe('normal');
    // jsdom's cascade ignores Griffel's bucket order (reset styles first), so read the rules the
    // badge's own classes set: one of them lets the height follow the wrapped text.
    const own = new Set(Array.from(badge.classList, (name) => `.${name}`));
    const heights = Array.from(document.styleSheets)
      .flatMap((sheet) => Array.from(sheet.cssRules))
      .filter((rule): rule is CSSStyleRule => rule instanceof CSSStyleRule && own.has(rule.selectorText))
      .map((rule) => rule.style.height)
      .filter(Boolean);
    expect(heights).toContain('auto');
  });
});
