/**
 * Mail collection: the excluded folders and the allow-listed message pages (DESIGN.md §3, §5).
 */
import type { GraphMessage, SelectedMailbox } from '../engagement/types';
import type { GraphClient } from './client';
import { MAILBOX_UNAVAILABLE_CODES, graphCodeOf, graphStatusOf } from './graph-errors';
import { type GraphGet, pages, parsePayload } from './paging';
import { folderSchema, messageSchema } from './schemas';
import { MESSAGE_FIELDS, selectParam } from './select';

/** Folders whose messages never count; their subfolders are excluded too. */
export const EXCLUDED_WELL_KNOWN_FOLDERS = ['junkemail', 'drafts', 'outbox', 'syncissues'] as const;

/** Graph's largest page for messages. */
export const MESSAGE_PAGE_SIZE = 1000;
const FOLDER_PAGE_SIZE = 100;

export class GraphMail {
  constructor(
    private readonly client: Pick<GraphClient, 'buildUrl'>,
    private readonly get: GraphGet,
  ) {}

  /** Ids of Junk Email, Drafts, Outbox and Sync Issues, and all their subfolders. */
  async excludedFolderIds(mailbox: SelectedMailbox): Promise<Set<string>> {
    const ids = new Set<string>();
    const roots = await Promise.all(EXCLUDED_WELL_KNOWN_FOLDERS.map((name) => this.wellKnownFolderId(mailbox, name)));
    const toVisit = roots.filter((id): id is string => id !== undefined);
    // Breadth-first over childFolders; `ids` doubles as the visited set, so a cycle cannot loop.
    while (toVisit.length > 0) {
      const id = toVisit.shift()!;
      if (ids.has(id)) continue;
      ids.add(id);
      const url = this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/mailFolders/${encodeURIComponent(id)}/childFolders`, {
        $select: 'id,childFolderCount',
        $top: FOLDER_PAGE_SIZE,
      });
      for await (const page of pages(this.get, url, folderSchema)) {
        for (const child of page) if (!ids.has(child.id)) toVisit.push(child.id);
      }
    }
    return ids;
  }

  /** Messages with `receivedDateTime` in [from, to), page by page, allow-listed fields only. */
  async *messagePages(mailbox: SelectedMailbox, from: Date, to: Date): AsyncGenerator<GraphMessage[]> {
    const url = this.client.buildUrl(`/users/${encodeURIComponent(mailbox.id)}/messages`, {
      $select: selectParam(MESSAGE_FIELDS),
      $filter: `receivedDateTime ge ${from.toISOString()} and receivedDateTime lt ${to.toISOString()}`,
      $top: MESSAGE_PAGE_SIZE,
    });
    yield* pages(this.get, url, messageSchema);
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
