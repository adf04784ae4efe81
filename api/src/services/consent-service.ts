/**
 * Tenant-admin consent (DESIGN.md §5): the admin consent URL with a one-time `state`, the
 * callback, and the check of the application permissions actually granted.
 */
import { randomBytes } from 'node:crypto';
import type { TenantGateway } from '../enrichment/ports';
import { AppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import type { Clock } from './clock';
import type { Identity } from './identity';
import { Listeners } from './listeners';
import type { Logger } from './logger';
import type { AppState, ConsentState, ConsentStatusName } from './state';

/** Least privilege (DESIGN.md §5). */
export const REQUIRED_PERMISSIONS = ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'] as const;

/** Broader permissions that also cover a required one. */
const SATISFIED_BY: Record<(typeof REQUIRED_PERMISSIONS)[number], string[]> = {
  'Mail.ReadBasic.All': ['Mail.Read', 'Mail.ReadWrite'],
  'Calendars.ReadBasic.All': ['Calendars.Read', 'Calendars.ReadWrite'],
  'User.Read.All': ['Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  'GroupMember.Read.All': ['Directory.Read.All', 'Group.Read.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
};

const STATE_TTL_MS = 60 * 60 * 1000;
const MAX_PENDING = 20;

export interface ConsentView {
  status: ConsentStatusName;
  grantedPermissions: string[];
  missingPermissions: string[];
  requiredPermissions: string[];
  grantedAt: string | null;
  error: string | null;
  /** Extra: when the granted permissions were last read from the tenant. */
  checkedAt: string | null;
}

export type CallbackQuery = Record<string, string | undefined>;

export interface CallbackOutcome {
  outcome: 'granted' | 'denied';
  consent: ConsentView;
  /** Set when consent was given but some required permissions are still missing. */
  message: string;
}

export function missingPermissions(granted: readonly string[]): string[] {
  const have = new Set(granted);
  return REQUIRED_PERMISSIONS.filter((p) => !have.has(p) && !SATISFIED_BY[p].some((alt) => have.has(alt)));
}

export class ConsentService {
  private readonly granted = new Listeners<Date>();

  constructor(
    private readonly deps: {
      state: DocumentStore<AppState>;
      gateway: TenantGateway;
      clock: Clock;
      logger: Logger;
      /** Used for the redirect URI when set; otherwise the caller passes the request's origin. */
      publicUrl?: string;
      /** @default 32 random bytes, base64url */
      randomState?: () => string;
    },
  ) {}

  /** Fires after each successful grant with the grant time (the scheduler plans the first run). */
  onGranted(listener: (at: Date) => void | Promise<void>): () => void {
    return this.granted.add(listener);
  }

  async view(): Promise<ConsentView> {
    return toView((await this.deps.state.read()).consent);
  }

  /** True when runs may start: granted, with every required permission. */
  async isReady(): Promise<boolean> {
    return isReadyState((await this.deps.state.read()).consent);
  }

  /** Throws CONSENT_REQUIRED with what is missing. */
  async assertReady(): Promise<void> {
    const c = (await this.deps.state.read()).consent;
    if (c.status !== 'granted') {
      throw new AppError('CONSENT_REQUIRED', 'The tenant administrator has not granted consent yet; send the consent request from the setup page.');
    }
    if (c.missingPermissions.length > 0) {
      throw new AppError('CONSENT_REQUIRED', `Consent is missing these application permissions: ${c.missingPermissions.join(', ')}. Ask the tenant administrator to grant them.`, {
        missingPermissions: c.missingPermissions,
      });
    }
  }

  redirectUri(requestOrigin: string): string {
    const origin = (this.deps.publicUrl ?? requestOrigin).replace(/\/+$/, '');
    return `${origin}/api/consent/callback`;
  }

  /** POST /api/consent/request: a fresh `state`, stored with its expiry, in the admin consent URL. */
  async request(by: Identity, requestOrigin: string): Promise<{ url: string; state: string; expiresAt: string }> {
    const now = this.deps.clock.now();
    const state = this.deps.randomState?.() ?? randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS).toISOString();
    await this.deps.state.update((draft) => {
      const c = draft.consent;
      c.pendingStates = c.pendingStates.filter((p) => Date.parse(p.expiresAt) > now.getTime()).slice(-(MAX_PENDING - 1));
      c.pendingStates.push({ state, expiresAt });
      if (c.status !== 'granted') {
        c.status = 'pending';
        c.error = null;
      }
      c.requestedAt = now.toISOString();
      c.requestedBy = by.id;
    });
    const { gateway } = this.deps;
    const url = new URL(`${gateway.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(gateway.tenantId)}/adminconsent`);
    url.searchParams.set('client_id', gateway.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri(requestOrigin));
    url.searchParams.set('state', state);
    return { url: url.toString(), state, expiresAt };
  }

  /**
   * GET /api/consent/callback. The `state` is accepted once and only before it expires; a
   * mismatch changes nothing. On success the granted roles are read from a fresh app token.
   */
  async handleCallback(query: CallbackQuery): Promise<CallbackOutcome> {
    const now = this.deps.clock.now();
    const result = await this.deps.state.update(async (draft) => {
      const c = draft.consent;
      const wasReady = isReadyState(c);
      const index = c.pendingStates.findIndex((p) => p.state === query.state && Date.parse(p.expiresAt) > now.getTime());
      if (!query.state || index < 0) {
        throw new AppError('CONSENT_STATE_MISMATCH', undefined, { reason: query.state ? 'unknownOrExpiredState' : 'missingState' });
      }
      c.pendingStates.splice(index, 1);
      if (query.error || query.admin_consent?.toLowerCase() !== 'true') {
        const description = query.error_description?.split(/\r?\n/)[0]?.slice(0, 500) ?? '';
        // A cancelled re-request does not take back permissions granted earlier.
        if (c.status !== 'granted') c.status = 'denied';
        c.error = query.error ? `${query.error}${description ? `: ${description}` : ''}` : 'The consent response did not confirm admin consent.';
        this.deps.logger.warn('admin consent denied', { error: query.error });
        return { outcome: 'denied' as const, message: c.error, becameReady: false };
      }
      if (query.tenant && query.tenant.toLowerCase() !== this.deps.gateway.tenantId.toLowerCase() && this.deps.gateway.mode === 'production') {
        c.status = 'denied';
        c.error = `Consent was granted in tenant ${query.tenant}, not in the configured tenant ${this.deps.gateway.tenantId}.`;
        return { outcome: 'denied' as const, message: c.error, becameReady: false };
      }
      const roles = await this.deps.gateway.grantedRoles();
      applyRoles(c, roles, now);
      c.status = 'granted';
      c.grantedAt = now.toISOString();
      c.error = null;
      return {
        outcome: 'granted' as const,
        message: c.missingPermissions.length === 0 ? 'Consent granted. Rapport can now run.' : `Consent granted, but these permissions are missing: ${c.missingPermissions.join(', ')}.`,
        becameReady: !wasReady && isReadyState(c),
      };
    });
    if (result.becameReady) await this.emitGranted(now);
    return { outcome: result.outcome, message: result.message, consent: await this.view() };
  }

  /**
   * POST /api/consent/check: reads the granted permissions again. Covers consent given directly
   * in the admin console, where no callback ever arrives.
   */
  async check(): Promise<ConsentView> {
    const now = this.deps.clock.now();
    const roles = await this.deps.gateway.grantedRoles();
    const becameReady = await this.deps.state.update((draft) => {
      const c = draft.consent;
      const wasReady = isReadyState(c);
      applyRoles(c, roles, now);
      // Permissions granted in the admin console count as consent even though no callback came.
      if (roles.length > 0 && c.status !== 'granted') {
        c.status = 'granted';
        c.grantedAt = now.toISOString();
        c.error = null;
      }
      // An app token with none of the permissions: consent was withdrawn (or never given).
      if (roles.length === 0 && c.status === 'granted') {
        c.status = 'notRequested';
        c.grantedAt = null;
        c.error = 'Consent was withdrawn: the app no longer holds any of its permissions. Request consent again.';
      }
      return !wasReady && isReadyState(c);
    });
    if (becameReady) await this.emitGranted(now);
    return this.view();
  }

  private async emitGranted(at: Date): Promise<void> {
    await this.granted.emit(at, (e) => this.deps.logger.error('consent listener failed', { error: (e as Error).message }));
  }
}

function applyRoles(c: ConsentState, roles: string[], now: Date): void {
  c.grantedPermissions = [...new Set(roles)].sort();
  c.missingPermissions = missingPermissions(roles);
  c.checkedAt = now.toISOString();
}

function isReadyState(c: ConsentState): boolean {
  return c.status === 'granted' && c.missingPermissions.length === 0;
}

function toView(c: ConsentState): ConsentView {
  return {
    status: c.status,
    grantedPermissions: c.grantedPermissions,
    missingPermissions: c.checkedAt ? c.missingPermissions : [...REQUIRED_PERMISSIONS],
    requiredPermissions: [...REQUIRED_PERMISSIONS],
    grantedAt: c.grantedAt,
    error: c.error,
    checkedAt: c.checkedAt,
  };
}
