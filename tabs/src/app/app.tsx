import { useEffect, useMemo, useState } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import { I18nProvider } from '../i18n/i18n';
import { HostContext, type HostState } from '../lib/host-context';
import { navigate, paths } from '../lib/router';
import { ResultsFreshnessProvider } from '../lib/results-freshness';
import { themeFor, type TeamsThemeName } from '../lib/theme';
import type { HostInfo } from '../lib/teams';
import { useMe } from './api/get-me';
import { AppShell } from './app-shell';

export interface TeamsConnection {
  /** Resolves with the Teams context, or null in browser mode; never awaited before rendering. */
  ready: Promise<HostInfo | null>;
  /** Registers the app's handler for `app.registerOnThemeChangeHandler`. */
  onThemeChange: (handler: (theme: TeamsThemeName) => void) => void;
}

/**
 * The root: renders at once in browser mode, then switches theme, locale and deep link when
 * (and if) Teams answers.
 */
export function App({ initialHost, teams }: { initialHost: HostInfo; teams?: TeamsConnection }) {
  const [host, setHost] = useState<HostInfo>(initialHost);
  const me = useMe();

  useEffect(() => {
    if (!teams) return;
    let live = true;
    teams.onThemeChange((theme) => live && setHost((h) => ({ ...h, theme })));
    void teams.ready.then((info) => {
      if (!live || !info) return;
      setHost(info);
      if (info.subPageId) navigate(paths.account(info.subPageId));
    });
    return () => {
      live = false;
    };
  }, [teams]);

  useEffect(() => {
    document.documentElement.lang = host.locale;
  }, [host.locale]);

  const state = useMemo<HostState>(() => ({ ...host, isAdmin: me.data?.isAdmin ?? false }), [host, me.data]);

  return (
    <FluentProvider theme={themeFor(host.theme)} lang={host.locale} dir="ltr" data-theme={host.theme}>
      <I18nProvider locale={host.locale}>
        <HostContext.Provider value={state}>
          {/* New results after any run refresh every open view (lib/results-freshness.tsx). */}
          <ResultsFreshnessProvider>
            <AppShell demo={me.data?.mode === 'demo'} />
          </ResultsFreshnessProvider>
        </HostContext.Provider>
      </I18nProvider>
    </FluentProvider>
  );
}
