/**
 * The account directory: who in the customer dataset an external address belongs to
 * (DESIGN.md §3 "Account resolution"). Built once per run; `resolve` is memoised because the
 * reducers call it for every address of every message copy.
 */
import { isDomainOrSubdomain, isFreemailDomain, normaliseAddress, normaliseDomain } from './addresses';
import type { CustomerDataset } from './types';

export interface AccountSummary {
  accountId: string;
  /** From the accounts file, else the first contact row that names the account. */
  name: string | null;
}

export interface DirectoryReport {
  /** Distinct valid contact emails. */
  contacts: number;
  accounts: number;
  rowsWithoutEmail: number;
  /** Contact rows without an account id; they are skipped. */
  rowsWithoutAccount: number;
  /** The first invalid emails (at most INVALID_EMAIL_SAMPLE), and how many there were in all. */
  invalidEmails: string[];
  invalidEmailCount: number;
  /** Emails listed by several accounts; the smallest account id wins. */
  multiAccountContacts: { email: string; accountIds: string[]; chosen: string }[];
  /** Domains claimed by two or more accounts; they never domain-match. */
  ambiguousDomains: { domain: string; accountIds: string[] }[];
  /** Accounts whose contacts are all on freemail and which have no explicit domain: exact match only. */
  freemailOnlyAccounts: string[];
}

export interface AccountDirectory {
  /** All accounts of the dataset, sorted by id (plain string order). */
  readonly accounts: readonly AccountSummary[];
  /** The account of an external address, or null (unmatched, internal or invalid). Memoised. */
  resolve(address: string): string | null;
  nameOf(accountId: string): string | null;
  /** The domains each account matches by (explicit and contact-derived, ambiguous ones removed). */
  domainsOf(accountId: string): readonly string[];
}

export const INVALID_EMAIL_SAMPLE = 20;
/** The memo is cleared past this size, to bound memory on hostile inputs. */
const MEMO_LIMIT = 1_000_000;

/** Plain code-unit ordering, independent of locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `https://www.fabrikam.com/path`, `www.fabrikam.com`, `@fabrikam.com` → `fabrikam.com`. */
export function normaliseWebsiteDomain(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let text = raw.trim().toLowerCase();
  if (text.length === 0) return null;
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  if (text.includes('@')) text = text.slice(text.lastIndexOf('@') + 1);
  text = text.split(/[/?#]/, 1)[0];
  text = text.replace(/:\d+$/, '');
  if (text.startsWith('www.')) text = text.slice(4);
  return normaliseDomain(text);
}

function isInternalDomain(domain: string, internalDomains: readonly string[]): boolean {
  return internalDomains.some((parent) => isDomainOrSubdomain(domain, parent));
}

export function buildAccountDirectory(
  dataset: CustomerDataset,
  internalDomains: readonly string[],
): { directory: AccountDirectory; report: DirectoryReport } {
  const internal = internalDomains.map((d) => normaliseDomain(d.startsWith('@') ? d.slice(1) : d)).filter((d): d is string => d !== null);
  const names = new Map<string, string | null>();
  const emailAccounts = new Map<string, Set<string>>();
  const domainAccounts = new Map<string, Set<string>>();
  const contactDomainsByAccount = new Map<string, { freemail: number; other: number }>();
  const explicitDomainAccounts = new Set<string>();
  const invalidEmails: string[] = [];
  let invalidEmailCount = 0;
  let rowsWithoutEmail = 0;
  let rowsWithoutAccount = 0;

  const addAccount = (accountId: string, name: string | null | undefined): void => {
    const trimmedName = typeof name === 'string' && name.trim().length > 0 ? name.trim() : null;
    const existing = names.get(accountId);
    if (existing === undefined || (existing === null && trimmedName !== null)) names.set(accountId, trimmedName);
  };
  const claim = (domain: string, accountId: string): void => {
    let set = domainAccounts.get(domain);
    if (!set) domainAccounts.set(domain, (set = new Set()));
    set.add(accountId);
  };

  // The accounts file first, so its names win over contact rows.
  for (const account of dataset.accounts ?? []) {
    const accountId = account.accountId?.trim();
    if (!accountId) continue;
    addAccount(accountId, account.name);
    const domain = normaliseWebsiteDomain(account.domain);
    if (domain !== null && !isFreemailDomain(domain) && !isInternalDomain(domain, internal)) {
      claim(domain, accountId);
      explicitDomainAccounts.add(accountId);
    }
  }

  for (const contact of dataset.contacts) {
    const accountId = contact.accountId?.trim();
    if (!accountId) {
      rowsWithoutAccount++;
      continue;
    }
    addAccount(accountId, contact.accountName);
    if (typeof contact.email !== 'string' || contact.email.trim().length === 0) {
      rowsWithoutEmail++;
      continue;
    }
    const parsed = normaliseAddress(contact.email);
    if (parsed === null) {
      invalidEmailCount++;
      if (invalidEmails.length < INVALID_EMAIL_SAMPLE) invalidEmails.push(contact.email);
      continue;
    }
    let set = emailAccounts.get(parsed.address);
    if (!set) emailAccounts.set(parsed.address, (set = new Set()));
    set.add(accountId);
    let stats = contactDomainsByAccount.get(accountId);
    if (!stats) contactDomainsByAccount.set(accountId, (stats = { freemail: 0, other: 0 }));
    if (isFreemailDomain(parsed.domain)) {
      stats.freemail++;
    } else {
      stats.other++;
      if (!isInternalDomain(parsed.domain, internal)) claim(parsed.domain, accountId);
    }
  }

  const sortedIds = (set: Set<string>): string[] => [...set].sort(compareIds);

  const exact = new Map<string, string>();
  const multiAccountContacts: DirectoryReport['multiAccountContacts'] = [];
  for (const [email, set] of emailAccounts) {
    const ids = sortedIds(set);
    exact.set(email, ids[0]);
    if (ids.length > 1) multiAccountContacts.push({ email, accountIds: ids, chosen: ids[0] });
  }
  multiAccountContacts.sort((a, b) => compareIds(a.email, b.email));

  const domainOwner = new Map<string, string>();
  const domainsByAccount = new Map<string, string[]>();
  const ambiguousDomains: DirectoryReport['ambiguousDomains'] = [];
  for (const [domain, set] of domainAccounts) {
    const ids = sortedIds(set);
    if (ids.length > 1) {
      ambiguousDomains.push({ domain, accountIds: ids });
      continue;
    }
    domainOwner.set(domain, ids[0]);
    const list = domainsByAccount.get(ids[0]) ?? [];
    list.push(domain);
    domainsByAccount.set(ids[0], list);
  }
  ambiguousDomains.sort((a, b) => compareIds(a.domain, b.domain));
  for (const list of domainsByAccount.values()) list.sort(compareIds);

  const freemailOnlyAccounts = [...contactDomainsByAccount]
    .filter(([accountId, stats]) => stats.other === 0 && stats.freemail > 0 && !explicitDomainAccounts.has(accountId))
    .map(([accountId]) => accountId)
    .sort(compareIds);

  const accounts: AccountSummary[] = [...names]
    .map(([accountId, name]) => ({ accountId, name }))
    .sort((a, b) => compareIds(a.accountId, b.accountId));

  const resolveUncached = (raw: string): string | null => {
    const parsed = normaliseAddress(raw);
    if (parsed === null || isInternalDomain(parsed.domain, internal)) return null;
    const byEmail = exact.get(parsed.address);
    if (byEmail !== undefined) return byEmail;
    // Walk the domain and its parents; freemail and ambiguous domains are never in domainOwner.
    let domain = parsed.domain;
    for (;;) {
      const owner = domainOwner.get(domain);
      if (owner !== undefined) return owner;
      const dot = domain.indexOf('.');
      const parent = domain.slice(dot + 1);
      if (dot < 0 || !parent.includes('.')) return null;
      domain = parent;
    }
  };

  let memo = new Map<string, string | null>();
  const directory: AccountDirectory = {
    accounts,
    resolve(address: string): string | null {
      const hit = memo.get(address);
      if (hit !== undefined) return hit;
      if (memo.size >= MEMO_LIMIT) memo = new Map();
      const result = resolveUncached(address);
      memo.set(address, result);
      return result;
    },
    nameOf: (accountId) => names.get(accountId) ?? null,
    domainsOf: (accountId) => domainsByAccount.get(accountId) ?? [],
  };

  const report: DirectoryReport = {
    contacts: emailAccounts.size,
    accounts: accounts.length,
    rowsWithoutEmail,
    rowsWithoutAccount,
    invalidEmails,
    invalidEmailCount,
    multiAccountContacts,
    ambiguousDomains,
    freemailOnlyAccounts,
  };
  return { directory, report };
}

/** Owner cells may name several sellers: "a@contoso.com; b@contoso.com" (CRM exports do). */
const OWNER_SEPARATORS = /[;,]/;

export interface OwnerIndex {
  /** AccountId → the owners' normalised addresses. */
  readonly owners: ReadonlyMap<string, readonly string[]>;
  /** Owner cells that hold no valid address (the first INVALID_EMAIL_SAMPLE), and how many in all. */
  readonly invalidOwners: readonly string[];
  readonly invalidOwnerCount: number;
}

/**
 * Who owns each account ("My accounts"): the owner column of the accounts file where it names
 * someone for the account, else the union of the owner cells of the account's contact rows (a
 * contacts-only dataset repeats the owner on every contact; two sellers sharing an account both
 * see it). Addresses are normalised as everywhere else (lower-cased, trimmed), so a seller's
 * sign-in matches however the CRM capitalised it.
 */
export function buildOwnerIndex(
  contactRows: readonly { accountId: string; owner: string | null | undefined }[],
  accountRows: readonly { accountId: string; owner: string | null | undefined }[] = [],
): OwnerIndex {
  const invalidOwners: string[] = [];
  let invalidOwnerCount = 0;
  const parse = (cell: string | null | undefined): string[] => {
    if (typeof cell !== 'string' || cell.trim() === '') return [];
    const found: string[] = [];
    for (const part of cell.split(OWNER_SEPARATORS)) {
      if (part.trim() === '') continue;
      const parsed = normaliseAddress(part);
      if (parsed) found.push(parsed.address);
      else {
        invalidOwnerCount += 1;
        if (invalidOwners.length < INVALID_EMAIL_SAMPLE) invalidOwners.push(part);
      }
    }
    return found;
  };
  const collect = (rows: readonly { accountId: string; owner: string | null | undefined }[]): Map<string, Set<string>> => {
    const byAccount = new Map<string, Set<string>>();
    for (const row of rows) {
      const accountId = row.accountId?.trim();
      if (!accountId) continue;
      const owners = parse(row.owner);
      if (owners.length === 0) continue;
      let set = byAccount.get(accountId);
      if (!set) byAccount.set(accountId, (set = new Set()));
      for (const o of owners) set.add(o);
    }
    return byAccount;
  };
  const fromAccounts = collect(accountRows);
  const fromContacts = collect(contactRows);
  const owners = new Map<string, readonly string[]>();
  for (const [accountId, set] of fromContacts) if (!fromAccounts.has(accountId)) owners.set(accountId, [...set].sort(compareIds));
  for (const [accountId, set] of fromAccounts) owners.set(accountId, [...set].sort(compareIds));
  return { owners, invalidOwners, invalidOwnerCount };
}

/** The accounts `email` owns, by the index. */
export function accountsOwnedBy(index: OwnerIndex, email: string): Set<string> {
  const me = normaliseAddress(email)?.address;
  const mine = new Set<string>();
  if (!me) return mine;
  for (const [accountId, owners] of index.owners) if (owners.includes(me)) mine.add(accountId);
  return mine;
}
