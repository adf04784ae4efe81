import type { ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import { FluentProvider } from '@fluentui/react-components';
import { I18nProvider } from '../i18n/i18n';
import type { Locale } from '../i18n/locale';
import { HostContext, type HostState } from '../lib/host-context';
import { themeFor } from '../lib/theme';

/** Renders a feature component inside the app's providers (theme, locale, host). */
export function renderWithProviders(ui: ReactElement, options: { locale?: Locale; host?: Partial<HostState> } = {}): RenderResult {
  const locale = options.locale ?? 'en-US';
  const host: HostState = {
    inTeams: false,
    theme: 'default',
    locale,
    appId: null,
    subPageId: null,
    frameContext: null,
    isAdmin: true,
    ...options.host,
  };
  return render(
    <FluentProvider theme={themeFor(host.theme)}>
      <I18nProvider locale={locale}>
        <HostContext.Provider value={host}>{ui}</HostContext.Provider>
      </I18nProvider>
    </FluentProvider>,
  );
}
