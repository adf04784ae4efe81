/**
 * The live-mailbox fault (DESIGN.md §5, "A mailbox changes while it is read").
 *
 * Real mailboxes change while a collector pages through them: junk is purged, Teams chat
 * items and meeting messages come and go, the owner moves mail to Archive, new items arrive.
 * Graph's message `@odata.nextLink` is an offset (`$skip`), so when items before the cursor
 * disappear the later ones shift forward and an offset reader silently skips them; a moved
 * message gets a new id (Outlook ids change on move unless the client asks for immutable ids).
 * https://learn.microsoft.com/graph/api/user-list-messages (paging with $skip)
 * https://learn.microsoft.com/graph/outlook-immutable-id ("their IDs change ... if the item is moved")
 *
 * The fixture store is read-only and shared (sorted typed arrays, items read from disk by
 * position), so churn lives here as a per-mailbox overlay: deleted base positions, moved base
 * positions (new id and folder, same receivedDateTime), and added items. A mailbox without an
 * overlay is listed by the fast positional path in graph-routes.ts and never comes here.
 *
 * What churn touches, so that a keyset reader's counted rows equal a clean run's:
 * - it deletes only items no rule counts (DESIGN.md §3 "What is not an email"): items in Junk
 *   Email, Conversation History or hidden folders (and their subfolders), and meeting messages;
 * - it moves only counted messages, to another counted folder;
 * - it adds only uncounted items (junk mail, meeting requests);
 * - and it picks victims among items already served by the query, never at the receivedDateTime
 *   of the last item served, which a keyset reader's next query (`le <last seen>`) reads again.
 */
import { hash32, mulberry32 } from './faults';
import { MEETING_MESSAGE_TYPES, type FixtureMailFolder, type FixtureMessage, type MailboxIndex } from './fixture';
import type { TimeRange } from './odata';

/** What churn may do with a base item, learnt when the item is first served. */
const UNKNOWN = 0;
/** A message some rule counts: churn may move it. */
const COUNTED = 1;
/** An item no rule counts (junk, chat, meeting message): churn may delete it. */
const UNCOUNTED = 2;
/** Neither (drafts, outbox, sync issues): churn leaves it alone. */
const OTHER = 3;

const MEETING_TYPES = new Set<string>(MEETING_MESSAGE_TYPES);
/** Folders whose items (and their subfolders') no rule counts and churn may delete. */
const DELETABLE_FOLDERS = new Set(['junkemail', 'conversationhistory']);
/** Further folders no rule counts, that churn leaves alone. */
const OTHER_EXCLUDED_FOLDERS = new Set(['drafts', 'outbox', 'syncissues']);

interface AddedItem {
  key: number;
  message: FixtureMessage;
}

export interface PageQuery {
  range: TimeRange;
  predicate?: ((m: FixtureMessage) => boolean) | undefined;
  desc: boolean;
  offset: number;
  top: number;
}

export interface MessagePage {
  items: FixtureMessage[];
  /** Items the query matches, for the nextLink. */
  total: number;
}

/**
 * One mailbox as it is now: the base index plus what churn did to it. Refs name listing
 * entries: a base position (≥ 0) or an added item (−1 − its index in `added`).
 */
export class LiveMailbox {
  private readonly deleted = new Set<number>();
  private readonly moved = new Map<number, { id: string; parentFolderId: string | null }>();
  private added: AddedItem[] = [];
  /** Per base position: UNKNOWN, COUNTED, UNCOUNTED or OTHER. */
  private readonly cls: Uint8Array;
  /** Per base position: 1 + index into `folders` of its current folder; 0 when not known. */
  private readonly folderOf: Uint16Array;
  private readonly folderIndex = new Map<string, number>();
  private readonly deletableFolders = new Set<number>();
  private readonly excludedFolders = new Set<number>();
  /** Counted folders a message may be moved to (1-based indexes). */
  private readonly targets: number[] = [];
  private readonly rng: () => number;
  private seq = 0;

  constructor(
    private readonly mb: MailboxIndex,
    seed: number,
    /** The owner's address, used as the recipient of arriving items. */
    private readonly owner: string | undefined,
  ) {
    this.cls = new Uint8Array(mb.messageCount);
    this.folderOf = new Uint16Array(mb.messageCount);
    this.rng = mulberry32(hash32(`churn:${mb.userId}`, hash32(String(seed))));
    this.classifyFolders(mb.mailFolders);
  }

  get userId(): string {
    return this.mb.userId;
  }

  /** Serves one page as the mailbox is now, then lets the mailbox change; returns the page and the number of changes. */
  async servePage(q: PageQuery, churnRate: number): Promise<MessagePage & { churned: number }> {
    let refs = this.list(q.range);
    let byRef: Map<number, FixtureMessage> | undefined;
    if (q.predicate) {
      // Other clauses than the range need the items: read them all (a rare, slow form).
      byRef = await this.read(refs);
      refs = refs.filter((r) => q.predicate!(byRef!.get(r)!));
    }
    const total = refs.length;
    const n = Math.max(0, Math.min(q.top, total - q.offset));
    const pageRefs = n === 0 ? [] : q.desc ? refs.slice(total - q.offset - n, total - q.offset).reverse() : refs.slice(q.offset, q.offset + n);
    const got = byRef ?? (await this.read(pageRefs));
    const items = pageRefs.map((r) => got.get(r)!);
    this.learn(pageRefs, items);
    // Served so far by this query, in its order: everything before the cursor.
    const prefix = q.desc ? refs.slice(total - q.offset - n).reverse() : refs.slice(0, q.offset + n);
    const churned = churnRate > 0 && n > 0 ? this.churn(prefix, n, q.range, refs, churnRate) : 0;
    return { items, total, churned };
  }

  // -------------------------------------------------------------------------
  // Listing
  // -------------------------------------------------------------------------

  private key(ref: number): number {
    return ref >= 0 ? this.mb.messageReceived[ref]! : this.added[-1 - ref]!.key;
  }

  /** Refs of the items in the range, ascending by receivedDateTime (base before added on ties). */
  private list(range: TimeRange): number[] {
    const keys = this.mb.messageReceived;
    const hi = lowerBound(keys, range.toMs);
    let i = Math.min(lowerBound(keys, range.fromMs), hi);
    let j = lowerBoundAdded(this.added, range.fromMs);
    const jEnd = Math.max(j, lowerBoundAdded(this.added, range.toMs));
    const out: number[] = [];
    while (i < hi || j < jEnd) {
      if (j >= jEnd || (i < hi && keys[i]! <= this.added[j]!.key)) {
        if (!this.deleted.has(i)) out.push(i);
        i++;
      } else {
        out.push(-1 - j);
        j++;
      }
    }
    return out;
  }

  /** The items behind refs, as they are now (moved items carry their new id and folder). */
  private async read(refs: readonly number[]): Promise<Map<number, FixtureMessage>> {
    const out = new Map<number, FixtureMessage>();
    let min = Infinity;
    let max = -1;
    for (const r of refs) {
      if (r >= 0) {
        min = Math.min(min, r);
        max = Math.max(max, r);
      } else out.set(r, { ...this.added[-1 - r]!.message });
    }
    if (max >= 0) {
      // Refs of one page are adjacent in the listing, so this span is the page plus deleted items.
      const span = await this.mb.readMessages(min, max + 1);
      for (const r of refs) {
        if (r < 0) continue;
        const m = span[r - min]!;
        const mv = this.moved.get(r);
        out.set(r, mv ? { ...m, id: mv.id, parentFolderId: mv.parentFolderId } : m);
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------
  // Classification
  // -------------------------------------------------------------------------

  private classifyFolders(folders: readonly FixtureMailFolder[]): void {
    folders.forEach((f, i) => this.folderIndex.set(f.id, i + 1));
    const byId = new Map(folders.map((f) => [f.id, f]));
    // A folder is deletable or excluded when it or any ancestor is (cycles in bad fixtures end the walk).
    const lineage = (f: FixtureMailFolder): FixtureMailFolder[] => {
      const chain: FixtureMailFolder[] = [];
      const seen = new Set<string>();
      for (let c: FixtureMailFolder | undefined = f; c && !seen.has(c.id); c = c.parentFolderId ? byId.get(c.parentFolderId) : undefined) {
        seen.add(c.id);
        chain.push(c);
      }
      return chain;
    };
    folders.forEach((f, i) => {
      const chain = lineage(f);
      const wk = (c: FixtureMailFolder): string => c.wellKnownName?.toLowerCase() ?? '';
      if (chain.some((c) => c.isHidden === true || DELETABLE_FOLDERS.has(wk(c)))) this.deletableFolders.add(i + 1);
      else if (chain.some((c) => OTHER_EXCLUDED_FOLDERS.has(wk(c)))) this.excludedFolders.add(i + 1);
      else if (wk(f) !== 'msgfolderroot') this.targets.push(i + 1);
    });
  }

  private classOf(m: FixtureMessage, folder: number): number {
    if (m['@odata.type'] && MEETING_TYPES.has(m['@odata.type'])) return UNCOUNTED;
    if (this.deletableFolders.has(folder)) return UNCOUNTED;
    if (m.isDraft === true || this.excludedFolders.has(folder)) return OTHER;
    return COUNTED;
  }

  /** Remembers what served base items are, so churn never needs to read the disk. */
  private learn(refs: readonly number[], items: readonly FixtureMessage[]): void {
    refs.forEach((r, k) => {
      if (r < 0 || this.cls[r] !== UNKNOWN) return;
      const m = items[k]!;
      const folder = m.parentFolderId ? (this.folderIndex.get(m.parentFolderId) ?? 0) : 0;
      this.folderOf[r] = folder;
      this.cls[r] = this.classOf(m, folder);
    });
  }

  // -------------------------------------------------------------------------
  // Churn
  // -------------------------------------------------------------------------

  private count(rate: number, pageSize: number): number {
    return Math.floor(rate * pageSize + this.rng());
  }

  /** Picks up to k of the candidates, in a seeded order. */
  private pick<T>(candidates: T[], k: number): T[] {
    const a = [...candidates];
    const n = Math.min(k, a.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.rng() * (a.length - i));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a.slice(0, n);
  }

  private newId(): string {
    this.seq++;
    return `live-${hash32(this.mb.userId).toString(16)}-${this.seq.toString(36)}`;
  }

  private churn(prefix: number[], pageSize: number, range: TimeRange, listing: number[], rate: number): number {
    const boundary = this.key(prefix[prefix.length - 1]!);
    const behind = prefix.filter((r) => this.key(r) !== boundary);
    // Delete items no rule counts.
    const gone = this.pick(
      behind.filter((r) => r < 0 || this.cls[r] === UNCOUNTED),
      this.count(rate, pageSize),
    );
    const goneAdded = new Set<AddedItem>();
    for (const r of gone) {
      if (r >= 0) this.deleted.add(r);
      else goneAdded.add(this.added[-1 - r]!);
    }
    // Move counted messages to another counted folder: a new id, the same receivedDateTime.
    let moves = 0;
    for (const r of this.pick(
      behind.filter((x) => x >= 0 && this.cls[x] === COUNTED),
      this.count(rate, pageSize),
    )) {
      const choices = this.targets.filter((t) => t !== this.folderOf[r]);
      if (choices.length === 0) continue;
      const to = choices[Math.floor(this.rng() * choices.length)]!;
      this.folderOf[r] = to;
      this.moved.set(r, { id: this.newId(), parentFolderId: this.mb.mailFolders[to - 1]!.id });
      moves++;
    }
    // New uncounted items arrive anywhere in the range being read.
    const lo = Number.isFinite(range.fromMs) ? range.fromMs : listing.length > 0 ? this.key(listing[0]!) : NaN;
    const hi = Number.isFinite(range.toMs) ? range.toMs - 1 : listing.length > 0 ? this.key(listing[listing.length - 1]!) : NaN;
    const arrivals: AddedItem[] = [];
    if (!Number.isNaN(lo) && !Number.isNaN(hi) && hi >= lo) {
      const k = this.count(rate, pageSize);
      for (let i = 0; i < k; i++) {
        const key = Math.floor(lo + this.rng() * (hi - lo + 1));
        arrivals.push({ key, message: this.arrival(key) });
      }
    }
    if (goneAdded.size > 0 || arrivals.length > 0) {
      this.added = [...this.added.filter((a) => !goneAdded.has(a)), ...arrivals].sort((a, b) => a.key - b.key || (a.message.id < b.message.id ? -1 : 1));
    }
    return gone.length + moves + arrivals.length;
  }

  /** An item no rule counts: junk mail from a spammer, or a meeting request from outside. */
  private arrival(key: number): FixtureMessage {
    const id = this.newId();
    const folder = (wk: string): string | undefined => this.mb.mailFolders.find((f) => f.wellKnownName?.toLowerCase() === wk)?.id;
    const junk = folder('junkemail');
    const received = new Date(key).toISOString();
    const sent = new Date(key - 2000).toISOString();
    const to = this.owner ? [{ emailAddress: { name: this.owner, address: this.owner } }] : [];
    const base = {
      id,
      conversationId: `conv-${id}`,
      internetMessageId: `<${id}@churn.example>`,
      isDraft: false,
      toRecipients: to,
      ccRecipients: [],
      bccRecipients: [],
      sentDateTime: sent,
      receivedDateTime: received,
    };
    if (junk && this.rng() < 0.5) {
      const from = { emailAddress: { name: 'Deals', address: `offers@deals-${this.seq.toString(36)}.example` } };
      return { ...base, parentFolderId: junk, from, sender: from };
    }
    const from = { emailAddress: { name: 'Organizer', address: `organizer@partner-${this.seq.toString(36)}.example` } };
    const home = folder('inbox') ?? this.mb.mailFolders[(this.targets[0] ?? 1) - 1]?.id ?? null;
    return { ...base, '@odata.type': '#microsoft.graph.eventMessageRequest', parentFolderId: home, from, sender: from };
  }
}

/** Live overlays by mailbox: created when churn first touches a mailbox, dropped on `reset`. */
export class LiveMailboxes {
  private readonly byUser = new Map<string, LiveMailbox>();

  /** The mailbox's overlay if churn has touched it. */
  get(userId: string): LiveMailbox | undefined {
    return this.byUser.get(userId);
  }

  /** The mailbox's overlay, created when missing. */
  open(mb: MailboxIndex, seed: number, owner: string | undefined): LiveMailbox {
    let live = this.byUser.get(mb.userId);
    if (!live) this.byUser.set(mb.userId, (live = new LiveMailbox(mb, seed, owner)));
    return live;
  }

  /** Every mailbox back to the fixture's state. */
  reset(): void {
    this.byUser.clear();
  }
}

export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBoundAdded(added: readonly AddedItem[], value: number): number {
  let lo = 0;
  let hi = added.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (added[mid]!.key < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
