/**
 * Everything the tab asks of the Teams host, behind plain functions. Outside Teams (a laptop
 * browser, the e2e screenshots, tests) the same app runs in browser mode.
 */
import type * as TeamsSdk from '@microsoft/teams-js';
import { browserThemeName, toThemeName, type TeamsThemeName } from './theme';
import { pickLocale, type Locale } from '../i18n/locale';

export interface HostInfo {
  inTeams: boolean;
  theme: TeamsThemeName;
  locale: Locale;
  /** Teams app id, for deep links (from the context, or the build's VITE_TEAMS_APP_ID). */
  appId: string | null;
  /** `page.subPageId` of a deep link: the account whose card to open. */
  subPageId: string | null;
  /** `content`, `settings` (channel tab config), ... */
  frameContext: string | null;
}

/**
 * The Teams SDK is loaded only when the page is framed: importing it fetches the list of valid
 * origins from a CDN, which a plain browser tab (or an offline demo) has no use for.
 */
let sdk: Promise<typeof TeamsSdk> | null = null;
function teamsSdk() {
  sdk ??= import('@microsoft/teams-js');
  return sdk;
}

/** How long the first render may wait for Teams before going on in browser mode. */
export const TEAMS_INIT_TIMEOUT_MS = 1500;

type MatchMedia = (query: string) => { matches: boolean };

function windowMatchMedia(): MatchMedia | undefined {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? (q) => window.matchMedia(q) : undefined;
}

/** Browser mode: `?theme=` and `?lang=` query parameters, then the browser's own preferences. */
export function browserHost(search = window.location.search, matchMedia = windowMatchMedia(), appId: string | null = null): HostInfo {
  const params = new URLSearchParams(search);
  return {
    inTeams: false,
    theme: browserThemeName(search, matchMedia),
    locale: pickLocale(params.get('lang') ?? (typeof navigator !== 'undefined' ? navigator.language : null)),
    appId,
    subPageId: null,
    frameContext: null,
  };
}

function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
}

/**
 * Connects to Teams without ever blocking the first render: `app.initialize()` is raced
 * against a short timeout, and a page that is not framed is not in Teams at all.
 * Resolves to `null` in browser mode.
 */
export async function connectTeams(options: {
  fallback: HostInfo;
  onThemeChange: (theme: TeamsThemeName) => void;
  timeoutMs?: number;
}): Promise<HostInfo | null> {
  if (typeof window === 'undefined' || (window.parent === window && !window.opener)) return null;
  try {
    const { app } = await teamsSdk();
    const outcome = await Promise.race([app.initialize().then(() => 'ready' as const), timeout(options.timeoutMs ?? TEAMS_INIT_TIMEOUT_MS)]);
    if (outcome !== 'ready') return null;
    const context = await app.getContext();
    app.registerOnThemeChangeHandler((theme) => options.onThemeChange(toThemeName(theme) ?? 'default'));
    app.notifySuccess();
    const query = new URLSearchParams(window.location.search);
    return {
      inTeams: true,
      theme: toThemeName(context.app.theme) ?? 'default',
      locale: pickLocale(query.get('lang') ?? context.app.locale),
      appId: context.app.appId?.toString() ?? options.fallback.appId,
      subPageId: context.page.subPageId || null,
      frameContext: context.page.frameContext ?? null,
    };
  } catch {
    return null;
  }
}

/** The Teams SSO token for the Rapport API (the resource in webApplicationInfo). */
export async function getSsoToken(): Promise<string> {
  const { authentication } = await teamsSdk();
  return authentication.getAuthToken();
}

/** Opens the tenant-admin consent page: a Teams auth popup in Teams, a window in a browser. */
export async function openConsentWindow(url: string, inTeams: boolean): Promise<void> {
  if (inTeams) {
    const { authentication } = await teamsSdk();
    try {
      await authentication.authenticate({ url, width: 600, height: 680 });
    } catch {
      // The callback page closes the popup without notifySuccess; the caller re-reads the status.
    }
    return;
  }
  const popup = window.open(url, 'rapport-consent', 'width=600,height=680');
  if (!popup) return;
  // The callback page posts `{ type: 'rapport.consent' }` to its opener and closes itself.
  await new Promise<void>((resolve) => {
    const done = () => {
      window.clearInterval(timer);
      window.removeEventListener('message', onMessage);
      resolve();
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin === window.location.origin && (event.data as { type?: string } | null)?.type === 'rapport.consent') done();
    };
    const timer = window.setInterval(() => popup.closed && done(), 500);
    window.addEventListener('message', onMessage);
  });
}

/** Opens a URL in the user's browser (CSV downloads do not work inside the Teams webview). */
export function openInBrowser(url: string, inTeams: boolean): void {
  const absolute = new URL(url, window.location.href).toString();
  if (inTeams) {
    void teamsSdk()
      .then(({ app }) => app.openLink(absolute))
      .catch(() => window.open(absolute, '_blank', 'noopener'));
  } else {
    window.open(absolute, '_blank', 'noopener');
  }
}

export const DEFAULT_ENTITY_ID = 'rapport-dashboard';

/**
 * A Teams deep link to a customer card: the tab opens with `subPageId` = the account id and
 * routes to `#/accounts/{id}`.
 */
export function buildCardDeepLink(appId: string, accountId: string, options: { entityId?: string; label?: string } = {}): string {
  const entityId = options.entityId ?? DEFAULT_ENTITY_ID;
  const context = encodeURIComponent(JSON.stringify({ subEntityId: accountId }));
  const label = options.label ? `&label=${encodeURIComponent(options.label)}` : '';
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(appId)}/${encodeURIComponent(entityId)}?context=${context}${label}`;
}

export type ChannelView = 'dashboard' | 'segments';

/**
 * The channel tab's configuration page: registers the save handler and tells Teams the
 * configuration is valid. `getView` is read at save time, so the latest choice is saved.
 */
export async function registerChannelConfig(getView: () => ChannelView, displayName: string): Promise<void> {
  const { pages } = await teamsSdk();
  pages.config.registerOnSaveHandler((saveEvent) => {
    const view = getView();
    const base = `${window.location.origin}${window.location.pathname}`;
    pages.config
      .setConfig({
        contentUrl: `${base}#/${view === 'segments' ? 'segments' : ''}`,
        websiteUrl: `${base}#/${view === 'segments' ? 'segments' : ''}`,
        entityId: `rapport-${view}`,
        suggestedDisplayName: displayName,
      })
      .then(
        () => saveEvent.notifySuccess(),
        (error: unknown) => saveEvent.notifyFailure(error instanceof Error ? error.message : String(error)),
      );
  });
  pages.config.setValidityState(true);
}
