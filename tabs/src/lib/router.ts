/**
 * A tiny hash router. Hash routing keeps deep links working inside the Teams iframe and when
 * Express serves the built tab with an SPA fallback.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'dashboard' }
  | { name: 'office'; query: URLSearchParams }
  | { name: 'account'; id: string }
  | { name: 'segments' }
  | { name: 'setup' }
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
  if (path === '/segments') return { name: 'segments' };
  if (path === '/setup') return { name: 'setup' };
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
  segments: () => '#/segments',
  setup: () => '#/setup',
  users: () => '#/users',
  config: () => '#/config',
} as const;

export function navigate(href: string): void {
  window.location.hash = href.replace(/^#/, '');
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
