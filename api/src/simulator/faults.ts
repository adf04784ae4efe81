/**
 * Seeded fault injection for the Graph data routes. Each request's fate is a pure function
 * of (seed, method + URL, how many times that URL was asked before), so a sequential
 * client sees the same faults on every run, and a concurrent one does too as long as it
 * asks for the same URLs. A retry of a faulted URL draws again, so retries can succeed.
 */

/** Deterministic 32-bit PRNG (mulberry32). Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bits. */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface FaultOptions {
  /** Seed of the fault draws. @default 1 */
  seed?: number;
  /** Share of data requests answered 429 TooManyRequests. @default 0 */
  rate429?: number;
  /** Share answered 503 ServiceUnavailable. @default 0 */
  rate503?: number;
  /** Share answered 504 GatewayTimeout. @default 0 */
  rate504?: number;
  /** Share whose connection is destroyed without an answer. @default 0 */
  rateDrop?: number;
  /** Retry-After on 429, in seconds; fractions are allowed so tests stay fast. @default 1 */
  retryAfterSeconds?: number;
  /** Retry-After on 503, in seconds. @default 1 */
  retryAfter503Seconds?: number;
  /** Added delay before each data request is answered, in ms. @default 0 */
  latencyMs?: number;
  /** Mailboxes (user ids, UPNs or addresses) whose mail and calendar answer 404 MailboxNotEnabledForRESTAPI. */
  mailboxNotEnabled?: string[];
  /**
   * Mailboxes (user ids, UPNs or addresses) outside the tenant's Exchange application access
   * policy: their mail and calendar answer 403 ErrorAccessDenied, whatever the token's roles.
   */
  mailboxAccessDenied?: string[];
  /**
   * A live mailbox: after each `/messages` page is served, about `churnRate × (items on the page)`
   * items already read are deleted, as many counted messages already read are moved to another
   * folder (new ids), and as many new uncounted items arrive in the range. See live-mailbox.ts.
   * @default 0
   */
  churnRate?: number;
  /** Concurrent requests allowed per mailbox before 429 ApplicationThrottled; Graph allows 4. 0 disables. @default 4 */
  mailboxConcurrencyLimit?: number;
}

export type FaultKind = '429' | '503' | '504' | 'drop';

export interface ResolvedFaults {
  seed: number;
  rate429: number;
  rate503: number;
  rate504: number;
  rateDrop: number;
  retryAfterSeconds: number;
  retryAfter503Seconds: number;
  latencyMs: number;
  mailboxNotEnabled: Set<string>;
  mailboxAccessDenied: Set<string>;
  mailboxConcurrencyLimit: number;
  churnRate: number;
}

export function resolveFaults(f: FaultOptions = {}): ResolvedFaults {
  const rate = (v: number | undefined, name: string): number => {
    const r = v ?? 0;
    if (!(r >= 0 && r <= 1)) throw new RangeError(`fault rate ${name} must be in [0, 1], got ${v}`);
    return r;
  };
  const r: ResolvedFaults = {
    seed: f.seed ?? 1,
    rate429: rate(f.rate429, 'rate429'),
    rate503: rate(f.rate503, 'rate503'),
    rate504: rate(f.rate504, 'rate504'),
    rateDrop: rate(f.rateDrop, 'rateDrop'),
    retryAfterSeconds: f.retryAfterSeconds ?? 1,
    retryAfter503Seconds: f.retryAfter503Seconds ?? 1,
    latencyMs: f.latencyMs ?? 0,
    mailboxNotEnabled: new Set((f.mailboxNotEnabled ?? []).map((s) => s.toLowerCase())),
    mailboxAccessDenied: new Set((f.mailboxAccessDenied ?? []).map((s) => s.toLowerCase())),
    mailboxConcurrencyLimit: f.mailboxConcurrencyLimit ?? 4,
    churnRate: rate(f.churnRate, 'churnRate'),
  };
  if (r.rate429 + r.rate503 + r.rate504 + r.rateDrop > 1) throw new RangeError('fault rates add up to more than 1');
  return r;
}

/** Draws faults for requests; one instance per simulator (its attempt counters reset with it). */
export class FaultInjector {
  private attempts = new Map<string, number>();

  constructor(private cfg: ResolvedFaults) {}

  get config(): ResolvedFaults {
    return this.cfg;
  }

  set(f: FaultOptions): void {
    this.cfg = resolveFaults(f);
    this.attempts.clear();
  }

  /** The fault (if any) for this request. `key` is the method and URL. */
  draw(key: string): FaultKind | undefined {
    const c = this.cfg;
    if (c.rate429 + c.rate503 + c.rate504 + c.rateDrop === 0) return undefined;
    const n = this.attempts.get(key) ?? 0;
    this.attempts.set(key, n + 1);
    const u = mulberry32(hash32(`${key}#${n}`, hash32(String(c.seed))))();
    let edge = c.rate429;
    if (u < edge) return '429';
    if (u < (edge += c.rate503)) return '503';
    if (u < (edge += c.rate504)) return '504';
    if (u < (edge += c.rateDrop)) return 'drop';
    return undefined;
  }

  isMailboxDisabled(...keys: (string | null | undefined)[]): boolean {
    return keys.some((k) => k && this.cfg.mailboxNotEnabled.has(k.toLowerCase()));
  }

  isMailboxAccessDenied(...keys: (string | null | undefined)[]): boolean {
    return keys.some((k) => k && this.cfg.mailboxAccessDenied.has(k.toLowerCase()));
  }
}

/** Counts in-flight requests per mailbox, to mirror Graph's limit of 4. */
export class MailboxConcurrency {
  private active = new Map<string, number>();
  /** Highest in-flight count seen for any mailbox (admitted or not). */
  maxObserved = 0;

  /** Returns a release function, or undefined when the mailbox is over the limit (nothing to release). */
  acquire(mailboxId: string, limit: number): (() => void) | undefined {
    const n = (this.active.get(mailboxId) ?? 0) + 1;
    this.maxObserved = Math.max(this.maxObserved, n);
    if (limit > 0 && n > limit) return undefined;
    this.active.set(mailboxId, n);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.active.get(mailboxId) ?? 1) - 1;
      if (left <= 0) this.active.delete(mailboxId);
      else this.active.set(mailboxId, left);
    };
  }

  resetMax(): void {
    this.maxObserved = 0;
  }
}
