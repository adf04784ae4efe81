/**
 * Runs: one at a time, started by an admin ("Run now") or by the scheduler. A run reads one
 * configuration version, streams its progress to subscribers, and commits its result set in
 * one write; until then the previous result set stays in place. History keeps the summaries.
 */
import { randomUUID } from 'node:crypto';
import type { CustomerDataset } from '../engagement/types';
import type { TenantGateway } from '../enrichment/ports';
import { initialProgress, runEnrichment, type RunProgress as EngineProgress } from '../enrichment/run-enrichment';
import { AppError, isAppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import { storedScores, type ResultsStore } from '../store/results-store';
import type { RunStateStore } from '../enrichment/run-state';
import type { Clock } from './clock';
import type { ConfigService } from './config-service';
import type { ConsentService } from './consent-service';
import type { DatasetService } from './dataset-service';
import type { Identity } from './identity';
import { Listeners } from './listeners';
import type { Logger } from './logger';
import type { MailboxFailure, RunEvent, RunProgress, RunSummary, RunTrigger } from './run-types';
import type { AppState, ConfigVersion, ResultSet } from './state';

/** The enrichment job, injectable so tests can hold a run open or make it fail. */
export type Enricher = typeof runEnrichment;

export interface RunServiceDeps {
  state: DocumentStore<AppState>;
  results: ResultsStore;
  config: ConfigService;
  consent: ConsentService;
  datasets: DatasetService;
  gateway: TenantGateway;
  clock: Clock;
  logger: Logger;
  /** @default runEnrichment */
  enrich?: Enricher;
  /** @default `run_${uuid}` */
  newId?: () => string;
  /**
   * Persisted per-mailbox state (<DATA_DIR>/runs): runs refresh incrementally, checkpoint every
   * mailbox, and a run interrupted by a stopped process resumes at the next start. Without it,
   * every run is a full run in memory. A healing store (FileRunStateStore `onDamaged: 'heal'`)
   * moves damaged files aside; the run lists each repair in its `warnings`.
   */
  runState?: RunStateStore;
}

const MAX_HISTORY = 100;
/** Unchanged-looking progress is still sent this often, so counters keep moving in the pane. */
const PROGRESS_INTERVAL_MS = 1000;
/** How long `cancel` waits for the run to wind down before answering with it still running. */
const CANCEL_WAIT_MS = 5000;

interface ActiveRun {
  summary: RunSummary;
  listeners: Set<(event: RunEvent) => void>;
  lastSentAt: number;
  lastKey: string;
  /** Aborted by `cancel`; the enrichment stops at its next Graph call or page. */
  controller: AbortController;
  /** Set once the results are being committed: from then on the run can no longer be cancelled. */
  committing: boolean;
  /** Set by `suspend`: the abort is a shutdown, and the run stays `running` to resume at the next start. */
  suspending: boolean;
  /** Settles when the run has ended and its summary is stored. */
  ended: Promise<void>;
}

function newActive(summary: RunSummary): ActiveRun {
  return { summary, listeners: new Set(), lastSentAt: 0, lastKey: '', controller: new AbortController(), committing: false, suspending: false, ended: Promise.resolve() };
}

export class RunService {
  private active: ActiveRun | null = null;
  private starting = false;
  private idle: Promise<void> = Promise.resolve();
  /** Set by `suspend`: the process is stopping and starts no run. */
  private closed = false;
  private readonly finished = new Listeners<RunSummary>();

  constructor(private readonly deps: RunServiceDeps) {}

  /**
   * Called after every run ends succeeded, partial or failed, scheduled runs included; the bot
   * notifier hooks in here. A cancelled run changed nothing and is not announced. Returns the
   * function that removes the listener.
   */
  onRunFinished(listener: (summary: RunSummary) => void | Promise<void>): () => void {
    return this.finished.add(listener);
  }

  isRunning(): boolean {
    return this.active !== null || this.starting;
  }

  /** Resolves when no run is in progress (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /**
   * Starts a run and returns its first summary at once; the run goes on in the background.
   * Throws RUN_IN_PROGRESS, NOT_CONFIGURED or CONSENT_REQUIRED before anything is written.
   */
  async start(trigger: RunTrigger, by: Identity | null = null, options: { full?: boolean } = {}): Promise<RunSummary> {
    // Checked and claimed synchronously, so two concurrent calls cannot both get through.
    if (this.closed) throw new AppError('SHUTTING_DOWN');
    if (this.active || this.starting) {
      throw new AppError('RUN_IN_PROGRESS', 'A run is already in progress; follow its progress, or try again when it has finished.', {
        runId: this.active?.summary.id ?? null,
      });
    }
    this.starting = true;
    let version: ConfigVersion;
    let dataset: CustomerDataset;
    let active: ActiveRun;
    try {
      const current = await this.deps.config.current();
      if (!current) throw new AppError('NOT_CONFIGURED');
      version = current;
      await this.deps.consent.assertReady();
      ({ dataset } = await this.deps.datasets.customerDataset(version.config.contacts, version.config.accounts));
      const id = this.deps.newId?.() ?? `run_${randomUUID()}`;
      const startedAt = this.deps.clock.now().toISOString();
      const summary: RunSummary = {
        id,
        trigger,
        status: 'running',
        startedAt,
        finishedAt: null,
        configVersion: version.version,
        accountsEnriched: 0,
        emailsProcessed: 0,
        meetingsProcessed: 0,
        daysCovered: 0,
        graphRequests: 0,
        failures: [],
        progress: { ...initialProgress('queued'), runId: id, startedAt, updatedAt: startedAt },
        startedBy: by?.name ?? null,
        error: null,
        warnings: [],
      };
      // Suspended meanwhile (the awaits above): nothing is written, so nothing is left half-started.
      if (this.closed) throw new AppError('SHUTTING_DOWN');
      await this.deps.state.update((state) => {
        state.runs.push(summary);
        if (state.runs.length > MAX_HISTORY) state.runs.splice(0, state.runs.length - MAX_HISTORY);
      });
      active = newActive(summary);
      this.active = active;
    } finally {
      this.starting = false;
    }
    this.deps.logger.info('run started', { runId: active.summary.id, trigger, configVersion: version.version, full: options.full === true });
    this.launch(active, version, dataset, options.full === true);
    return structuredClone(active.summary);
  }

  /**
   * Cancels the running run `id`: its enrichment stops at its next Graph call or page, nothing
   * is committed, and it ends `cancelled` with the previous results still current. Resolves with
   * its summary once it has ended (or, if it takes longer than a few seconds, as it is then).
   * Throws NOT_FOUND for an unknown run and RUN_NOT_RUNNING for one that has ended or is already
   * committing its results.
   */
  async cancel(id: string, by: Identity | null = null): Promise<RunSummary> {
    const active = this.active;
    if (!active || active.summary.id !== id) {
      const run = await this.get(id);
      throw new AppError('RUN_NOT_RUNNING', notRunningMessage(run), { runId: id, status: run.status });
    }
    if (active.committing) {
      throw new AppError('RUN_NOT_RUNNING', 'This run has finished collecting and is saving its results; it can no longer be cancelled and ends in a moment.', {
        runId: id,
        status: 'running',
      });
    }
    if (!active.controller.signal.aborted) {
      active.summary.cancelledBy = by?.name ?? null;
      this.deps.logger.info('run cancel requested', { runId: id, by: by?.id ?? null });
      active.controller.abort();
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([active.ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
    clearTimeout(timer);
    return this.get(id);
  }

  /**
   * Graceful shutdown (SIGTERM): no run starts from now on, and the running run stops at its next
   * Graph call or page without ending. It stays `running` with its journal open: every mailbox
   * checkpointed so far is kept, and `recoverInterrupted` resumes it at the next start with the
   * same run time, so its results equal an uninterrupted run's. A run already committing its
   * results is left to finish (a short write). Resolves once the run has stopped (`suspended`),
   * finished (`finished`), or after `timeoutMs` with it still going (`timeout`); `idle` when none ran.
   */
  async suspend(timeoutMs = 20_000): Promise<'idle' | 'suspended' | 'finished' | 'timeout'> {
    this.closed = true;
    const active = this.active;
    if (!active) return 'idle';
    if (!active.committing && !active.controller.signal.aborted) {
      active.suspending = true;
      // Without run state (demo mode) there is nothing to resume from: the next start runs again.
      this.deps.logger.info(this.deps.runState ? 'run suspended for shutdown; it resumes at the next start' : 'run stopped for shutdown; the next start runs again', { runId: active.summary.id });
      active.controller.abort(new AppError('SHUTTING_DOWN'));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      active.ended.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
        timer.unref?.();
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) return 'timeout';
    return active.suspending ? 'suspended' : 'finished';
  }

  /**
   * Which run's results every view reads; it changes only when a run commits. The tab polls it
   * (GET /api/runs?limit=1) to refresh open views after a run, whoever started it.
   */
  async currentResults(): Promise<{ runId: string; finishedAt: string } | null> {
    const stored = await this.deps.results.current();
    return stored ? { runId: stored.header.runId, finishedAt: stored.header.finishedAt } : null;
  }

  private launch(active: ActiveRun, version: ConfigVersion, dataset: CustomerDataset, full: boolean): void {
    const ended = this.execute(active, version, dataset, full).catch((e: unknown) => {
      this.deps.logger.error('run bookkeeping failed', { runId: active.summary.id, error: (e as Error).message });
    });
    active.ended = ended;
    this.idle = ended;
  }

  /** Newest first; `limit` keeps only the newest ones. */
  async list(limit?: number): Promise<RunSummary[]> {
    const state = await this.deps.state.read();
    const runs = limit === undefined ? state.runs : state.runs.slice(-limit);
    return runs.map((r) => this.live(r)).reverse();
  }

  async get(id: string): Promise<RunSummary> {
    const state = await this.deps.state.read();
    const run = state.runs.find((r) => r.id === id);
    if (!run) throw new AppError('NOT_FOUND', `There is no run "${id}".`, { runId: id });
    return this.live(run);
  }

  /**
   * Subscribes to a run's events. Returns the current summary; for a run in progress the
   * listener then receives every later event, ending with `done` or `failed`. For a run that
   * has ended, `unsubscribe` is null and no event follows.
   */
  async subscribe(id: string, listener: (event: RunEvent) => void): Promise<{ summary: RunSummary; unsubscribe: (() => void) | null }> {
    const summary = await this.get(id);
    // No await between reading the live state and adding the listener: no event can slip in between.
    const active = this.active;
    if (active && active.summary.id === id) {
      active.listeners.add(listener);
      return { summary: structuredClone(active.summary), unsubscribe: () => active.listeners.delete(listener) };
    }
    return { summary, unsubscribe: null };
  }

  /**
   * Runs left `running` by a stopped process: the latest one is resumed from its checkpoints when
   * the run state holds its journal (same run time T, same configuration version still current);
   * the others are marked failed. Call once at start. Returns how many were marked failed.
   */
  async recoverInterrupted(): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    const activeId = this.active?.summary.id;
    const resumable = await this.resumableRun();
    const n = await this.deps.state.update((state) => {
      let failed = 0;
      for (const run of state.runs) {
        if (run.status !== 'running' || run.id === activeId || run.id === resumable?.summary.id) continue;
        run.status = 'failed';
        run.finishedAt = now;
        run.progress = { ...run.progress, phase: 'failed', updatedAt: now };
        run.error = { code: 'INTERNAL', message: 'The service stopped while this run was in progress.' };
        failed += 1;
      }
      return failed;
    });
    if (resumable && !this.active && !this.starting) {
      const { summary, version, full } = resumable;
      const { dataset } = await this.deps.datasets.customerDataset(version.config.contacts, version.config.accounts);
      const active = newActive(summary);
      this.active = active;
      this.deps.logger.info('run resumed from checkpoints', { runId: summary.id, configVersion: version.version, full });
      this.launch(active, version, dataset, full);
    }
    return n;
  }

  private async resumableRun(): Promise<{ summary: RunSummary; version: ConfigVersion; full: boolean } | null> {
    const journal = this.deps.runState ? (await this.deps.runState.root()).active : null;
    if (!journal) return null;
    const state = await this.deps.state.read();
    const orphan = [...state.runs].reverse().find((r) => r.status === 'running' && Date.parse(r.startedAt) === journal.now);
    const version = await this.deps.config.current();
    if (!orphan || !version || version.version !== orphan.configVersion) return null;
    return { summary: structuredClone(orphan), version, full: journal.full };
  }

  private live(run: RunSummary): RunSummary {
    return structuredClone(this.active?.summary.id === run.id ? this.active.summary : run);
  }

  private async execute(active: ActiveRun, version: ConfigVersion, dataset: CustomerDataset, full = false): Promise<void> {
    const { summary } = active;
    const enrich = this.deps.enrich ?? runEnrichment;
    let event: RunEvent;
    try {
      // A run resumed after it committed its results compares with the run before it, as it did.
      const stored = await this.deps.results.current();
      const committedBefore = stored?.header.runId === summary.id;
      const previousScores = !stored ? null : committedBefore ? ((await stored.previousScores()) ?? new Map<string, number>()) : await storedScores(stored);
      const outcome = await enrich(
        this.deps.gateway.newSource(),
        {
          orgEntries: version.config.orgEntries,
          dataset,
          rules: version.config.rules,
          now: new Date(summary.startedAt),
          ...(previousScores ? { previousScores } : {}),
        },
        {
          onProgress: (p) => this.progress(active, p),
          signal: active.controller.signal,
          ...(this.deps.runState ? { incremental: { state: this.deps.runState, full } } : {}),
        },
      );
      // A cancel that came while the last mailbox or the aggregation finished still wins: nothing is committed.
      active.controller.signal.throwIfAborted();
      active.committing = true;
      this.progress(active, { ...summaryProgressOf(active), phase: 'saving', percent: 95 }, true);
      const finishedAt = this.deps.clock.now().toISOString();
      const resultSet: ResultSet = {
        runId: summary.id,
        configVersion: version.version,
        finishedAt,
        totals: {
          accountsEnriched: outcome.totals.accountsEnriched,
          totalAccounts: outcome.totals.totalAccounts,
          emailsProcessed: outcome.totals.emailsProcessed,
          meetingsProcessed: outcome.totals.meetingsProcessed,
          daysCovered: outcome.totals.daysCovered,
        },
        office: outcome.office,
        officeUserTable: outcome.officeUserTable,
        explanations: outcome.explanations,
      };
      // The one commit that makes the new result set visible.
      await this.deps.results.commit(resultSet, previousScores);
      // Only now may the run's journal close: a crash before this line resumes the run.
      await outcome.incremental?.commit();
      Object.assign(summary, {
        status: outcome.totals.failures.length > 0 ? 'partial' : 'succeeded',
        finishedAt,
        accountsEnriched: outcome.totals.accountsEnriched,
        emailsProcessed: outcome.totals.emailsProcessed,
        meetingsProcessed: outcome.totals.meetingsProcessed,
        daysCovered: outcome.totals.daysCovered,
        graphRequests: outcome.totals.graphRequests,
        failures: safeFailures(outcome.totals.failures, this.deps.logger, summary.id),
      } satisfies Partial<RunSummary>);
      summary.progress = { ...summary.progress, phase: 'done', percent: 100, graphRequests: outcome.totals.graphRequests, errors: summary.failures, updatedAt: finishedAt };
      event = { type: 'done', data: summary };
    } catch (e) {
      if (active.suspending && !active.committing) return await this.park(active);
      const finishedAt = this.deps.clock.now().toISOString();
      if (active.controller.signal.aborted && !active.committing) {
        // Cancelled: the previous result set stays current. Mailboxes checkpointed so far keep
        // their checkpoints and the journal stays open, as after any run that did not commit;
        // the next run (a new T) opens its own and refreshes from them (docs/incremental.md).
        summary.status = 'cancelled';
        summary.finishedAt = finishedAt;
        summary.cancelledBy ??= null;
        summary.failures = safeFailures(summary.progress.errors, this.deps.logger, summary.id);
        summary.progress = { ...summary.progress, phase: 'cancelled', updatedAt: finishedAt };
        this.deps.logger.info('run cancelled', { runId: summary.id, mailboxesDone: summary.progress.mailboxesDone, mailboxesTotal: summary.progress.mailboxesTotal });
        event = { type: 'cancelled', data: summary };
        return await this.end(active, event);
      }
      summary.status = 'failed';
      summary.finishedAt = finishedAt;
      summary.error = isAppError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'The run stopped on an unexpected error; see the service log.' };
      if (isAppError(e) && Array.isArray(e.details?.failures)) summary.failures = safeFailures(e.details.failures as RunSummary['failures'], this.deps.logger, summary.id);
      summary.progress = { ...summary.progress, phase: 'failed', updatedAt: finishedAt };
      this.deps.logger.error('run failed', { runId: summary.id, error: (e as Error).message, code: isAppError(e) ? e.code : undefined });
      event = { type: 'failed', data: summary };
    }
    await this.end(active, event);
  }

  /**
   * A run stopped by `suspend`: its summary is stored still `running` with its latest progress,
   * so the next start finds it and resumes it from the journal. Subscribers get no final event
   * (the stream ends with the process) and the finished listeners are not told: it has not finished.
   */
  private async park(active: ActiveRun): Promise<void> {
    const summary = structuredClone(active.summary);
    summary.progress = { ...summary.progress, updatedAt: this.deps.clock.now().toISOString() };
    try {
      await this.deps.state.update((state) => {
        const index = state.runs.findIndex((r) => r.id === summary.id);
        if (index >= 0) state.runs[index] = summary;
      });
    } finally {
      this.active = null;
      active.listeners.clear();
      this.deps.logger.info('run suspended', { runId: summary.id, mailboxesDone: summary.progress.mailboxesDone, mailboxesTotal: summary.progress.mailboxesTotal });
    }
  }

  /** Stores the final summary, frees the slot, and tells the run's subscribers and the finished listeners. */
  private async end(active: ActiveRun, event: RunEvent): Promise<void> {
    const { summary } = active;
    this.noteRepairs(summary);
    try {
      await this.deps.state.update((state) => {
        const index = state.runs.findIndex((r) => r.id === summary.id);
        if (index >= 0) state.runs[index] = structuredClone(summary);
        else state.runs.push(structuredClone(summary));
      });
    } finally {
      this.active = null;
      const final = structuredClone(summary);
      for (const listener of active.listeners) safely(() => listener({ type: event.type, data: final } as RunEvent), this.deps.logger);
      active.listeners.clear();
      this.deps.logger.info('run finished', { runId: summary.id, status: summary.status });
      if (summary.status !== 'cancelled') await this.finished.emit(final, (e) => this.deps.logger.error('run-finished listener failed', { error: (e as Error).message }));
    }
  }

  /** Damaged run-state files the run moved aside: listed in its warnings and logged. */
  private noteRepairs(summary: RunSummary): void {
    for (const repair of this.deps.runState?.takeRepairs() ?? []) {
      summary.warnings.push(repair.message);
      this.deps.logger.warn('a damaged run-state file was moved aside', { runId: summary.id, file: repair.file, movedTo: repair.movedTo, reason: repair.reason });
    }
  }

  /** Updates the live progress and tells subscribers, skipping repeats of an unchanged state. */
  private progress(active: ActiveRun, p: EngineProgress, force = false): void {
    const now = this.deps.clock.now();
    const progress: RunProgress = { ...active.summary.progress, ...p, errors: p.errors.map(safeFailure), runId: active.summary.id, updatedAt: now.toISOString() };
    active.summary.progress = progress;
    active.summary.graphRequests = p.graphRequests;
    const key = `${p.phase}|${p.percent}|${p.mailboxesDone}|${p.errors.length}`;
    const due = now.getTime() - active.lastSentAt >= PROGRESS_INTERVAL_MS;
    if (!force && key === active.lastKey && !due) return;
    active.lastKey = key;
    active.lastSentAt = now.getTime();
    const event: RunEvent = { type: 'progress', data: structuredClone(progress) };
    for (const listener of active.listeners) safely(() => listener(event), this.deps.logger);
  }
}

/** The "not running" words for a run that has ended: what it did and when. */
function notRunningMessage(run: RunSummary): string {
  const when = run.finishedAt ? ` at ${run.finishedAt}` : '';
  switch (run.status) {
    case 'running':
      return `Run ${run.id} is no longer running in this service; it is marked failed when the service restarts.`;
    case 'succeeded':
    case 'partial':
      return `Run ${run.id} already finished${when}; its results are current. There is nothing to cancel.`;
    case 'failed':
      return `Run ${run.id} already failed${when}. There is nothing to cancel.`;
    case 'cancelled':
      return `Run ${run.id} was already cancelled${when}.`;
  }
}

/**
 * A failure as the summary keeps it: a code and words from Graph or the network. A failure
 * Rapport did not classify (INTERNAL) could carry text from anywhere, e.g. a parser quoting a
 * value it read; it is logged, and the summary keeps generic words (DESIGN §8: no mail content).
 */
function safeFailure(failure: MailboxFailure): MailboxFailure {
  if (failure.code !== 'INTERNAL') return { mailbox: failure.mailbox, code: failure.code, message: failure.message };
  return { mailbox: failure.mailbox, code: failure.code, message: 'Rapport could not process this mailbox; the service log has the details.' };
}

function safeFailures(failures: readonly MailboxFailure[], logger: Logger, runId: string): MailboxFailure[] {
  for (const f of failures) if (f.code === 'INTERNAL') logger.warn('a mailbox failed on an unexpected error', { runId, mailbox: f.mailbox, error: f.message });
  return failures.map(safeFailure);
}

function summaryProgressOf(active: ActiveRun): EngineProgress {
  const { runId: _runId, startedAt: _startedAt, updatedAt: _updatedAt, ...rest } = active.summary.progress;
  return rest;
}

function safely(task: () => void, logger: Logger): void {
  try {
    task();
  } catch (e) {
    logger.warn('run event listener failed', { error: (e as Error).message });
  }
}
