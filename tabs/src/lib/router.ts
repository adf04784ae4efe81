/**
 * A tiny hash router. Hash routing keeps deep links working inside the Teams iframe and when
 * Express serves the built tab with an SPA fallback.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'dashboard' }
  | { name: 'office'; query: URLSearchParams }
  | { name: 'account'; id: string }
  | { name: 'segments'; query: URLSearchParams }
  | { name: 'settings' }
  | { name: 'setup' }
  | { name: 'configuration' }
  /** One part of the saved configuration, edited on its own (`part`: a ConfigPart of the API's contract). */
  | { name: 'configurationEdit'; part: string }
  | { name: 'users' }
  | { name: 'config' }
  | { name: 'notFound'; path: string };

export type RouteName = Route['name'];

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [pathPart, queryPart = ''] = raw.split('?', 2) as [string, string?];
  const path = pathPart.replace(/\/+$/, '') || '/';
  const query = new URLSearchParams(queryPart);
  if (path === '/') return { name: 'dashboard' };
  if (path === '/office') return { name: 'office', query };
  if (path === '/segments') return { name: 'segments', query };
  if (path === '/settings') return { name: 'settings' };
  if (path === '/setup') return { name: 'setup' };
  if (path === '/settings/configuration') return { name: 'configuration' };
  const configPart = /^\/settings\/configuration\/([^/]+)$/.exec(path);
  if (configPart?.[1]) return { name: 'configurationEdit', part: decodeURIComponent(configPart[1]) };
  if (path === '/users') return { name: 'users' };
  if (path === '/config') return { name: 'config' };
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account?.[1]) return { name: 'account', id: decodeURIComponent(account[1]) };
  return { name: 'notFound', path };
}

/** `#/accounts/…` etc.; use it as an `href`. */
export const paths = {
  dashboard: () => '#/',
  office: (query?: Record<string, string>) => {
    const qs = new URLSearchParams(query).toString();
    return qs ? `#/office?${qs}` : '#/office';
  },
  account: (id: string) => `#/accounts/${encodeURIComponent(id)}`,
  /** `open`: a segment id whose members the page shows at once (the dashboard's stale links). */
  segments: (open?: string) => (open ? `#/segments?${new URLSearchParams({ open }).toString()}` : '#/segments'),
  settings: () => '#/settings',
  setup: () => '#/setup',
  configuration: () => '#/settings/configuration',
  configurationEdit: (part: string) => `#/settings/configuration/${encodeURIComponent(part)}`,
  users: () => '#/users',
  config: () => '#/config',
} as const;

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
}

/**
 * In-app history: every history entry the tab creates is stamped with its depth (0 for the page
 * the tab was opened on, a deep link included). "Back" then knows whether the entry before is
 * one of ours, and goes there with history.back() (the list keeps its filters and scroll) or,
 * when the tab was opened on this page, to a sensible parent instead of leaving the app.
 */
const DEPTH_KEY = 'rapportDepth';
let lastDepth = 0;

function depthOf(state: unknown): number | null {
  const depth = (state as Record<string, unknown> | null)?.[DEPTH_KEY];
  return typeof depth === 'number' ? depth : null;
}

function stamp(depth: number): void {
  lastDepth = depth;
  window.history.replaceState({ ...((window.history.state as object | null) ?? {}), [DEPTH_KEY]: depth }, '');
}

/** Starts stamping entries; returns the stop function. The app shell calls it once. */
export function trackHistory(): () => void {
  const known = depthOf(window.history.state);
  if (known === null) stamp(0);
  else lastDepth = known;
  const onChange = () => {
    const depth = depthOf(window.history.state);
    // An entry seen before (browser back/forward) keeps its depth; a new one is one deeper.
    if (depth === null) stamp(lastDepth + 1);
    else lastDepth = depth;
  };
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** True when the previous history entry is a page of the tab. */
export function canGoBack(): boolean {
  return (depthOf(window.history.state) ?? 0) > 0;
}

/** Back to where the user came from inside the tab, else to `fallback`. */
export function goBack(fallback: string): void {
  if (canGoBack()) window.history.back();
  else navigate(fallback);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash, () => '');
}

export function useRoute(): Route {
  return parseHash(useHash());
}
