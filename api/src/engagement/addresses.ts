/**
 * Address rules of DESIGN.md §3 "Terms": normalisation, internal, excluded and freemail.
 * Pure string functions; callers on the hot path memoise per address (see address-classifier.ts).
 */

export interface NormalisedAddress {
  /** `local@domain`, lower-cased, trimmed, without a trailing dot on the domain. */
  address: string;
  local: string;
  domain: string;
}

// Characters that never appear in a usable address (outside quoted local parts, which we do not support).
const FORBIDDEN = /[\s,;<>()[\]"\\]/;

/** The normalised form of a domain, or null when it is not a plausible host name. */
export function normaliseDomain(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let domain = raw.trim().toLowerCase();
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (domain.length === 0 || FORBIDDEN.test(domain) || domain.includes('@')) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => label.length === 0)) return null;
  return domain;
}

/**
 * Lower-cases and trims; the domain is the part after the last `@`, without a trailing dot.
 * `Name <a@b.com>` and `mailto:a@b.com` are accepted because CSV exports carry them.
 * Anything that is not a valid address gives null.
 */
export function normaliseAddress(raw: string | null | undefined): NormalisedAddress | null {
  if (typeof raw !== 'string') return null;
  let text = raw.trim().toLowerCase();
  const open = text.lastIndexOf('<');
  if (open >= 0 && text.endsWith('>')) text = text.slice(open + 1, -1).trim();
  if (text.startsWith('mailto:')) text = text.slice('mailto:'.length);
  const at = text.lastIndexOf('@');
  if (at <= 0) return null;
  const local = text.slice(0, at);
  if (FORBIDDEN.test(local)) return null;
  const domain = normaliseDomain(text.slice(at + 1));
  if (domain === null) return null;
  return { address: `${local}@${domain}`, local, domain };
}

/** True when `domain` equals `parent` or is a subdomain of it. */
export function isDomainOrSubdomain(domain: string, parent: string): boolean {
  return domain === parent || (domain.length > parent.length && domain.endsWith(parent) && domain[domain.length - parent.length - 1] === '.');
}

function domainOf(addressOrDomain: string): string | null {
  return addressOrDomain.includes('@') ? (normaliseAddress(addressOrDomain)?.domain ?? null) : normaliseDomain(addressOrDomain);
}

/**
 * Internal: the domain is a verified domain or a subdomain of one, or is (a subdomain of) one of
 * the configured extra internal domains. Accepts an address or a bare domain.
 */
export function isInternal(addressOrDomain: string, verifiedDomains: readonly string[], extraInternalDomains: readonly string[] = []): boolean {
  const domain = domainOf(addressOrDomain);
  if (domain === null) return false;
  for (const list of [verifiedDomains, extraInternalDomains]) {
    for (const entry of list) {
      const parent = normaliseDomain(entry.startsWith('@') ? entry.slice(1) : entry);
      if (parent !== null && isDomainOrSubdomain(domain, parent)) return true;
    }
  }
  return false;
}

const AUTOMATED_LOCAL_PARTS = new Set(['noreply', 'no-reply', 'donotreply', 'do-not-reply', 'mailer-daemon', 'postmaster', 'notifications']);

/** True for the automated local parts of DESIGN §3; a `+tag` is ignored (`bounces+123@…`). */
export function isAutomatedLocalPart(local: string): boolean {
  const plus = local.indexOf('+');
  const base = plus > 0 ? local.slice(0, plus) : local;
  return AUTOMATED_LOCAL_PARTS.has(base) || base.startsWith('bounce');
}

/**
 * Excluded: listed in `exclusions` (an address, or `@domain`, which also covers its subdomains),
 * or an automated local part. Invalid addresses are not "excluded"; they are ignored earlier.
 */
export function isExcluded(address: string, exclusions: readonly string[]): boolean {
  const parsed = normaliseAddress(address);
  if (parsed === null) return false;
  if (isAutomatedLocalPart(parsed.local)) return true;
  for (const entry of exclusions) {
    const trimmed = entry.trim().toLowerCase();
    if (trimmed.startsWith('@')) {
      const domain = normaliseDomain(trimmed.slice(1));
      if (domain !== null && isDomainOrSubdomain(parsed.domain, domain)) return true;
    } else if (normaliseAddress(trimmed)?.address === parsed.address) {
      return true;
    }
  }
  return false;
}

const FREEMAIL_EXACT = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'msn.com', 'ymail.com', 'icloud.com', 'me.com', 'aol.com',
  'web.de', 'proton.me', 'protonmail.com', 'zoho.com', 'mail.com', 'qq.com',
]);
/** `hotmail.*` and friends: the brand followed by any top-level domain. */
const FREEMAIL_BRANDS = new Set(['hotmail', 'live', 'yahoo', 'gmx', 'yandex']);
/** Second-level labels under a country code (`co.uk`, `com.au`, `ne.jp`), so `hotmail.co.uk` is a TLD form. */
const COUNTRY_SECOND_LEVELS = new Set(['co', 'com', 'net', 'org', 'ne', 'or', 'gen']);

/**
 * Freemail domains never domain-match (DESIGN §3). `brand.*` means the brand plus a top-level
 * domain: `hotmail.de`, `hotmail.co.uk`, `yahoo.com.au`, but not `live.fabrikam.com`.
 */
export function isFreemailDomain(domain: string): boolean {
  const normalised = normaliseDomain(domain);
  if (normalised === null) return false;
  if (FREEMAIL_EXACT.has(normalised)) return true;
  const labels = normalised.split('.');
  if (!FREEMAIL_BRANDS.has(labels[0])) return false;
  const tld = labels.slice(1);
  if (tld.length === 1) return true;
  return tld.length === 2 && COUNTRY_SECOND_LEVELS.has(tld[0]) && /^[a-z]{2}$/.test(tld[1]);
}
