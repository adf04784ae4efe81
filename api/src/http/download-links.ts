/**
 * Signed download links. A browser download (a CSV opened from a link, or handed to the user's
 * browser by Teams) cannot carry the Teams SSO bearer token, so an authenticated caller asks
 * for a short-lived link to one export; the link's HMAC signature stands in for the token on
 * that one path and query, and only on export paths.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';
import type { Clock } from '../services/clock';
import type { Identity } from '../services/identity';

/**
 * The exports a signed link may open: the Office table, a segment's members, and the setup's
 * files (the template CSV and a partial import's rejected rows), which inside Teams must open in
 * the user's browser like any other download.
 */
export const DOWNLOADABLE_PATHS: readonly RegExp[] = [
  /^\/api\/results\/office\.(csv|json)$/,
  /^\/api\/segments\/[^/]+\/members$/,
  /^\/api\/datasets\/template\.csv$/,
  /^\/api\/datasets\/[^/]+\/rejected\.csv$/,
];
const PARAMS = ['dl_exp', 'dl_sub', 'dl_tid', 'dl_adm', 'dl_eml', 'dl_sig'] as const;

export function isDownloadable(pathname: string): boolean {
  return DOWNLOADABLE_PATHS.some((re) => re.test(pathname));
}

export class DownloadSigner {
  constructor(
    private readonly clock: Clock,
    private readonly key: Buffer = randomBytes(32),
    /** @default 5 minutes */
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** A link to `target` (a path with its query) for `identity`, valid for `ttlMs`. */
  sign(target: string, identity: Identity): { url: string; expiresAt: string } {
    const url = new URL(target, 'http://rapport.invalid');
    if (!isDownloadable(url.pathname)) {
      throw new AppError('VALIDATION_FAILED', `Only exports can be downloaded through a link: ${url.pathname} is not one.`, { path: url.pathname });
    }
    for (const p of PARAMS) url.searchParams.delete(p);
    const expiresAt = this.clock.now().getTime() + this.ttlMs;
    url.searchParams.set('dl_exp', String(expiresAt));
    url.searchParams.set('dl_sub', identity.id);
    url.searchParams.set('dl_tid', identity.tenantId);
    url.searchParams.set('dl_adm', identity.isAdmin ? '1' : '0');
    // The sign-in address travels signed too: "My accounts" exports (owner=me) match it with
    // the owner column. Absent when the sign-in carries none, as on the bearer token.
    if (identity.email) url.searchParams.set('dl_eml', identity.email);
    url.searchParams.set('dl_sig', this.signature(url));
    return { url: `${url.pathname}${url.search}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * The identity a signed link carries; null when the request has no link signature. A link
   * that is expired, altered or used on another path is rejected with UNAUTHENTICATED.
   */
  verify(pathname: string, query: URLSearchParams): Identity | null {
    const sig = query.get('dl_sig');
    if (sig === null) return null;
    const url = new URL(`http://rapport.invalid${pathname}`);
    query.forEach((value, name) => {
      if (name !== 'dl_sig') url.searchParams.append(name, value);
    });
    const expected = Buffer.from(this.signature(url));
    const given = Buffer.from(sig);
    if (!isDownloadable(pathname) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('UNAUTHENTICATED', 'This download link is not valid; export again from Rapport.', { reason: 'badDownloadLink' });
    }
    if (Number(query.get('dl_exp')) <= this.clock.now().getTime()) {
      throw new AppError('UNAUTHENTICATED', 'This download link has expired; export again from Rapport.', { reason: 'expiredDownloadLink' });
    }
    return { id: query.get('dl_sub') ?? '', name: 'Download link', tenantId: query.get('dl_tid') ?? '', isAdmin: query.get('dl_adm') === '1', email: query.get('dl_eml') };
  }

  private signature(url: URL): string {
    const params = [...url.searchParams.entries()].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
    const canonical = `${url.pathname}?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
    return createHmac('sha256', this.key).update(canonical).digest('base64url');
  }
}
