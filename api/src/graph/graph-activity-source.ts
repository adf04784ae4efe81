/**
 * `ActivitySource` over Microsoft Graph (or the simulator): directory, mail and calendar,
 * every request under the concurrency limiter, every mailbox failure named and isolated.
 */
import type { GraphEvent, GraphMessage, SelectedMailbox } from '../engagement/types';
import type { ActivitySource, FolderScan, MailboxAccess, MailboxResolution, SourceStats, TenantOrganization } from '../enrichment/ports';
import { GraphBatch, type GraphGetMany } from './batch';
import { GraphCalendar } from './calendar';
import { type GraphClient, type GraphClientOptions, createGraphClient } from './client';
import { GraphDirectory } from './directory';
import { forMailbox, graphCodeOf } from './graph-errors';
import { ConcurrencyLimiter, type ConcurrencyLimiterOptions } from './limiter';
import { GraphMail } from './mail';
import type { GraphGet } from './paging';

/** Something the source reports for logs: a mailbox's failure. */
export interface GraphSourceLogEntry {
  kind: 'mailboxFailed';
  mailboxId: string;
  operation: 'folderScan' | 'messagePages' | 'eventPages' | 'probeMailboxAccess';
  code: string;
  graphCode?: string;
}

export interface GraphActivitySourceDeps {
  client: GraphClient;
  /** @default new ConcurrencyLimiter() (4 per mailbox, 16 in total) */
  limiter?: ConcurrencyLimiter;
  log?: (entry: GraphSourceLogEntry) => void;
  /**
   * `receivedDateTime` ranges of one mailbox read side by side (mail.ts). 1 is the sequential
   * keyset chain of earlier versions, kept for comparison (the scale benchmark).
   * @default the limiter's per-mailbox limit (Graph's 4)
   */
  mailboxRanges?: number;
  /**
   * Independent look-ups of a mailbox (its well-known folders and the top of its folder tree)
   * sent in one JSON `$batch` (batch.ts). false sends them one by one, for comparison.
   * @default true
   */
  batch?: boolean;
}

/** Pages of mail read and expected so far, over the mailboxes whose reading has started. */
export interface PageEstimate {
  pagesRead: number;
  /** Pages read plus the pages estimated left, for the mailboxes started. */
  pagesExpected: number;
  /** Mailboxes whose mail reading has started, and those among them that are finished. */
  mailboxesStarted: number;
  mailboxesFinished: number;
}

export class GraphActivitySource implements ActivitySource {
  private readonly client: GraphClient;
  private readonly limiter: ConcurrencyLimiter;
  private readonly log: ((entry: GraphSourceLogEntry) => void) | undefined;
  private readonly directory: GraphDirectory;
  /** The client's counters when this source was made: a source's stats start at zero. */
  private readonly baseline: SourceStats;
  private readonly mailboxRanges: number;
  private readonly batch: GraphBatch | undefined;
  /** Per mailbox read (keyed by a read counter): its latest estimate, and whether it finished. */
  private readonly estimates = new Map<number, { pagesRead: number; pagesExpected: number; finished: boolean }>();
  private reads = 0;

  constructor(deps: GraphActivitySourceDeps) {
    this.client = deps.client;
    this.limiter = deps.limiter ?? new ConcurrencyLimiter();
    this.log = deps.log;
    this.directory = new GraphDirectory(this.client, this.getFor(undefined));
    this.baseline = this.client.stats();
    this.mailboxRanges = Math.max(1, Math.floor(deps.mailboxRanges ?? this.limiter.perKey));
    this.batch = deps.batch === false ? undefined : new GraphBatch(this.client, this.limiter);
  }

  /** The global cap and per-mailbox limit, from which a run sizes its mailbox pool. */
  concurrency(): { global: number; perMailbox: number } {
    return { global: this.limiter.global, perMailbox: this.limiter.perKey };
  }

  /** Mail pages read and expected so far (for a run's ETA). */
  pageEstimate(): PageEstimate {
    const e: PageEstimate = { pagesRead: 0, pagesExpected: 0, mailboxesStarted: 0, mailboxesFinished: 0 };
    for (const m of this.estimates.values()) {
      e.pagesRead += m.pagesRead;
      e.pagesExpected += m.finished ? m.pagesRead : Math.max(m.pagesRead, m.pagesExpected);
      e.mailboxesStarted += 1;
      if (m.finished) e.mailboxesFinished += 1;
    }
    return e;
  }

  organization(): Promise<TenantOrganization> {
    return this.directory.organization();
  }

  resolveMailboxes(entries: string[]): Promise<MailboxResolution> {
    return this.directory.resolveMailboxes(entries);
  }

  async folderScan(mailbox: SelectedMailbox): Promise<FolderScan> {
    try {
      return await new GraphMail(this.client, this.getFor(mailbox.id), this.getManyFor(mailbox.id)).folderScan(mailbox);
    } catch (error) {
      throw this.failed(error, mailbox, 'folderScan');
    }
  }

  async *messagePages(mailbox: SelectedMailbox, from: Date, to: Date): AsyncGenerator<GraphMessage[]> {
    const estimate = { pagesRead: 0, pagesExpected: 1, finished: false };
    this.estimates.set((this.reads += 1), estimate);
    try {
      yield* new GraphMail(this.client, this.getFor(mailbox.id)).messagePages(mailbox, from, to, {
        parallel: this.mailboxRanges,
        onEstimate: (e) => Object.assign(estimate, e),
      });
    } catch (error) {
      throw this.failed(error, mailbox, 'messagePages');
    } finally {
      estimate.finished = true;
    }
  }

  async *eventPages(mailbox: SelectedMailbox, start: Date, end: Date): AsyncGenerator<GraphEvent[]> {
    try {
      yield* new GraphCalendar(this.client, this.getFor(mailbox.id)).eventPages(mailbox, start, end);
    } catch (error) {
      throw this.failed(error, mailbox, 'eventPages');
    }
  }

  async probeMailboxAccess(mailbox: SelectedMailbox): Promise<MailboxAccess> {
    const get = this.getFor(mailbox.id);
    const attempt = async (probe: () => Promise<unknown>): Promise<'granted' | 'denied'> => {
      try {
        await probe();
        return 'granted';
      } catch (error) {
        if (graphCodeOf(error) === 'ErrorAccessDenied') return 'denied';
        throw this.failed(error, mailbox, 'probeMailboxAccess');
      }
    };
    const [mail, calendar] = await Promise.all([
      attempt(() => new GraphMail(this.client, get).probe(mailbox)),
      attempt(() => new GraphCalendar(this.client, get).probe(mailbox)),
    ]);
    return { mail, calendar };
  }

  /** Counters since this source was made (the client may be shared between sources). */
  stats(): SourceStats {
    const now = this.client.stats();
    return {
      requests: now.requests - this.baseline.requests,
      throttleWaits: now.throttleWaits - this.baseline.throttleWaits,
      throttleWaitMs: now.throttleWaitMs - this.baseline.throttleWaitMs,
      retries: now.retries - this.baseline.retries,
    };
  }

  /** GETs under the limiter: per mailbox (Graph's 4-per-mailbox rule) or global only. */
  private getFor(mailboxId: string | undefined): GraphGet {
    return (url, headers) => this.limiter.run(mailboxId, () => this.client.get(url, headers));
  }

  /** Several GETs of one mailbox in `$batch`es, each member under the mailbox's limit; or one by one. */
  private getManyFor(mailboxId: string): GraphGetMany | undefined {
    const batch = this.batch;
    return batch && ((requests) => batch.getAll(requests.map((r) => ({ ...r, key: mailboxId }))));
  }

  private failed(error: unknown, mailbox: SelectedMailbox, operation: GraphSourceLogEntry['operation']) {
    const appError = forMailbox(error, mailbox);
    const graphCode = appError.details?.graphCode;
    this.log?.({
      kind: 'mailboxFailed',
      mailboxId: mailbox.id,
      operation,
      code: appError.code,
      ...(typeof graphCode === 'string' ? { graphCode } : {}),
    });
    return appError;
  }
}

export interface GraphActivitySourceOptions extends GraphClientOptions {
  limits?: ConcurrencyLimiterOptions;
  log?: (entry: GraphSourceLogEntry) => void;
  /** See GraphActivitySourceDeps.mailboxRanges. */
  mailboxRanges?: number;
  /** See GraphActivitySourceDeps.batch. */
  batch?: boolean;
}

/** Wires a client and a limiter into a source: what the composition root (server/src/main.ts) and the CLI need. */
export function createGraphActivitySource(options: GraphActivitySourceOptions): GraphActivitySource {
  const { limits, log, mailboxRanges, batch, ...clientOptions } = options;
  return new GraphActivitySource({
    client: createGraphClient(clientOptions),
    limiter: new ConcurrencyLimiter(limits),
    ...(log ? { log } : {}),
    ...(mailboxRanges !== undefined ? { mailboxRanges } : {}),
    ...(batch !== undefined ? { batch } : {}),
  });
}
