/**
 * Mail collection: the excluded folders and the allow-listed message pages (DESIGN.md §3, §5).
 */
import type { GraphMessage, SelectedMailbox } from '../engagement/types';
import type { FolderScan } from '../enrichment/ports';
import { AppError } from '../errors';
import { type BatchOutcome, type GraphGetMany, getManyOneByOne } from './batch';
import type { GraphClient } from './client';
import { MAILBOX_UNAVAILABLE_CODES, graphCodeOf, graphStatusOf } from './graph-errors';
import { type GraphGet, pages, parsePayload } from './paging';
import { parseMessagePage } from './message-page';
import { folderSchema } from './schemas';
import { FOLDER_FIELDS, MESSAGE_FIELDS, selectParam } from './select';

/**
 * Well-known folders whose messages never count; their subfolders are excluded too.
 * `conversationhistory` holds Teams chat items, which `/messages` lists among the mail
 * (https://learn.microsoft.com/graph/known-issues: "messages endpoint returns Teams chats").
 * Well-known names: https://learn.microsoft.com/graph/api/resources/mailfolder
 */
export const EXCLUDED_WELL_KNOWN_FOLDERS = ['junkemail', 'drafts', 'outbox', 'syncissues', 'conversationhistory'] as const;

/** Graph's largest page for messages. */
export const MESSAGE_PAGE_SIZE = 1000;
const FOLDER_PAGE_SIZE = 100;
/** A range is split for another reader only when it has at least this many pages left (an estimate). */
export const MIN_PAGES_TO_SPLIT = 2;

export interface MessagePagesOptions {
  /** Ranges of the mailbox read side by side; at most Graph's 4 per mailbox pay off. @default 1 */
  parallel?: number;
  /** Pages read and pages expected (read + estimated left), after every page. */
  onEstimate?: (estimate: { pagesRead: number; pagesExpected: number }) => void;
}

export class GraphMail {
  private readonly getMany: GraphGetMany;

  constructor(
    private readonly client: Pick<GraphClient, 'buildUrl'>,
    private readonly get: GraphGet,
    /** Independent GETs sent together (a `$batch`, batch.ts). @default one by one through `get` */
    getMany?: GraphGetMany,
  ) {
    this.getMany = getMany ?? getManyOneByOne(get);
  }

  /**
   * The folder tree: every folder id, and those whose items are never emails: Junk Email, Drafts, Outbox, Sync Issues,
   * Conversation History, every hidden folder (`isHidden`, where Teams keeps chat data; listed
   * only with `includeHiddenFolders=true`,
   * https://learn.microsoft.com/graph/api/user-list-mailfolders), and all their subfolders.
   *
   * The whole tree is walked once with hidden folders included: a hidden folder may sit at
   * any depth, and a folder is asked for its children only when it has some.
   */
  async folderScan(mailbox: SelectedMailbox): Promise<FolderScan> {
    const user = `/users/${encodeURIComponent(mailbox.id)}`;
    const query = { includeHiddenFolders: 'true', $select: selectParam(FOLDER_FIELDS), $top: FOLDER_PAGE_SIZE };
    const topUrl = this.client.buildUrl(`${user}/mailFolders`, query);
    // The look-ups and the first page of the top level do not depend on each other: sent
    // together they cost two `$batch` round trips (Graph's 4 per mailbox) instead of six requests.
    const [top, ...known] = await this.getMany([
      { url: topUrl },
      ...EXCLUDED_WELL_KNOWN_FOLDERS.map((name) => ({ url: this.client.buildUrl(`${user}/mailFolders/${name}`, { $select: 'id' }) })),
    ]);
    const roots = known.map((outcome) => wellKnownFolderId(outcome!));
    if (!top!.ok) throw top!.error;
    const excluded = new Set(roots.filter((id): id is string => id !== undefined));
    // The top level's first page is already here; every other page is fetched as before.
    let prefetched: unknown = top!.body;
    const get: GraphGet = (url, headers) => {
      if (url !== topUrl || prefetched === undefined) return this.get(url, headers);
      const body = prefetched;
      prefetched = undefined;
      return Promise.resolve(body);
    };
    // Breadth-first; each level carries whether an ancestor is excluded. `visited` stops cycles.
    const visited = new Set<string>();
    let level: Array<{ url: string; underExcluded: boolean }> = [{ url: topUrl, underExcluded: false }];
    while (level.length > 0) {
      const next: typeof level = [];
      for (const { url, underExcluded } of level) {
        for await (const page of pages(get, url, folderSchema)) {
          for (const folder of page) {
            if (visited.has(folder.id)) continue;
            visited.add(folder.id);
            const isExcluded = underExcluded || folder.isHidden === true || excluded.has(folder.id);
            if (isExcluded) excluded.add(folder.id);
            if ((folder.childFolderCount ?? 1) > 0) {
              next.push({ url: this.client.buildUrl(`${user}/mailFolders/${encodeURIComponent(folder.id)}/childFolders`, query), underExcluded: isExcluded });
            }
          }
        }
      }
      level = next;
    }
    return { excluded, all: visited };
  }

  /**
   * Messages with `receivedDateTime` in [from, to), page by page, allow-listed fields only, read
   * by keyset so that a mailbox changing during the read loses nothing (see KeysetRange), as up
   * to `parallel` independent `receivedDateTime` ranges read side by side.
   *
   * Why ranges: a page costs Graph 0.3–2 s, and Graph allows 4 concurrent requests per app and
   * mailbox (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits), so one
   * keyset chain per mailbox leaves three quarters of the allowance unused. The first page is
   * read over the whole window; it shows how dense the mailbox is. Then every idle reader takes
   * the older half of the range with the most pages left (work stealing), until `parallel`
   * readers run or no range has `MIN_PAGES_TO_SPLIT` pages left. Split points are whole
   * seconds and ranges are half-open, so every item belongs to exactly one range; the reader
   * that gave up the older half drops what its request in flight still returns from it.
   *
   * Pages come out in the order they arrive, not newest first: the reduction is order-free.
   * `parallel` 1 is the sequential keyset chain (one request at a time), request for request.
   * `onEstimate` hears pages read and pages expected after every page (for an ETA).
   */
  async *messagePages(mailbox: SelectedMailbox, from: Date, to: Date, options: MessagePagesOptions = {}): AsyncGenerator<GraphMessage[]> {
    const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
    const path = `/users/${encodeURIComponent(mailbox.id)}/messages`;
    const query = (after: number, before: number): string =>
      this.client.buildUrl(path, {
        $select: selectParam(MESSAGE_FIELDS),
        $filter: `receivedDateTime ge ${new Date(after).toISOString()} and receivedDateTime lt ${new Date(before).toISOString()}`,
        $orderby: 'receivedDateTime desc',
        $top: MESSAGE_PAGE_SIZE,
      });
    const ranges: KeysetRange[] = [new KeysetRange(query, this.get, from.getTime(), to.getTime())];
    // What has been read so far; `pageSize` is the largest page that had more after it ($top, 1,000 on Graph).
    const density = { items: 0, ms: 0, pages: 0, pageSize: 0 };
    const remainingPages = (r: KeysetRange): number => (density.ms > 0 ? (r.span() * density.items) / density.ms / (density.pageSize || MESSAGE_PAGE_SIZE) : Infinity);
    const estimate = (): void => {
      if (!options.onEstimate) return;
      const left = ranges.filter((r) => !r.done).reduce((sum, r) => sum + (density.ms > 0 ? Math.max(1, Math.ceil(remainingPages(r))) : 1), 0);
      options.onEstimate({ pagesRead: density.pages, pagesExpected: density.pages + left });
    };

    // The pages read and not yet taken by the consumer; each reader waits until its page is taken.
    const ready: Array<{ page: GraphMessage[]; taken: () => void }> = [];
    let failure: { error: unknown } | undefined;
    let stopped = false;
    let running = 0;
    let wake: (() => void) | undefined;
    const signal = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    let pageRead: Array<() => void> = [];
    const pageReadSignal = (): void => {
      const waiters = pageRead;
      pageRead = [];
      for (const w of waiters) w();
    };

    const readRange = async (range: KeysetRange): Promise<void> => {
      while (!range.done && !stopped) {
        const { fresh, coveredMs, itemsRead, fullPage } = await range.next();
        if (fullPage > density.pageSize) density.pageSize = fullPage;
        density.items += itemsRead;
        density.ms += coveredMs;
        density.pages += 1;
        estimate();
        pageReadSignal();
        if (stopped) return;
        if (fresh.length > 0) {
          await new Promise<void>((taken) => {
            ready.push({ page: fresh, taken });
            signal();
          });
        }
      }
    };
    /** The older half of the range with the most pages left, when that is worth a reader. */
    const steal = (): KeysetRange | undefined => {
      let best: KeysetRange | undefined;
      let bestPages = MIN_PAGES_TO_SPLIT;
      for (const r of ranges) {
        const left = remainingPages(r);
        if (!r.done && r.splittable() && left >= bestPages) {
          best = r;
          bestPages = left;
        }
      }
      if (!best) return undefined;
      const older = best.splitOlderHalf();
      if (older) ranges.push(older);
      return older;
    };
    const reader = async (first: KeysetRange | undefined): Promise<void> => {
      try {
        if (first) await readRange(first);
        while (!stopped) {
          // Until the first page shows the mailbox's density, nothing can be sized: wait for it.
          if (density.pages === 0 && ranges.some((r) => !r.done)) {
            await new Promise<void>((resolve) => pageRead.push(resolve));
            continue;
          }
          const range = steal();
          if (range) {
            await readRange(range);
            continue;
          }
          // Nothing worth splitting now; a range reading past a crowded second cannot be split
          // until it is through, so wait for the next page while any range is still reading.
          if (!ranges.some((r) => !r.done)) return;
          await new Promise<void>((resolve) => pageRead.push(resolve));
        }
      } catch (error) {
        failure ??= { error };
        stopped = true;
      } finally {
        running -= 1;
        signal();
        pageReadSignal();
      }
    };

    running = parallel;
    void reader(ranges[0]);
    for (let i = 1; i < parallel; i++) void reader(undefined);
    try {
      for (;;) {
        const next = ready.shift();
        if (next) {
          next.taken();
          yield next.page;
          continue;
        }
        if (failure) throw failure.error;
        if (running === 0) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      // The consumer stopped early or a reader failed: let the other readers go.
      stopped = true;
      for (const item of ready.splice(0)) item.taken();
      pageReadSignal();
    }
  }

  /** One message id, enough to learn whether the mailbox's mail may be read. */
  async probe(mailbox: SelectedMailbox): Promise<void> {
    await this.get(this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/messages`, { $select: 'id', $top: 1 }));
  }

}

/** A well-known folder's id from its look-up, or undefined when the mailbox has no such folder. */
function wellKnownFolderId(outcome: BatchOutcome): string | undefined {
  if (outcome.ok) return parsePayload(folderSchema, outcome.body).id;
  // A mailbox may lack a well-known folder (404, ErrorFolderNotFound): nothing to exclude. But a
  // 404 that says the mailbox itself cannot be read must not be mistaken for a missing folder.
  const code = graphCodeOf(outcome.error);
  if (graphStatusOf(outcome.error) === 404 && !(code && MAILBOX_UNAVAILABLE_CODES.has(code))) return undefined;
  throw outcome.error;
}

/**
 * One `receivedDateTime` range [from, before) of a mailbox, read newest first by keyset.
 *
 * Graph's message `@odata.nextLink` is an offset (`$skip`): when items before the cursor are
 * deleted or moved (retention, emptied Deleted Items, moves between folders), later items
 * shift and an offset reader silently skips them (DESIGN.md §5). Instead each page is a new
 * query bounded by the oldest `receivedDateTime` seen so far (its second included, so items
 * sharing it are read again and deduplicated by id). Graph allows `$orderby` only on the property
 * that leads `$filter` (else `InefficientFilter`,
 * https://learn.microsoft.com/graph/api/user-list-messages). A moved item gets a new id but
 * keeps its `receivedDateTime`, so it is read once, at its place in time.
 *
 * Only when a whole page falls in one second (more than a page of items received in the same
 * second) is the page's nextLink followed, to get past them.
 */
export class KeysetRange {
  done = false;
  private url: string;
  /** Ids already yielded that the current query reads again (those received in its last second). */
  private reread = new Set<string>();
  private readonly followed = new Set<string>();
  /** Whether `from` was raised by a split: items older than it belong to another range now. */
  private raised = false;
  /** Following a nextLink within one second: no split until the keyset resumes. */
  private offsetMode = false;

  constructor(
    private readonly query: (after: number, before: number) => string,
    private readonly get: GraphGet,
    private from: number,
    private before: number,
  ) {
    this.url = query(from, before);
  }

  /** Milliseconds of the range not read yet. */
  span(): number {
    return this.done ? 0 : Math.max(0, this.before - this.from);
  }

  splittable(): boolean {
    return !this.done && !this.offsetMode && this.splitPoint() !== undefined;
  }

  /**
   * Gives up the older half: returns a new range [from, mid) and keeps [mid, before). `mid` is a
   * whole second, and at least a second below the bound (whose last second this range may read again).
   */
  splitOlderHalf(): KeysetRange | undefined {
    const mid = this.splitPoint();
    if (mid === undefined || this.offsetMode || this.done) return undefined;
    const older = new KeysetRange(this.query, this.get, this.from, mid);
    this.from = mid;
    this.raised = true;
    return older;
  }

  private splitPoint(): number | undefined {
    const mid = Math.floor((this.from + this.before) / 2 / 1000) * 1000;
    return mid > this.from && mid < this.before - 1000 ? mid : undefined;
  }

  /** Reads the next page: the items not yielded before, how much time it covered and how many items it held. */
  async next(): Promise<{ fresh: GraphMessage[]; coveredMs: number; itemsRead: number; fullPage: number }> {
    const page = parseMessagePage(await this.get(this.url));
    const from = this.from;
    // Graph shows receivedDateTime to the second and `from` is then a whole second, so a shown
    // time below it is a true time below it: that item is read by the range that took the older half.
    const fresh = page.value.filter((m) => !this.reread.has(m.id) && !(this.raised && Date.parse(m.receivedDateTime ?? '') < from));
    const nextLink: string | undefined = page['@odata.nextLink'] ?? undefined;
    const oldest = Date.parse(page.value.at(-1)?.receivedDateTime ?? '');
    const startBefore = this.before;
    if (nextLink === undefined || (this.raised && oldest < from)) {
      // The query's last page, or the page reached the part given away: nothing older is left here.
      this.done = true;
      return { fresh, coveredMs: Math.max(0, startBefore - from), itemsRead: fresh.length, fullPage: 0 };
    }
    // The next bound is the end of the oldest second seen, so an item stored with a finer time
    // in that second is not cut off.
    const nextBefore = Math.floor(oldest / 1000) * 1000 + 1000;
    if (Number.isNaN(oldest) || nextBefore >= this.before) {
      // No instant to move the bound to, or a whole page within the bound's last second: step
      // past it by offset, the one case where the nextLink is followed.
      if (this.followed.has(nextLink)) {
        throw new AppError('GRAPH_REQUEST_FAILED', 'Microsoft Graph returned a paging link that was already followed.', { graphCode: 'PagingLoop', status: null });
      }
      this.followed.add(nextLink);
      for (const m of page.value) this.reread.add(m.id);
      this.offsetMode = true;
      this.url = nextLink;
      return { fresh, coveredMs: 0, itemsRead: fresh.length, fullPage: page.value.length };
    }
    this.offsetMode = false;
    this.before = nextBefore;
    this.reread = new Set(page.value.filter((m) => Date.parse(m.receivedDateTime ?? '') < nextBefore).map((m) => m.id));
    this.url = this.query(this.from, nextBefore);
    return { fresh, coveredMs: Math.max(0, startBefore - nextBefore), itemsRead: fresh.length, fullPage: page.value.length };
  }
}

