/**
 * Tenant-admin consent (DESIGN.md §5): the admin consent URL with a one-time `state`, the
 * callback, and the check of the application permissions actually granted.
 *
 * The mail and calendar permissions can be granted in two places. Tenant-wide, as app roles
 * consented in Entra ID: they are in the app token's `roles`. Or per mailbox, with RBAC for
 * Applications in Exchange Online (https://learn.microsoft.com/exchange/permissions-exo/application-rbac):
 * Entra ID knows nothing of that grant, so it is never in the token. When a mailbox permission is
 * missing from the token, the check reads selected mailboxes to learn whether Exchange grants it.
 */
import { randomBytes } from 'node:crypto';
import type { SelectedMailbox } from '../engagement/types';
import type { ActivitySource, MailboxAccess, TenantGateway } from '../enrichment/ports';
import { AppError, isAppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import type { Clock } from './clock';
import type { Identity } from './identity';
import { Listeners } from './listeners';
import type { Logger } from './logger';
import type { AppState, ConfigVersion, ConsentState, ConsentStatusName } from './state';
import type { ConsentAdminRequest } from '../contract/consent';

/** Least privilege (DESIGN.md §5). */
export const REQUIRED_PERMISSIONS = ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'] as const;
export type RequiredPermission = (typeof REQUIRED_PERMISSIONS)[number];

/**
 * The permissions Exchange Online can grant per mailbox, and which half of a mailbox probe
 * answers for each. Exchange's roles are `Application Mail.ReadBasic` and, since Exchange has no
 * ReadBasic calendar role, `Application Calendars.Read` (docs/deploy.md).
 */
export const MAILBOX_PERMISSIONS = { 'Mail.ReadBasic.All': 'mail', 'Calendars.ReadBasic.All': 'calendar' } as const satisfies Partial<Record<RequiredPermission, keyof MailboxAccess>>;
export type MailboxPermission = keyof typeof MAILBOX_PERMISSIONS;

/**
 * Mailboxes read at most to find the Exchange grant. One out-of-scope mailbox among the selected
 * ones must not hide a grant that covers the others; each probe costs two small requests.
 */
export const MAX_PROBED_MAILBOXES = 3;

/** Where a granted required permission comes from: the token's `roles`, or Exchange RBAC for Applications. */
export type GrantedThrough = 'appRole' | 'exchangeRbac';

/** Broader permissions that also cover a required one. */
const SATISFIED_BY: Record<RequiredPermission, string[]> = {
  'Mail.ReadBasic.All': ['Mail.Read', 'Mail.ReadWrite'],
  'Calendars.ReadBasic.All': ['Calendars.Read', 'Calendars.ReadWrite'],
  'User.Read.All': ['Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  'GroupMember.Read.All': ['Directory.Read.All', 'Group.Read.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All'],
};

const STATE_TTL_MS = 60 * 60 * 1000;
const MAX_PENDING = 20;
/**
 * A link sent to the tenant administrator in a chat or an email is read later than a popup is
 * used: its state is accepted for a week, and the popup states never push it out.
 */
export const ADMIN_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Requests kept for the consent panel and GET /api/consent/requests. */
const MAX_ADMIN_REQUESTS = 50;

export type AdminRequestChannel = ConsentAdminRequest['channel'];

export interface ConsentView {
  status: ConsentStatusName;
  /** The token's roles, plus the required permissions granted through Exchange RBAC for Applications. */
  grantedPermissions: string[];
  missingPermissions: string[];
  requiredPermissions: string[];
  /** For each granted required permission, where it is granted. */
  grantedThrough: Partial<Record<RequiredPermission, GrantedThrough>>;
  /** Set when a mail or calendar permission is not in the token: what reading selected mailboxes found. */
  exchangeRbac: ExchangeRbacView | null;
  grantedAt: string | null;
  error: string | null;
  /** Extra: when the granted permissions were last read from the tenant. */
  checkedAt: string | null;
  /** The latest request to the tenant administrator; null when nobody was asked. */
  adminRequest: ConsentAdminRequest | null;
}

export interface ExchangeRbacView {
  /** The selected mailboxes read (empty when none could be). */
  mailboxes: string[];
  message: string;
}

/**
 * What reading selected mailboxes found. A grant through Exchange RBAC for Applications shows only
 * there: the mailbox answers, or Microsoft Graph refuses it with `ErrorAccessDenied`.
 */
export type ExchangeRbacProbe =
  | { outcome: 'probed'; mailboxes: ProbedMailbox[] }
  /** No configuration yet: there is no selected mailbox to read. */
  | { outcome: 'notConfigured' }
  /** The configured addresses resolve to no mailbox. */
  | { outcome: 'noMailbox' }
  /** Without the directory permissions the addresses cannot be resolved into mailboxes. */
  | { outcome: 'directoryUnreadable' }
  | { outcome: 'failed'; message: string };

/** `unavailable`: the user has no mailbox Microsoft Graph can read (MailboxNotEnabledForRESTAPI). */
export interface ProbedMailbox {
  mailbox: string;
  access: MailboxAccess | 'unavailable';
}

/** What one permission check decides. */
export interface PermissionDecision {
  grantedPermissions: string[];
  missingPermissions: RequiredPermission[];
  grantedThrough: Partial<Record<RequiredPermission, GrantedThrough>>;
  /** Null when the token holds both mailbox permissions: nothing was (or needed to be) read. */
  exchangeRbac: ExchangeRbacView | null;
}

/**
 * The consent state with where each permission is granted. Kept optional and beside the service
 * (not in state.ts) so state files written before it still read.
 */
type ConsentRecord = ConsentState & {
  grantedThrough?: Partial<Record<RequiredPermission, GrantedThrough>>;
  exchangeRbac?: ExchangeRbacView | null;
  /** Requests to the tenant administrator, oldest first. */
  adminRequests?: ConsentAdminRequest[];
  pendingStates: PendingState[];
};

/** `adminLink`: the state of a link sent to the tenant administrator (kept a week, never evicted by popups). */
type PendingState = ConsentState['pendingStates'][number] & { adminLink?: boolean };

export type CallbackQuery = Record<string, string | undefined>;

export interface CallbackOutcome {
  outcome: 'granted' | 'denied';
  consent: ConsentView;
  /** Set when consent was given but some required permissions are still missing. */
  message: string;
}

/** The required permissions the token's roles do not cover. */
export function missingPermissions(granted: readonly string[]): RequiredPermission[] {
  const have = new Set(granted);
  return REQUIRED_PERMISSIONS.filter((p) => !have.has(p) && !SATISFIED_BY[p].some((alt) => have.has(alt)));
}

function isMailboxPermission(p: RequiredPermission): p is MailboxPermission {
  return p in MAILBOX_PERMISSIONS;
}

/** The mailbox permissions the token lacks: only these are looked for in Exchange. */
export function mailboxPermissionsToProbe(roles: readonly string[]): MailboxPermission[] {
  return missingPermissions(roles).filter(isMailboxPermission);
}

/** True when the probed mailboxes show `permission` granted on at least one of them. */
function grantedOnSome(probe: ExchangeRbacProbe | null, permission: MailboxPermission): boolean {
  if (probe?.outcome !== 'probed') return false;
  const half = MAILBOX_PERMISSIONS[permission];
  return probe.mailboxes.some((m) => m.access !== 'unavailable' && m.access[half] === 'granted');
}

/**
 * Decides the granted and missing permissions from the token's roles and, for a mailbox
 * permission the token lacks, from what reading selected mailboxes found. A mailbox that answers
 * proves the grant in Exchange; `ErrorAccessDenied` on every probed mailbox leaves it missing.
 */
export function decidePermissions(roles: readonly string[], probe: ExchangeRbacProbe | null): PermissionDecision {
  const fromToken = new Set<RequiredPermission>(REQUIRED_PERMISSIONS);
  for (const p of missingPermissions(roles)) fromToken.delete(p);
  const grantedThrough: PermissionDecision['grantedThrough'] = {};
  const missing: RequiredPermission[] = [];
  const viaExchange: MailboxPermission[] = [];
  const notViaExchange: MailboxPermission[] = [];
  for (const p of REQUIRED_PERMISSIONS) {
    if (fromToken.has(p)) grantedThrough[p] = 'appRole';
    else if (isMailboxPermission(p) && grantedOnSome(probe, p)) {
      grantedThrough[p] = 'exchangeRbac';
      viaExchange.push(p);
    } else {
      missing.push(p);
      if (isMailboxPermission(p)) notViaExchange.push(p);
    }
  }
  const granted = [...new Set([...roles, ...viaExchange])].sort();
  const exchangeRbac =
    viaExchange.length + notViaExchange.length === 0
      ? null
      : { mailboxes: probe?.outcome === 'probed' ? probe.mailboxes.map((m) => m.mailbox) : [], message: exchangeRbacMessage(probe, viaExchange, notViaExchange) };
  return { grantedPermissions: granted, missingPermissions: missing, grantedThrough, exchangeRbac };
}

function exchangeRbacMessage(probe: ExchangeRbacProbe | null, viaExchange: MailboxPermission[], notViaExchange: MailboxPermission[]): string {
  const list = (ps: readonly string[]): string => ps.join(' and ');
  const parts: string[] = [];
  if (viaExchange.length > 0) {
    const readOn = (probe?.outcome === 'probed' ? probe.mailboxes : []).filter(({ access }) => access !== 'unavailable' && viaExchange.some((p) => access[MAILBOX_PERMISSIONS[p]] === 'granted'));
    parts.push(`${list(viaExchange)} ${viaExchange.length === 1 ? 'is' : 'are'} granted through Exchange RBAC for Applications (read on ${readOn.map((m) => m.mailbox).join(', ')}).`);
  }
  if (notViaExchange.length > 0) {
    const lacking = `${list(notViaExchange)} ${notViaExchange.length === 1 ? 'is' : 'are'} not in the app token`;
    switch (probe?.outcome) {
      case 'probed': {
        const denied = probe.mailboxes.filter((m) => m.access !== 'unavailable').map((m) => m.mailbox);
        const unavailable = probe.mailboxes.filter((m) => m.access === 'unavailable').map((m) => m.mailbox);
        parts.push(
          `${lacking}, and Exchange Online does not grant ${notViaExchange.length === 1 ? 'it' : 'them'} either` +
            (denied.length > 0 ? `: Microsoft Graph refused ${denied.join(', ')} (ErrorAccessDenied)` : '') +
            (unavailable.length > 0 ? `${denied.length > 0 ? ';' : ':'} ${unavailable.join(', ')} ${unavailable.length === 1 ? 'has' : 'have'} no mailbox to read` : '') +
            '. Grant the permission in Entra ID, or assign the Exchange application role with a scope that holds the selected mailboxes (docs/deploy.md).',
        );
        break;
      }
      case 'notConfigured':
        parts.push(`${lacking}. A grant made in Exchange Online (RBAC for Applications) is checked once mailboxes are configured: save the configuration, then refresh the consent status.`);
        break;
      case 'noMailbox':
        parts.push(`${lacking}. A grant made in Exchange Online (RBAC for Applications) is checked on a selected mailbox, and the configured addresses resolve to none.`);
        break;
      case 'directoryUnreadable':
        parts.push(`${lacking}. A grant made in Exchange Online (RBAC for Applications) is checked on a selected mailbox once the app can read the directory (User.Read.All, GroupMember.Read.All).`);
        break;
      case 'failed':
        parts.push(`${lacking}, and a grant made in Exchange Online (RBAC for Applications) could not be checked: ${probe.message}`);
        break;
      case undefined:
        parts.push(`${lacking}. A grant made in Exchange Online (RBAC for Applications) was not checked.`);
        break;
      default: {
        const exhaustive: never = probe;
        return exhaustive;
      }
    }
  }
  return parts.join(' ');
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

  /**
   * Throws CONSENT_REQUIRED with what is missing. A permission still missing is read again
   * first: a grant made since the last check (in the admin centre, or in Exchange once the
   * mailboxes are configured) then counts without a separate "refresh status".
   */
  async assertReady(): Promise<void> {
    let c: ConsentRecord = (await this.deps.state.read()).consent;
    if (c.status === 'granted' && c.missingPermissions.length > 0) {
      try {
        await this.check();
      } catch (e) {
        this.deps.logger.warn('consent re-check before a run failed', { error: (e as Error).message });
      }
      c = (await this.deps.state.read()).consent;
    }
    if (c.status !== 'granted') {
      throw new AppError('CONSENT_REQUIRED', 'The tenant administrator has not granted consent yet; send the consent request from the setup page.');
    }
    if (c.missingPermissions.length > 0) {
      const exchange = c.exchangeRbac ? ` ${c.exchangeRbac.message}` : '';
      throw new AppError(
        'CONSENT_REQUIRED',
        `Consent is missing these application permissions: ${c.missingPermissions.join(', ')}. Ask the tenant administrator to grant them.${exchange}`,
        { missingPermissions: c.missingPermissions },
      );
    }
  }

  redirectUri(requestOrigin: string): string {
    const origin = (this.deps.publicUrl ?? requestOrigin).replace(/\/+$/, '');
    return `${origin}/api/consent/callback`;
  }

  /** POST /api/consent/request: a fresh `state`, stored with its expiry, in the admin consent URL. */
  async request(by: Identity, requestOrigin: string): Promise<{ url: string; state: string; expiresAt: string }> {
    const now = this.deps.clock.now();
    const state = this.newState();
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS).toISOString();
    await this.deps.state.update((draft) => {
      const c: ConsentRecord = draft.consent;
      c.pendingStates = keptPendingStates(c.pendingStates, now);
      c.pendingStates.push({ state, expiresAt });
      markRequested(c, by, now);
    });
    return { url: this.consentUrl(state, requestOrigin), state, expiresAt };
  }

  /**
   * POST /api/consent/requests: records that `by` asks the configured tenant administrator (who
   * asked whom, when, how) and answers the consent link to send, with a state valid for a week.
   * Rapport sends nothing itself: the tab opens a Teams chat or an email the admin sends.
   */
  async askAdmin(by: Identity, channel: AdminRequestChannel, requestOrigin: string): Promise<{ request: ConsentAdminRequest; consentUrl: string; expiresAt: string; permissions: string[] }> {
    const state = await this.deps.state.read();
    const recipient = state.configVersions.at(-1)?.config.tenantAdmin;
    if (!recipient) {
      throw new AppError('NOT_CONFIGURED', 'Name the tenant administrator in the setup (their name and Teams email) before asking them for consent.', { reason: 'noTenantAdmin' });
    }
    const now = this.deps.clock.now();
    const linkState = this.newState();
    const expiresAt = new Date(now.getTime() + ADMIN_LINK_TTL_MS).toISOString();
    const request: ConsentAdminRequest = {
      id: randomBytes(9).toString('base64url'),
      askedAt: now.toISOString(),
      askedBy: { id: by.id, name: by.name },
      recipient: { name: recipient.name, email: recipient.email },
      channel,
    };
    await this.deps.state.update((draft) => {
      const c: ConsentRecord = draft.consent;
      c.pendingStates = keptPendingStates(c.pendingStates, now);
      c.pendingStates.push({ state: linkState, expiresAt, adminLink: true });
      c.adminRequests = [...(c.adminRequests ?? []), request].slice(-MAX_ADMIN_REQUESTS);
      markRequested(c, by, now);
    });
    this.deps.logger.info('tenant administrator asked for consent', { channel, by: by.id });
    return { request, consentUrl: this.consentUrl(linkState, requestOrigin), expiresAt, permissions: [...REQUIRED_PERMISSIONS] };
  }

  /** GET /api/consent/requests: every recorded request to the tenant administrator, newest first. */
  async adminRequests(): Promise<ConsentAdminRequest[]> {
    const c: ConsentRecord = (await this.deps.state.read()).consent;
    return [...(c.adminRequests ?? [])].reverse();
  }

  private newState(): string {
    return this.deps.randomState?.() ?? randomBytes(32).toString('base64url');
  }

  private consentUrl(state: string, requestOrigin: string): string {
    const { gateway } = this.deps;
    const url = new URL(`${gateway.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(gateway.tenantId)}/adminconsent`);
    url.searchParams.set('client_id', gateway.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri(requestOrigin));
    url.searchParams.set('state', state);
    return url.toString();
  }

  /**
   * GET /api/consent/callback. The `state` is accepted once and only before it expires; a
   * mismatch changes nothing. On success the granted roles are read from a fresh app token and,
   * for a mailbox permission the token lacks, from Exchange.
   */
  async handleCallback(query: CallbackQuery): Promise<CallbackOutcome> {
    const now = this.deps.clock.now();
    // Checked before any Graph request, so a forged or replayed callback costs nothing.
    if (pendingIndex((await this.deps.state.read()).consent, query.state, now) < 0) throw stateMismatch(query.state);
    const accepted = !query.error && query.admin_consent?.toLowerCase() === 'true';
    const otherTenant = !!query.tenant && query.tenant.toLowerCase() !== this.deps.gateway.tenantId.toLowerCase() && this.deps.gateway.mode === 'production';
    // Read outside the state update: resolving and probing mailboxes takes several requests.
    const read = accepted && !otherTenant ? await this.readPermissions() : null;
    const result = await this.deps.state.update((draft) => {
      const c: ConsentRecord = draft.consent;
      const wasReady = isReadyState(c);
      const index = pendingIndex(c, query.state, now);
      if (index < 0) throw stateMismatch(query.state);
      c.pendingStates.splice(index, 1);
      if (!read) {
        if (!accepted) {
          const description = query.error_description?.split(/\r?\n/)[0]?.slice(0, 500) ?? '';
          // A cancelled re-request does not take back permissions granted earlier.
          if (c.status !== 'granted') c.status = 'denied';
          c.error = query.error ? `${query.error}${description ? `: ${description}` : ''}` : 'The consent response did not confirm admin consent.';
          this.deps.logger.warn('admin consent denied', { error: query.error });
        } else {
          c.status = 'denied';
          c.error = `Consent was granted in tenant ${query.tenant}, not in the configured tenant ${this.deps.gateway.tenantId}.`;
        }
        return { outcome: 'denied' as const, message: c.error, becameReady: false };
      }
      applyDecision(c, read, now);
      c.status = 'granted';
      c.grantedAt = now.toISOString();
      c.error = null;
      const exchange = c.exchangeRbac ? ` ${c.exchangeRbac.message}` : '';
      return {
        outcome: 'granted' as const,
        message:
          c.missingPermissions.length === 0
            ? `Consent granted. Rapport can now run.${exchange}`
            : `Consent granted, but these permissions are missing: ${c.missingPermissions.join(', ')}.${exchange}`,
        becameReady: !wasReady && isReadyState(c),
      };
    });
    if (result.becameReady) await this.emitGranted(now);
    return { outcome: result.outcome, message: result.message, consent: await this.view() };
  }

  /**
   * POST /api/consent/check: reads the granted permissions again. Covers consent given directly
   * in the admin console, where no callback ever arrives, and grants made in Exchange Online.
   */
  async check(): Promise<ConsentView> {
    const now = this.deps.clock.now();
    const read = await this.readPermissions();
    const becameReady = await this.deps.state.update((draft) => {
      const c: ConsentRecord = draft.consent;
      const wasReady = isReadyState(c);
      applyDecision(c, read, now);
      // Permissions granted in the admin console count as consent even though no callback came.
      if (read.roles.length > 0 && c.status !== 'granted') {
        c.status = 'granted';
        c.grantedAt = now.toISOString();
        c.error = null;
      }
      // An app token with none of the permissions: consent was withdrawn (or never given).
      if (read.roles.length === 0 && c.status === 'granted') {
        c.status = 'notRequested';
        c.grantedAt = null;
        c.error = 'Consent was withdrawn: the app no longer holds any of its permissions. Request consent again.';
      }
      return !wasReady && isReadyState(c);
    });
    if (becameReady) await this.emitGranted(now);
    return this.view();
  }

  /** The token's roles and, for a mailbox permission they lack, what Exchange grants. */
  private async readPermissions(): Promise<PermissionRead> {
    const roles = await this.deps.gateway.grantedRoles();
    const config = (await this.deps.state.read()).configVersions.at(-1) ?? null;
    const needed = mailboxPermissionsToProbe(roles);
    const probe = needed.length === 0 ? null : await this.probeExchange(roles, needed, config);
    return { roles, decision: decidePermissions(roles, probe) };
  }

  /**
   * Reads selected mailboxes, in the order S is sorted, until each needed permission is seen
   * granted or MAX_PROBED_MAILBOXES were read. Graph faults become a `failed` outcome: the check
   * still reports the token's permissions.
   */
  private async probeExchange(roles: readonly string[], needed: MailboxPermission[], config: ConfigVersion | null): Promise<ExchangeRbacProbe> {
    if (!config) return { outcome: 'notConfigured' };
    if (missingPermissions(roles).includes('User.Read.All')) return { outcome: 'directoryUnreadable' };
    const source = this.deps.gateway.newSource();
    const failed = (e: unknown): ExchangeRbacProbe => {
      if (!isAppError(e)) throw e;
      this.deps.logger.warn('exchange rbac probe failed', { code: e.code, error: e.message });
      return { outcome: 'failed', message: e.message };
    };
    let mailboxes: SelectedMailbox[];
    try {
      ({ mailboxes } = await source.resolveMailboxes(config.config.orgEntries));
    } catch (e) {
      // GroupMember.Read.All missing while the configuration names a group.
      if (isAppError(e) && e.code === 'GRAPH_ACCESS_DENIED') return { outcome: 'directoryUnreadable' };
      return failed(e);
    }
    if (mailboxes.length === 0) return { outcome: 'noMailbox' };
    const probe = { outcome: 'probed' as const, mailboxes: [] as ProbedMailbox[] };
    try {
      for (const mailbox of mailboxes.slice(0, MAX_PROBED_MAILBOXES)) {
        probe.mailboxes.push({ mailbox: mailbox.mail, access: await probeOne(source, mailbox) });
        if (needed.every((p) => grantedOnSome(probe, p))) break;
      }
    } catch (e) {
      return failed(e);
    }
    return probe;
  }

  private async emitGranted(at: Date): Promise<void> {
    await this.granted.emit(at, (e) => this.deps.logger.error('consent listener failed', { error: (e as Error).message }));
  }
}

interface PermissionRead {
  roles: string[];
  decision: PermissionDecision;
}

/** A mailbox without an Exchange mailbox tells nothing about the grant: the next one is read. */
async function probeOne(source: ActivitySource, mailbox: SelectedMailbox): Promise<MailboxAccess | 'unavailable'> {
  try {
    return await source.probeMailboxAccess(mailbox);
  } catch (e) {
    if (isAppError(e) && e.code === 'GRAPH_MAILBOX_UNAVAILABLE') return 'unavailable';
    throw e;
  }
}

/**
 * The unexpired states, at most MAX_PENDING − 1 of them to leave room for a new one. Popup states
 * go first: a link already sent to the tenant administrator must keep working for its week.
 */
export function keptPendingStates(pending: readonly PendingState[], now: Date): PendingState[] {
  const live = pending.filter((p) => Date.parse(p.expiresAt) > now.getTime());
  let excess = live.length - (MAX_PENDING - 1);
  const dropPopups = live.filter((p) => {
    if (excess > 0 && !p.adminLink) {
      excess--;
      return false;
    }
    return true;
  });
  return dropPopups.slice(-(MAX_PENDING - 1));
}

function markRequested(c: ConsentState, by: Identity, now: Date): void {
  if (c.status !== 'granted') {
    c.status = 'pending';
    c.error = null;
  }
  c.requestedAt = now.toISOString();
  c.requestedBy = by.id;
}

function pendingIndex(c: ConsentState, state: string | undefined, now: Date): number {
  if (!state) return -1;
  return c.pendingStates.findIndex((p) => p.state === state && Date.parse(p.expiresAt) > now.getTime());
}

function stateMismatch(state: string | undefined): AppError {
  return new AppError('CONSENT_STATE_MISMATCH', undefined, { reason: state ? 'unknownOrExpiredState' : 'missingState' });
}

function applyDecision(c: ConsentRecord, { decision }: PermissionRead, now: Date): void {
  c.grantedPermissions = decision.grantedPermissions;
  c.missingPermissions = decision.missingPermissions;
  c.grantedThrough = decision.grantedThrough;
  c.exchangeRbac = decision.exchangeRbac;
  c.checkedAt = now.toISOString();
}

function isReadyState(c: ConsentState): boolean {
  return c.status === 'granted' && c.missingPermissions.length === 0;
}

/** A state checked before Exchange grants were read holds only grants from the token. */
function tokenGrants(missing: readonly string[]): ConsentView['grantedThrough'] {
  const through: ConsentView['grantedThrough'] = {};
  for (const p of REQUIRED_PERMISSIONS) if (!missing.includes(p)) through[p] = 'appRole';
  return through;
}

function toView(c: ConsentRecord): ConsentView {
  const missing = c.checkedAt ? c.missingPermissions : [...REQUIRED_PERMISSIONS];
  return {
    status: c.status,
    grantedPermissions: c.grantedPermissions,
    missingPermissions: missing,
    requiredPermissions: [...REQUIRED_PERMISSIONS],
    grantedThrough: c.grantedThrough ?? tokenGrants(missing),
    exchangeRbac: c.exchangeRbac ?? null,
    grantedAt: c.grantedAt,
    error: c.error,
    checkedAt: c.checkedAt,
    adminRequest: c.adminRequests?.at(-1) ?? null,
  };
}
