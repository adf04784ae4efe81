/**
 * One enrichment run: resolve the mailboxes, collect each one into a partial aggregate,
 * merge the partials, score, and return the `Office` rows. Mailboxes are independent tasks
 * run by a small worker pool; one mailbox's failure is recorded and never stops the others.
 */
import {
  DAY_MS,
  windowStartOf,
  buildAccountDirectory,
  createMailboxReducer,
  ShardedMerge,
  type DatasetReport,
  type EngagementResults,
  type MailboxPartial,
  type ScoreExplanation,
} from '../engagement';
import type { AccountDirectory } from '../engagement/account-directory';
import type { CustomerDataset, EngagementRules, OfficeRow, OfficeUserRow, RunContext, SelectedMailbox } from '../engagement/types';
import { AppError, isAppError } from '../errors';
import { mapBounded } from '../lib/map-bounded';
import {
  beginRun,
  collectMailbox,
  commitRun,
  isReusable,
  isSettledUsable,
  membersKeyOf,
  reductionKeyOf,
  resultsFromStateSlices,
  type IncrementalRun,
  type IncrementalSettings,
} from './incremental-collection';
import { abortableSource } from './abortable-source';
import { drainAsync } from './drain-async';
import { createSpillStore } from './spill-store';
import type { ActivitySource, MailboxResolution } from './ports';
import type { MailboxState } from './run-state';
import { mailboxRef, SPAN, telemetry, type RunRecord } from '../telemetry/telemetry';

export const MIN_MAILBOXES = 2;
export const MAX_MAILBOXES = 2500;

export type RunPhase = 'queued' | 'resolving' | 'collecting' | 'aggregating' | 'saving' | 'done' | 'failed' | 'cancelled';

export interface MailboxFailure {
  mailbox: string;
  code: string;
  message: string;
}

export interface RunProgress {
  phase: RunPhase;
  percent: number;
  mailboxesDone: number;
  mailboxesTotal: number;
  messagesProcessed: number;
  meetingsProcessed: number;
  graphRequests: number;
  throttleWaits: number;
  errors: MailboxFailure[];
  /** Mail pages read, and read plus estimated left over all mailboxes (null until estimable). */
  pagesRead?: number;
  pagesExpected?: number | null;
  /** Seconds of collection left, from pages read and expected; null until estimable. */
  etaSeconds?: number | null;
}

export interface EnrichmentInput {
  orgEntries: string[];
  dataset: CustomerDataset;
  rules: EngagementRules;
  /** T, the run's clock. */
  now: Date;
  /** Scores of the previous run, keyed `${AccountId}|${level}|${AggregationStartdate}`. */
  previousScores?: Map<string, number>;
}

export interface EnrichmentOptions {
  /** Mailboxes collected at once. Graph requests are further capped by the source's limiter. */
  mailboxConcurrency?: number;
  onProgress?: (progress: RunProgress) => void;
  /**
   * Persisted state: the run refreshes incrementally, checkpoints every mailbox and resumes an
   * interrupted run for the same T (docs/incremental.md). Without it, every run is a full run
   * held in memory. The caller must call `outcome.incremental.commit()` once it has committed
   * the results.
   */
  incremental?: IncrementalSettings;
  /**
   * Cancels the run: every Graph call and page is raced against it (abortable-source.ts), no
   * further mailbox starts, and the run rejects with the signal's reason instead of returning.
   * Mailboxes checkpointed before that keep their checkpoints; the journal stays open, as after
   * any run that did not commit (docs/incremental.md).
   */
  signal?: AbortSignal;
  /**
   * Collects the mailboxes elsewhere instead of in this process's pool: the distributed run
   * (api/src/distributed, Azure Storage queues and blobs). Full runs only, not with `incremental`.
   */
  remote?: RemoteCollection;
}

/** What a remote collection needs to reduce a mailbox exactly as this process would. */
export interface RemotePlan {
  ctx: RunContext;
  dataset: CustomerDataset;
  /** The domains `buildAccountDirectory` was given. */
  internalDomains: string[];
  window: { from: Date; mailTo: Date; calendarTo: Date };
}

/** Work a remote task did, added to the run's counters. */
export interface RemoteCounts {
  messages: number;
  events: number;
  requests: number;
  throttleWaits: number;
}

/** The seam for a distributed run: one partial or one failure per mailbox, then this process merges and scores. */
export interface RemoteCollection {
  collect(
    plan: RemotePlan,
    sink: {
      /** Mailboxes finished so far (progress only). */
      progress(done: number): void;
      /** Once per mailbox, in ascending mailbox id order, so the merge order is deterministic. */
      partial(mailbox: SelectedMailbox, partial: MailboxPartial, counts: RemoteCounts): void;
      failure(failure: MailboxFailure, counts: RemoteCounts): void;
    },
    signal?: AbortSignal,
  ): Promise<void>;
}

export interface EnrichmentTotals {
  accountsEnriched: number;
  totalAccounts: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
  messagesRead: number;
  eventsRead: number;
  graphRequests: number;
  throttleWaits: number;
  mailboxes: number;
  failures: MailboxFailure[];
}

export interface EnrichmentOutcome {
  totals: EnrichmentTotals;
  office: OfficeRow[];
  officeUserTable: OfficeUserRow[];
  explanations: Record<string, ScoreExplanation>;
  datasetReport: DatasetReport;
  resolution: MailboxResolution;
  /** Present when the run used persisted state. */
  incremental?: IncrementalRun & { commit(): Promise<void> };
}


/** Checks a resolution against the 2..2,500 rule and unknown entries; throws a clear AppError. */
export function assertUsableResolution(resolution: MailboxResolution): void {
  const unknown = resolution.entries.filter((e) => e.kind === 'unknown').map((e) => e.input);
  if (unknown.length > 0) {
    throw new AppError(
      'UNKNOWN_ORG_ENTRY',
      `Not found in the directory: ${unknown.join(', ')}. Check the spelling, or use the group's email address.`,
      { entries: unknown },
    );
  }
  const n = resolution.mailboxes.length;
  if (n < MIN_MAILBOXES || n > MAX_MAILBOXES) {
    throw new AppError(
      'MAILBOX_COUNT_OUT_OF_RANGE',
      `The organisation addresses resolve to ${n.toLocaleString('en-US')} mailbox${n === 1 ? '' : 'es'}; Rapport needs at least ${MIN_MAILBOXES} and at most ${MAX_MAILBOXES.toLocaleString('en-US')}.`,
      { mailboxCount: n },
    );
  }
}

/** Progress before anything has happened, in the given phase. */
export function initialProgress(phase: RunPhase): RunProgress {
  return {
    phase,
    percent: 0,
    mailboxesDone: 0,
    mailboxesTotal: 0,
    messagesProcessed: 0,
    meetingsProcessed: 0,
    graphRequests: 0,
    throttleWaits: 0,
    errors: [],
  };
}

/**
 * One run inside a telemetry span (telemetry/telemetry.ts): counts, durations and codes only,
 * never an address. The run's metrics are recorded when it ends, however it ends.
 */
export async function runEnrichment(graphSource: ActivitySource, input: EnrichmentInput, options: EnrichmentOptions = {}): Promise<EnrichmentOutcome> {
  const started = Date.now();
  return telemetry().span(SPAN.run, { 'rapport.run.incremental': Boolean(options.incremental), 'rapport.run.full': options.incremental?.full ?? true }, async (span) => {
    let record: RunRecord = { status: 'failed', durationMs: 0, mailboxes: 0, failedMailboxes: 0 };
    try {
      const outcome = await enrichRun(graphSource, input, options);
      const { totals } = outcome;
      record = { status: totals.failures.length > 0 ? 'partial' : 'succeeded', durationMs: 0, mailboxes: totals.mailboxes, failedMailboxes: totals.failures.length };
      span.set({ 'rapport.run.accounts_enriched': totals.accountsEnriched, 'rapport.run.emails': totals.emailsProcessed, 'rapport.run.meetings': totals.meetingsProcessed });
      return outcome;
    } catch (e) {
      if (options.signal?.aborted) record.status = 'stopped';
      const failures = isAppError(e) && Array.isArray(e.details?.failures) ? e.details.failures.length : 0;
      record.failedMailboxes = failures;
      record.mailboxes = failures;
      throw e;
    } finally {
      const stats = graphSource.stats();
      record.durationMs = Date.now() - started;
      span.set({
        'rapport.run.status': record.status,
        'rapport.run.mailboxes': record.mailboxes,
        'rapport.run.failed_mailboxes': record.failedMailboxes,
        'rapport.graph.requests': stats.requests,
        'rapport.graph.retry_count': stats.retries,
        'rapport.graph.throttle_waits': stats.throttleWaits,
        'rapport.graph.throttle_wait_ms': stats.throttleWaitMs,
      });
      telemetry().runEnded(record);
    }
  });
}

async function enrichRun(graphSource: ActivitySource, input: EnrichmentInput, options: EnrichmentOptions): Promise<EnrichmentOutcome> {
  const { signal } = options;
  signal?.throwIfAborted();
  const source = signal ? abortableSource(graphSource, signal) : graphSource;
  const progress = initialProgress('resolving');
  const remoteCounts: RemoteCounts = { messages: 0, events: 0, requests: 0, throttleWaits: 0 };
  const eta = etaEstimator(graphSource);
  const report = (): void => {
    const stats = source.stats();
    if (progress.phase === 'collecting') Object.assign(progress, eta(progress.mailboxesTotal));
    else if (progress.phase !== 'resolving') progress.etaSeconds = null;
    progress.graphRequests = stats.requests + remoteCounts.requests;
    progress.throttleWaits = stats.throttleWaits + remoteCounts.throttleWaits;
    // Collection is the long part: it spans 5–90%; aggregation and saving take the rest.
    if (progress.phase === 'collecting' && progress.mailboxesTotal > 0) {
      progress.percent = Math.floor(5 + (85 * progress.mailboxesDone) / progress.mailboxesTotal);
    }
    options.onProgress?.({ ...progress, errors: [...progress.errors] });
  };
  report();

  const organization = await source.organization();
  const resolution = await source.resolveMailboxes(input.orgEntries);
  assertUsableResolution(resolution);
  const internalDomains = [...organization.verifiedDomains, ...input.rules.extraInternalDomains];
  const { directory, report: datasetReport } = buildAccountDirectory(input.dataset, internalDomains);

  if (options.remote && options.incremental) throw new AppError('USAGE', 'A distributed run is a full run: it cannot use persisted incremental state.');
  const incremental = options.incremental ? await beginRun(options.incremental, input.now.getTime(), new Date()) : null;
  const ctx: RunContext = {
    now: input.now.getTime(),
    verifiedDomains: organization.verifiedDomains,
    rules: input.rules,
    mailboxes: resolution.mailboxes,
    ...(incremental ? { hashSalt: incremental.salt } : {}),
  };
  const from = new Date(windowStartOf(input.now.getTime()));
  // Mail is fetched by receivedDateTime; a message sent just before T may arrive just after.
  const mailTo = new Date(input.now.getTime() + DAY_MS);
  const calendarTo = new Date(input.now.getTime() + 90 * DAY_MS);

  progress.phase = 'collecting';
  progress.mailboxesTotal = resolution.mailboxes.length;
  progress.percent = 5;
  report();

  const mailboxConcurrency = Math.max(1, options.mailboxConcurrency ?? defaultMailboxConcurrency(graphSource));
  /** Collects mailboxes side by side; one mailbox's failure is recorded and never stops the others. */
  const pool = async (items: SelectedMailbox[], task: (mailbox: SelectedMailbox) => Promise<void>): Promise<void> => {
    await mapBounded(items, mailboxConcurrency, async (mailbox) => {
      try {
        // The mailbox by a salted hash: enough to follow it through a trace, never its id or address.
        await telemetry().span(SPAN.mailbox, { 'rapport.mailbox.ref': mailboxRef(mailbox.id) }, () => task(mailbox));
      } catch (e) {
        // A cancelled run is no mailbox's failure: it stops the pool (mapBounded starts no more).
        if (signal?.aborted) throw e;
        progress.errors.push(describeFailure(mailbox, e));
      }
      progress.mailboxesDone += 1;
      report();
    });
  };

  let results: EngagementResults;
  let incrementalRun: EnrichmentOutcome['incremental'];
  if (incremental && options.incremental) {
    const settings = options.incremental;
    const store = settings.state;
    const { journal } = incremental;
    const reductionKey = reductionKeyOf(input.dataset, input.rules, organization.verifiedDomains);
    const membersKey = membersKeyOf(resolution.mailboxes);
    // Every state is read (and checked) before any Graph request: a corrupt file stops the run here.
    let settled = journal.full ? null : await store.loadSettled();
    if (settled && !isSettledUsable(settled, ctx.now, reductionKey, membersKey)) settled = null;
    const states = new Map<string, MailboxState>();
    // A read that throws (a strict store's damaged file, an I/O fault) stops the run with the first
    // error, once the reads under way are done; a healing store returns null for a damaged file.
    await mapBounded(resolution.mailboxes, 8, async (mailbox) => {
      const state = await store.loadMailbox(mailbox.id);
      if (state) states.set(mailbox.id, state);
    });
    const counts = { skipped: 0, refreshed: 0, collectedInFull: 0 };
    const inFull: MailboxState[] = [];
    let pending = resolution.mailboxes.filter((m) => {
      if (states.get(m.id)?.runId !== journal.id) return true;
      counts.skipped += 1;
      return false;
    });
    progress.mailboxesDone = counts.skipped;
    report();
    const hooks = {
      onMessages: (n: number) => {
        progress.messagesProcessed += n;
        report();
      },
      onEvents: (n: number) => {
        progress.meetingsProcessed += n;
        report();
      },
    };
    const collect = async (mailbox: SelectedMailbox): Promise<void> => {
      const stored = states.get(mailbox.id) ?? null;
      const previous = settled && stored && isReusable(stored, ctx.now, reductionKey, membersKey) ? stored : null;
      if (stored && !previous) states.delete(mailbox.id);
      const next = await collectMailbox(source, ctx, directory, mailbox, previous, { journal, reductionKey, membersKey, settled }, settings, hooks);
      if (settled && !settled.contributors.includes(mailbox.id)) {
        // What settled lacks this mailbox (it never succeeded before): the run starts over, in
        // full, and says so in the journal first, so a resumed run does too.
        settled = null;
        journal.full = true;
        await store.updateRoot((draft) => {
          if (draft.active?.id === journal.id) draft.active.full = true;
        });
      }
      await store.saveMailbox(next); // the checkpoint
      states.set(mailbox.id, next);
      if (previous) counts.refreshed += 1;
      else {
        counts.collectedInFull += 1;
        inFull.push(next);
      }
    };
    if (settled) {
      // Mailboxes that what settled lacks go first: if one succeeds, everything is read again.
      const newcomers = pending.filter((m) => !settled!.contributors.includes(m.id));
      await pool(newcomers, collect);
      const joined = newcomers.filter((m) => states.get(m.id)?.runId === journal.id);
      pending = pending.filter((m) => !newcomers.includes(m));
      if (!settled && joined.length > 0) {
        // Refreshed checkpoints of an earlier attempt of this run are not full collections.
        pending = resolution.mailboxes.filter((m) => !joined.includes(m));
        progress.mailboxesTotal = progress.mailboxesDone + pending.length;
        counts.skipped = 0;
      }
    }
    await pool(pending, collect);
    signal?.throwIfAborted();
    if (progress.errors.length === resolution.mailboxes.length) throwEveryMailboxFailed(progress.errors);
    progress.phase = 'aggregating';
    progress.percent = 90;
    report();
    // Sliced: over thousands of accounts the aggregation takes hundreds of milliseconds, during
    // which the server would answer nothing (issue 14).
    const outcome = await drainAsync(
      resultsFromStateSlices(ctx, directory, states.values(), settled, { reductionKey, membersKey }, settings, input.previousScores),
    );
    results = outcome.results;
    incrementalRun = {
      journal,
      resumed: incremental.resumed,
      ...counts,
      commit: () => commitRun(store, journal, resolution.mailboxes, outcome.settled, inFull),
    };
  } else {
    // The partials are cut into shards as mailboxes finish, and merged a shard at a time: memory
    // stays flat however much mail the tenant holds (engagement/sharded-merge.ts).
    const spill = createSpillStore();
    const total = new ShardedMerge(spill);
    try {
      const onPage = (kind: 'messages' | 'events', items: number): void => {
        if (kind === 'messages') progress.messagesProcessed += items;
        else progress.meetingsProcessed += items;
        report();
      };
      if (options.remote) {
        const addCounts = (c: RemoteCounts): void => {
          for (const k of ['messages', 'events', 'requests', 'throttleWaits'] as const) remoteCounts[k] += c[k];
          progress.messagesProcessed += c.messages;
          progress.meetingsProcessed += c.events;
        };
        const plan: RemotePlan = { ctx, dataset: input.dataset, internalDomains, window: { from, mailTo, calendarTo } };
        await options.remote.collect(
          plan,
          {
            progress: (done) => {
              progress.mailboxesDone = done;
              report();
            },
            partial: (_mailbox, partial, counts) => {
              total.add(partial);
              addCounts(counts);
            },
            failure: (failure, counts) => {
              progress.errors.push(failure);
              addCounts(counts);
            },
          },
          signal,
        );
      } else {
        await pool(resolution.mailboxes, async (mailbox) => {
          total.add((await collectMailboxPartial(source, ctx, directory, mailbox, { from, mailTo, calendarTo }, onPage)).partial);
        });
      }
      signal?.throwIfAborted();
      if (progress.errors.length === resolution.mailboxes.length) throwEveryMailboxFailed(progress.errors);
      progress.phase = 'aggregating';
      progress.percent = 90;
      report();
      results = await drainAsync(total.resultsSlices(ctx, directory, input.previousScores));
    } finally {
      // Also when the run fails or is cancelled: nothing of it stays on disk.
      spill.dispose();
    }
  }

  signal?.throwIfAborted();
  const stats = source.stats();
  const yearRows = results.rows.filter((r) => r.AggregationLevel === 'year');
  return {
    totals: {
      accountsEnriched: results.totals.accountsEnriched,
      totalAccounts: yearRows.length,
      emailsProcessed: results.totals.emailsProcessed,
      meetingsProcessed: results.totals.meetingsProcessed,
      daysCovered: results.totals.daysCovered,
      messagesRead: progress.messagesProcessed,
      eventsRead: progress.meetingsProcessed,
      graphRequests: stats.requests + remoteCounts.requests,
      throttleWaits: stats.throttleWaits + remoteCounts.throttleWaits,
      mailboxes: resolution.mailboxes.length,
      failures: [...progress.errors].sort((a, b) => (a.mailbox < b.mailbox ? -1 : a.mailbox > b.mailbox ? 1 : 0)),
    },
    office: results.rows,
    officeUserTable: resolution.mailboxes.map((m) => ({ ObjectId: m.id })),
    explanations: results.explanations,
    datasetReport,
    resolution,
    ...(incrementalRun ? { incremental: incrementalRun } : {}),
  };
}

function throwEveryMailboxFailed(errors: MailboxFailure[]): never {
  const first = errors[0]!;
  throw new AppError('GRAPH_REQUEST_FAILED', `Every mailbox failed; the first, ${first.mailbox}, with ${first.code}: ${first.message}`, {
    failures: errors,
  });
}

/**
 * One mailbox collected and reduced: its folder scan, its mail, then its calendar. The in-process
 * full run and a distributed worker both use it, so a mailbox reduces the same way in either.
 */
export async function collectMailboxPartial(
  source: ActivitySource,
  ctx: RunContext,
  directory: AccountDirectory,
  mailbox: SelectedMailbox,
  window: RemotePlan['window'],
  onPage?: (kind: 'messages' | 'events', items: number) => void,
): Promise<{ partial: MailboxPartial; messages: number; events: number }> {
  const { excluded } = await source.folderScan(mailbox);
  const reducer = createMailboxReducer(ctx, directory, mailbox, excluded);
  let messages = 0;
  let events = 0;
  for await (const page of source.messagePages(mailbox, window.from, window.mailTo)) {
    reducer.addMessages(page);
    messages += page.length;
    onPage?.('messages', page.length);
  }
  for await (const page of source.eventPages(mailbox, window.from, window.calendarTo)) {
    reducer.addEvents(page);
    events += page.length;
    onPage?.('events', page.length);
  }
  return { partial: reducer.finish(), messages, events };
}

/** A mailbox's failure in words, as the run summary shows it (a remote worker reports the same). */
export function describeFailure(mailbox: SelectedMailbox, e: unknown): MailboxFailure {
  if (isAppError(e)) {
    const graphCode = typeof e.details?.graphCode === 'string' ? e.details.graphCode : undefined;
    if (graphCode === 'ErrorAccessDenied') {
      // Exchange refuses this mailbox to the app: it lies outside the scope an admin set with RBAC
      // for Applications or an application access policy. The rest of the run is unaffected.
      return {
        mailbox: mailbox.mail,
        code: graphCode,
        message: `${mailbox.mail} is outside the mailboxes this app may read (Exchange RBAC for Applications or an application access policy); add it to the scope or remove it from the configuration.`,
      };
    }
    return { mailbox: mailbox.mail, code: graphCode ?? e.code, message: e.message };
  }
  return { mailbox: mailbox.mail, code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
}

/** Previous scores, keyed as `computeResults` expects. */
export function scoresOf(rows: readonly OfficeRow[]): Map<string, number> {
  return new Map(rows.map((r) => [`${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartdate}`, r.EngagementScore]));
}

/** What a source may say about its limits and its pages (GraphActivitySource does). */
interface SourceHints {
  concurrency?(): { global: number; perMailbox: number };
  pageEstimate?(): { pagesRead: number; pagesExpected: number; mailboxesStarted: number; mailboxesFinished: number };
}

/**
 * Mailboxes collected at once, from the source's global cap: each mailbox keeps up to its
 * per-mailbox limit (Graph's 4) in flight, but less while it scans folders, reads its calendar or
 * finishes its last range, so twice cap/4 mailboxes keep the cap busy. At least 8 (the former default).
 */
export function defaultMailboxConcurrency(source: ActivitySource): number {
  const limits = (source as SourceHints).concurrency?.();
  if (!limits) return 8;
  return Math.max(8, Math.ceil((2 * limits.global) / Math.max(1, limits.perMailbox)));
}

/**
 * The collection ETA: pages expected = the estimates of the mailboxes started, plus, for the
 * mailboxes not started yet, the average of those finished; time left = pages left at the rate
 * read so far. Null until a mailbox has finished and a page has been read.
 */
function etaEstimator(source: ActivitySource, now: () => number = Date.now) {
  let started: number | undefined;
  return (mailboxesTotal: number): Pick<RunProgress, 'pagesRead' | 'pagesExpected' | 'etaSeconds'> => {
    const e = (source as SourceHints).pageEstimate?.();
    if (!e) return {};
    started ??= now(); // the rate counts from the start of collection
    const perMailbox = e.mailboxesFinished > 0 ? e.pagesExpected / Math.max(1, e.mailboxesStarted) : null;
    const expected = perMailbox === null ? null : Math.round(e.pagesExpected + Math.max(0, mailboxesTotal - e.mailboxesStarted) * perMailbox);
    const elapsed = (now() - started) / 1000;
    const etaSeconds = expected === null || e.pagesRead === 0 || elapsed <= 0 ? null : Math.max(0, Math.round(((expected - e.pagesRead) * elapsed) / e.pagesRead));
    return { pagesRead: e.pagesRead, pagesExpected: expected, etaSeconds };
  };
}
