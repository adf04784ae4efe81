/**
 * One enrichment run: resolve the mailboxes, collect each one into a partial aggregate,
 * merge the partials, score, and return the `Office` rows. Mailboxes are independent tasks
 * run by a small worker pool; one mailbox's failure is recorded and never stops the others.
 */
import {
  DAY_MS,
  windowStartOf,
  buildAccountDirectory,
  computeResultsSlices,
  createMailboxReducer,
  emptyPartial,
  mergeInto,
  type DatasetReport,
  type EngagementResults,
  type MailboxPartial,
  type ScoreExplanation,
} from '../engagement';
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
import type { ActivitySource, MailboxResolution } from './ports';
import type { MailboxState } from './run-state';

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

export async function runEnrichment(graphSource: ActivitySource, input: EnrichmentInput, options: EnrichmentOptions = {}): Promise<EnrichmentOutcome> {
  const { signal } = options;
  signal?.throwIfAborted();
  const source = signal ? abortableSource(graphSource, signal) : graphSource;
  const progress = initialProgress('resolving');
  const report = (): void => {
    const stats = source.stats();
    progress.graphRequests = stats.requests;
    progress.throttleWaits = stats.throttleWaits;
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

  const mailboxConcurrency = Math.max(1, options.mailboxConcurrency ?? 8);
  /** Collects mailboxes side by side; one mailbox's failure is recorded and never stops the others. */
  const pool = async (items: SelectedMailbox[], task: (mailbox: SelectedMailbox) => Promise<void>): Promise<void> => {
    await mapBounded(items, mailboxConcurrency, async (mailbox) => {
      try {
        await task(mailbox);
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
    const total = emptyPartial();
    const collectOne = async (mailbox: SelectedMailbox): Promise<MailboxPartial> => {
      const { excluded } = await source.folderScan(mailbox);
      const reducer = createMailboxReducer(ctx, directory, mailbox, excluded);
      for await (const page of source.messagePages(mailbox, from, mailTo)) {
        reducer.addMessages(page);
        progress.messagesProcessed += page.length;
        report();
      }
      for await (const page of source.eventPages(mailbox, from, calendarTo)) {
        reducer.addEvents(page);
        progress.meetingsProcessed += page.length;
        report();
      }
      return reducer.finish();
    };
    await pool(resolution.mailboxes, async (mailbox) => {
      mergeInto(total, await collectOne(mailbox));
    });
    signal?.throwIfAborted();
    if (progress.errors.length === resolution.mailboxes.length) throwEveryMailboxFailed(progress.errors);
    progress.phase = 'aggregating';
    progress.percent = 90;
    report();
    results = await drainAsync(computeResultsSlices(ctx, directory, total, input.previousScores));
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
      graphRequests: stats.requests,
      throttleWaits: stats.throttleWaits,
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

function describeFailure(mailbox: SelectedMailbox, e: unknown): MailboxFailure {
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
