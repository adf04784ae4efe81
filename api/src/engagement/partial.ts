/**
 * The mergeable partial aggregate (DESIGN.md §1 "Scale-out path"): what one mailbox's
 * collection reduces to, merged across mailboxes with a commutative, associative merge.
 *
 * It is keyed by hashed logical ids, because the same logical email or meeting arrives once per
 * mailbox that holds it and must count once. Per key, the data are set unions (and min/max for
 * times), so any merge order gives the same partial, and the results never depend on which
 * copy came first.
 *
 * Memory per logical email, roughly (V8, 64-bit):
 *  - every collected email, account-relevant or not, leaves one 8-byte number in the thread
 *    timeline of its conversation (`threads`), which reply latency needs: P may be an
 *    internal-only email in another mailbox. Per conversation add ~120 bytes (Map entry,
 *    16-character key, array header);
 *  - an email relevant to an account (internal sender with an account recipient, or an
 *    account sender) keeps an `EmailEntry`: ~200 bytes (Map entry and 16-character key ~70,
 *    the object ~50, two small arrays ~80; the strings inside are shared, interned references);
 *  - an internal email whose copy shows no account recipient is dropped, except the copy of an
 *    S member who is neither sender nor visible recipient while the sender is in S: a Bcc'd
 *    customer is visible only on the sender's copy, so such a holder keeps a small pending
 *    `EmailEntry` (r = [], m = [holder]) that becomes relevant when merged with the sender's copy.
 *
 * Measured (synthetic tenant, 500 mailboxes × 3,000 copies = 1.5M copies, 520k account emails,
 * 330k conversations): ~200 MB of heap for the merged partial, i.e. ~400 bytes per account
 * email including its share of the thread timelines.
 *
 * Invariant: every array in a partial is sorted (plain code-unit / numeric order) and holds no
 * duplicates, and arrays are never mutated once inserted: merges build new ones. Entry objects
 * are owned by one partial (merges copy them before mutating).
 */
import { compareIds } from './account-directory';

/** One logical email, keyed by the hash of its internetMessageId (or mailbox + message id). */
export interface EmailEntry {
  /** sentDateTime, epoch ms (the minimum if copies disagree). */
  t: number;
  /** Sender: 'i' internal, otherwise the address hash of an account sender (inbound). */
  s: string;
  /**
   * Hashes of the recipients (to, cc, bcc; union over copies) that resolve to an account.
   * For inbound emails only those of the sender's account are kept: the email counts for it alone.
   */
  r: string[];
  /** Ids of S members involved: sender, recipients and every mailbox holding a copy. */
  m: string[];
  /** Hashed conversationId of an inbound email, for reply latency; '' otherwise. */
  c: string;
}

/**
 * One logical meeting, keyed by the hash of its iCalUId (or mailbox + event id).
 *
 * Who declined depends on which copy says so (DESIGN.md §3 "Responses: which copy to believe"):
 * only the organizer's copy shows every attendee's answer; an attendee's copy shows the others
 * as `none` and the holder's own answer in `responseStatus`. A copy cannot settle that alone (the
 * organizer's copy may come from another mailbox, or never), so the entry keeps what each kind of
 * copy says as set unions, and `meetingParticipants` / `meetingMembers` decide after the merge.
 */
export interface MeetingEntry {
  /** Start and end, epoch ms (min start and max end if copies disagree). */
  st: number;
  en: number;
  /** Organizer: 'i' internal, otherwise the address hash of an account organizer. */
  o: string;
  /** Hashes of account participants listed on any copy: an account organizer and non-resource attendees. */
  p: string[];
  /** Hashes of account attendees that the organizer's copy lists as declined. */
  pd: string[];
  /** Ids of S members holding a copy they did not decline (by its `responseStatus`), and a member organizer. */
  m: string[];
  /** Ids of S members holding a copy whose own `responseStatus` is declined. */
  mx: string[];
  /** Ids of S members listed as attendees on any copy. */
  ma: string[];
  /** Ids of S members that the organizer's copy lists as declined. */
  md: string[];
}

/** The account participants: listed on any copy, and not declined on the organizer's copy. */
export function meetingParticipants(entry: MeetingEntry): string[] {
  return differenceSorted(entry.p, entry.pd);
}

/**
 * The S members that count for the meeting: holders who did not decline their own copy, and
 * listed members without a copy of their own unless the organizer's copy says they declined.
 */
export function meetingMembers(entry: MeetingEntry): string[] {
  return unionSorted(entry.m, differenceSorted(differenceSorted(entry.ma, entry.md), entry.mx));
}

export interface MailboxPartial {
  /** Ids of the mailboxes merged into this partial. */
  mailboxes: string[];
  emails: Map<string, EmailEntry>;
  meetings: Map<string, MeetingEntry>;
  /**
   * Conversation hash → timeline of every collected email of the conversation, encoded as
   * `sentMs * 2 + (sender internal ? 1 : 0)`, sorted, unique. Two copies of one email encode
   * identically, so the timeline dedupes without keys.
   */
  threads: Map<string, number[]>;
  /** Address hash → account id, for every hash that appears in an entry. */
  contacts: Map<string, string>;
}

export function emptyPartial(): MailboxPartial {
  return { mailboxes: [], emails: new Map(), meetings: new Map(), threads: new Map(), contacts: new Map() };
}

/** The sorted union of two sorted, duplicate-free arrays; returns `a` itself when b ⊆ a. */
export function unionSorted<T extends string | number>(a: readonly T[], b: readonly T[]): T[] {
  if (b.length === 0) return a as T[];
  if (a.length === 0) return b as T[];
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) out.push(a[i++]);
    else if (b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  // slice() drops the spare capacity push() leaves behind (V8 grows by ~1.5× + 16 slots).
  return out.length === a.length ? (a as T[]) : out.slice();
}

/** The sorted elements of `a` that are not in `b` (both sorted, duplicate-free); `a` itself when none is removed. */
export function differenceSorted<T extends string | number>(a: readonly T[], b: readonly T[]): T[] {
  if (a.length === 0 || b.length === 0) return a as T[];
  const out: T[] = [];
  let j = 0;
  for (const value of a) {
    while (j < b.length && b[j]! < value) j++;
    if (j >= b.length || b[j] !== value) out.push(value);
  }
  return out.length === a.length ? (a as T[]) : out;
}

/** The first index in [from, length) whose value is not below `value` (`sorted` ascending). */
export function lowerBound<T extends string | number>(sorted: ArrayLike<T>, value: T, from = 0): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sorted, duplicate-free, exactly sized copy (the input is sorted in place). */
export function sortUnique<T extends string | number>(values: T[]): T[] {
  if (values.length === 0) return EMPTY as unknown as T[];
  values.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  let w = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[w - 1]) values[w++] = values[i];
  return values.slice(0, w);
}

/** One shared empty array: arrays in partials are never mutated, so it can be shared. */
const EMPTY: readonly never[] = Object.freeze([]);

const minString = (a: string, b: string): string => (compareIds(a, b) <= 0 ? a : b);
const maxString = (a: string, b: string): string => (compareIds(a, b) >= 0 ? a : b);

export function mergeEmailEntry(target: EmailEntry, source: EmailEntry): void {
  target.t = Math.min(target.t, source.t);
  target.s = minString(target.s, source.s);
  target.r = unionSorted(target.r, source.r);
  target.m = unionSorted(target.m, source.m);
  target.c = maxString(target.c, source.c);
}

export function mergeMeetingEntry(target: MeetingEntry, source: MeetingEntry): void {
  target.st = Math.min(target.st, source.st);
  target.en = Math.max(target.en, source.en);
  target.o = minString(target.o, source.o);
  target.p = unionSorted(target.p, source.p);
  target.pd = unionSorted(target.pd, source.pd);
  target.m = unionSorted(target.m, source.m);
  target.mx = unionSorted(target.mx, source.mx);
  target.ma = unionSorted(target.ma, source.ma);
  target.md = unionSorted(target.md, source.md);
}

/** Merges `source` into `target` (mutating target only); for memory, when folding many partials. */
export function mergeInto(target: MailboxPartial, source: MailboxPartial): MailboxPartial {
  target.mailboxes = unionSorted(target.mailboxes, source.mailboxes);
  for (const [key, entry] of source.emails) {
    const existing = target.emails.get(key);
    if (existing) mergeEmailEntry(existing, entry);
    else target.emails.set(key, { ...entry });
  }
  for (const [key, entry] of source.meetings) {
    const existing = target.meetings.get(key);
    if (existing) mergeMeetingEntry(existing, entry);
    else target.meetings.set(key, { ...entry });
  }
  for (const [key, timeline] of source.threads) {
    const existing = target.threads.get(key);
    target.threads.set(key, existing ? unionSorted(existing, timeline) : timeline);
  }
  for (const [hash, accountId] of source.contacts) {
    const existing = target.contacts.get(hash);
    target.contacts.set(hash, existing === undefined ? accountId : minString(existing, accountId));
  }
  return target;
}

/** The merge of two partials, as a new partial; neither input changes. */
export function mergePartials(a: MailboxPartial, b: MailboxPartial): MailboxPartial {
  return mergeInto(mergeInto(emptyPartial(), a), b);
}
