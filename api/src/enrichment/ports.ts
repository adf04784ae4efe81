/**
 * Role interfaces the enrichment orchestration depends on. Implementations sit at the edges:
 * `GraphActivitySource` (api/src/graph) talks HTTP to Microsoft Graph or to the simulator.
 */
import type { GraphEvent, GraphMessage, SelectedMailbox } from '../engagement/types';

export interface TenantOrganization {
  id: string;
  displayName: string;
  verifiedDomains: string[];
}

/** How one configured org entry (an address or a group's address) resolved. */
export type OrgEntryResolution =
  /** `signInDisabled`: a shared mailbox (or a disabled user) named directly, kept on purpose. */
  | { input: string; kind: 'user'; id: string; displayName: string; mail: string; signInDisabled?: true }
  | { input: string; kind: 'group'; id: string; displayName: string; mail: string; memberCount: number }
  /** The address exists but is not usable: a user without mail. */
  | { input: string; kind: 'unusable'; id: string; reason: 'noMail' }
  | { input: string; kind: 'unknown' };

export interface MailboxResolution {
  entries: OrgEntryResolution[];
  /** S: users with mail (disabled ones only when named directly), groups expanded transitively, deduplicated, sorted by id. */
  mailboxes: SelectedMailbox[];
}

/** Counters a source keeps for progress and the run summary. */
export interface SourceStats {
  /** HTTP requests sent to Graph, retries included. */
  requests: number;
  /** Responses that asked us to wait (429/503 with Retry-After) and the total wait. */
  throttleWaits: number;
  throttleWaitMs: number;
  /** Retries of any kind (throttling, 5xx, dropped connections). */
  retries: number;
}

/**
 * Whether the app may read one mailbox's mail and calendar. With RBAC for Applications in
 * Exchange Online the grant lives in Exchange, not in the token's `roles`; an application
 * access policy or an RBAC scope refuses other mailboxes with `ErrorAccessDenied`.
 */
export interface MailboxAccess {
  mail: 'granted' | 'denied';
  calendar: 'granted' | 'denied';
}

/** A mailbox's folders as far as counting goes (DESIGN.md §3 "What is not an email"). */
export interface FolderScan {
  /** Junk Email, Drafts, Outbox, Sync Issues, Conversation History, hidden folders, and all their subfolders. */
  excluded: Set<string>;
  /** Every folder id in the tree, excluded ones included: a folder outside it is new since the scan. */
  all: Set<string>;
}

export interface ActivitySource {
  organization(): Promise<TenantOrganization>;
  /** Resolves addresses and group addresses into S. Unknown entries are reported, not thrown. */
  resolveMailboxes(entries: string[]): Promise<MailboxResolution>;
  /** The mailbox's folder tree: which folders hold no email, and every folder id in it. */
  folderScan(mailbox: SelectedMailbox): Promise<FolderScan>;
  /** Messages with `receivedDateTime` in [from, to), page by page, allow-listed fields only. */
  messagePages(mailbox: SelectedMailbox, from: Date, to: Date): AsyncIterable<GraphMessage[]>;
  /** Calendar instances starting in [start, end), page by page, allow-listed fields only. */
  eventPages(mailbox: SelectedMailbox, start: Date, end: Date): AsyncIterable<GraphEvent[]>;
  /** Reads one item of mail and of calendar to learn whether access is granted (other failures throw). */
  probeMailboxAccess(mailbox: SelectedMailbox): Promise<MailboxAccess>;
  stats(): SourceStats;
}

/**
 * The tenant as the API sees it: where consent is granted and where a run's source comes from.
 * Production: Entra ID and Microsoft Graph. Demo mode: the embedded simulator, over HTTP.
 */
export interface TenantGateway {
  mode: 'demo' | 'production';
  tenantId: string;
  clientId: string;
  /** e.g. https://login.microsoftonline.com, or the simulator's origin in demo mode. */
  authorityHost: string;
  /** A fresh source for one run (its stats start at zero). */
  newSource(): ActivitySource;
  /** The application permissions (`roles`) in a freshly issued app token. */
  grantedRoles(): Promise<string[]>;
  /**
   * Demo mode only: plays the admin's click on the simulator's consent page for the given
   * consent URL and returns the callback URL the browser would be sent to.
   */
  simulateAdminConsent?(consentUrl: string, decision: 'accept' | 'cancel'): Promise<string>;
}
