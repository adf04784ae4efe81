/**
 * Mail collection: the excluded folders and the allow-listed message pages (DESIGN.md §3, §5).
 */
import type { GraphMessage, SelectedMailbox } from '../engagement/types';
import type { FolderScan } from '../enrichment/ports';
import { AppError } from '../errors';
import type { GraphClient } from './client';
import { MAILBOX_UNAVAILABLE_CODES, graphCodeOf, graphStatusOf } from './graph-errors';
import { type GraphGet, pages, parsePayload } from './paging';
import { folderSchema, messageSchema, pageSchema } from './schemas';
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

export class GraphMail {
  constructor(
    private readonly client: Pick<GraphClient, 'buildUrl'>,
    private readonly get: GraphGet,
  ) {}

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
    const roots = await Promise.all(EXCLUDED_WELL_KNOWN_FOLDERS.map((name) => this.wellKnownFolderId(mailbox, name)));
    const excluded = new Set(roots.filter((id): id is string => id !== undefined));
    const query = { includeHiddenFolders: 'true', $select: selectParam(FOLDER_FIELDS), $top: FOLDER_PAGE_SIZE };
    // Breadth-first; each level carries whether an ancestor is excluded. `visited` stops cycles.
    const visited = new Set<string>();
    let level: Array<{ url: string; underExcluded: boolean }> = [{ url: this.client.buildUrl(`${user}/mailFolders`, query), underExcluded: false }];
    while (level.length > 0) {
      const next: typeof level = [];
      for (const { url, underExcluded } of level) {
        for await (const page of pages(this.get, url, folderSchema)) {
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
   * Messages with `receivedDateTime` in [from, to), page by page, allow-listed fields only, newest
   * first, read by keyset so that a mailbox changing during the read loses nothing.
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
  async *messagePages(mailbox: SelectedMailbox, from: Date, to: Date): AsyncGenerator<GraphMessage[]> {
    const schema = pageSchema(messageSchema);
    const path = `/users/${encodeURIComponent(mailbox.id)}/messages`;
    const query = (before: number): string =>
      this.client.buildUrl(path, {
        $select: selectParam(MESSAGE_FIELDS),
        $filter: `receivedDateTime ge ${from.toISOString()} and receivedDateTime lt ${new Date(before).toISOString()}`,
        $orderby: 'receivedDateTime desc',
        $top: MESSAGE_PAGE_SIZE,
      });
    let before = to.getTime();
    /** Ids already yielded that the current query reads again (those received in its last second). */
    let reread = new Set<string>();
    const followed = new Set<string>();
    for (let url: string | undefined = query(before); url !== undefined; ) {
      const page: { value: GraphMessage[]; '@odata.nextLink'?: string | null } = parsePayload(schema, await this.get(url));
      const fresh = page.value.filter((m) => !reread.has(m.id));
      if (fresh.length > 0) yield fresh;
      const nextLink: string | undefined = page['@odata.nextLink'] ?? undefined;
      if (nextLink === undefined) return; // the query's last page: nothing older is left
      // Graph shows receivedDateTime to the second; the next bound is the end of the oldest
      // second seen, so an item stored with a finer time in that second is not cut off.
      const oldest = Date.parse(page.value.at(-1)?.receivedDateTime ?? '');
      const nextBefore = Math.floor(oldest / 1000) * 1000 + 1000;
      if (Number.isNaN(oldest) || nextBefore >= before) {
        // No instant to move the bound to, or a whole page within the bound's last second: step
        // past it by offset, the one case where the nextLink is followed.
        if (followed.has(nextLink)) {
          throw new AppError('GRAPH_REQUEST_FAILED', 'Microsoft Graph returned a paging link that was already followed.', { graphCode: 'PagingLoop', status: null });
        }
        followed.add(nextLink);
        for (const m of page.value) reread.add(m.id);
        url = nextLink;
        continue;
      }
      before = nextBefore;
      reread = new Set(page.value.filter((m) => Date.parse(m.receivedDateTime ?? '') < before).map((m) => m.id));
      url = query(before);
    }
  }

  /** One message id, enough to learn whether the mailbox's mail may be read. */
  async probe(mailbox: SelectedMailbox): Promise<void> {
    await this.get(this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/messages`, { $select: 'id', $top: 1 }));
  }

  private async wellKnownFolderId(mailbox: SelectedMailbox, name: string): Promise<string | undefined> {
    const url = this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/mailFolders/${name}`, { $select: 'id' });
    try {
      return parsePayload(folderSchema, await this.get(url)).id;
    } catch (error) {
      // A mailbox may lack a well-known folder (404): nothing to exclude. But a 404 that says the
      // mailbox itself cannot be read must not be mistaken for a missing folder.
      const code = graphCodeOf(error);
      if (graphStatusOf(error) === 404 && !(code && MAILBOX_UNAVAILABLE_CODES.has(code))) return undefined;
      throw error;
    }
  }
}
