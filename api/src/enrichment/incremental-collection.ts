/**
 * Collection with persisted state (docs/incremental.md): each mailbox is either skipped (this
 * run already checkpointed it), refreshed (mail from its high-water mark minus an overlap, the
 * calendar from 30 days before its last collection), or collected in full (no usable state).
 * Each mailbox's new state is written atomically as soon as it is done: that is the checkpoint.
 * At the end, what every mailbox has read for good settles into day cells (resultsFromState).
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  DAY_MS,
  startOfUtcDay,
  windowStartOf,
  accumulateCellsSlices,
  addSliceThreads,
  drain,
  createSlicedMailboxReducer,
  dropMeetingsOutside,
  emptyCellSet,
  emptyPartial,
  finalizeResultsSlices,
  mergeColumnsSlices,
  emptyColumns,
  emptyThreads,
  toColumnsSlices,
  CellTables,
  mergeInto,
  settleThreads,
  timelineLookup,
  type AccountDirectory,
  type EngagementResults,
  type MailboxPartial,
  type RecentThreads,
  type Slices,
} from '../engagement';
import type { CustomerDataset, EngagementRules, RunContext, SelectedMailbox } from '../engagement/types';
import type { ActivitySource } from './ports';
import { memberSetKey, type MailboxState, type RootState, type RunJournal, type RunStateStore, type SettledState } from './run-state';


export interface IncrementalSettings {
  state: RunStateStore;
  /** Ignore every stored mailbox state and collect the whole window again. */
  full?: boolean;
  /** Mail is re-read from the start of the UTC day of the high-water mark minus this. @default 1 hour */
  overlapMs?: number;
  /** The calendar is re-read from this long before the mailbox's previous collection. @default 30 days */
  calendarRereadMs?: number;
  /**
   * Every copy of an email is received within this long after its sentDateTime: emails sent this
   * long before every mailbox's last collection settle. @default 3 days
   */
  settleLagMs?: number;
}

export interface IncrementalRun {
  journal: RunJournal;
  resumed: boolean;
  /** Mailboxes this run did not have to read again (checkpointed before an interruption). */
  skipped: number;
  /** Mailboxes refreshed from their state / collected in full. */
  refreshed: number;
  collectedInFull: number;
}

/**
 * Bumped whenever what a copy reduces to changes (what counts as an email, which meeting copy
 * is believed): state reduced under other rules is then read again in full, never mixed in.
 * 2: meeting messages, Teams chats and hidden folders are not email; responses per copy.
 * 3: ids are hashed with SHAKE256 (engagement/hashing.ts), so every stored key changed.
 */
export const COUNTING_RULES_VERSION = 3;

/** Fingerprint of everything a stored reduction depends on, besides S. */
export function reductionKeyOf(dataset: CustomerDataset, rules: EngagementRules, verifiedDomains: readonly string[]): string {
  const material = JSON.stringify({
    countingRules: COUNTING_RULES_VERSION,
    dataset,
    extraInternalDomains: [...rules.extraInternalDomains].sort(),
    exclusions: [...rules.exclusions].sort(),
    verifiedDomains: [...verifiedDomains].sort(),
  });
  return createHash('sha256').update(material).digest('base64url').slice(0, 22);
}

/** The interrupted run a new run at T resumes, if any: same T, and full if a full run is asked for. */
export function resumableJournal(root: RootState, now: number, full: boolean): RunJournal | null {
  const active = root.active;
  return active && active.now === now && (active.full || !full) ? active : null;
}

/** Opens (or resumes) the run journal for T. A run is resumed when one for the same T was interrupted. */
export async function beginRun(settings: IncrementalSettings, now: number, startedAt: Date): Promise<{ journal: RunJournal; resumed: boolean; salt: string }> {
  const root = await settings.state.root();
  const active = resumableJournal(root, now, settings.full === true);
  if (active) return { journal: active, resumed: true, salt: root.salt };
  const journal: RunJournal = { id: `run_${randomUUID()}`, now, full: settings.full === true, startedAt: startedAt.toISOString() };
  await settings.state.updateRoot((draft) => {
    draft.active = journal;
  });
  return { journal, resumed: false, salt: root.salt };
}

/**
 * After the caller committed the results: what settled is written, the mailboxes collected in
 * full drop what settled, the journal closes, and states of mailboxes left out of S go.
 */
export async function commitRun(
  state: RunStateStore,
  journal: RunJournal,
  mailboxes: readonly SelectedMailbox[],
  settled: SettledState,
  collectedInFull: readonly MailboxState[],
): Promise<void> {
  await state.saveSettled(settled);
  for (const mailbox of collectedInFull) await state.saveMailbox(dropSettled(mailbox, settled));
  const inS = new Set(mailboxes.map((m) => m.id));
  await state.updateRoot((draft) => {
    if (draft.active?.id === journal.id) draft.active = null;
    draft.lastCommitted = { id: journal.id, now: journal.now };
  });
  for (const id of await state.storedMailboxIds()) if (!inS.has(id)) await state.removeMailbox(id);
}

/** A mailbox state without the days and meetings that settled. */
function dropSettled(mailbox: MailboxState, settled: SettledState): MailboxState {
  const days = new Map([...mailbox.days].filter(([day]) => day >= settled.emailBoundary));
  return { ...mailbox, days, meetings: dropMeetingsOutside(mailbox.meetings, settled.meetingBoundary, null) };
}

export interface CollectHooks {
  onMessages(n: number): void;
  onEvents(n: number): void;
}

export interface MailboxTask {
  mailbox: SelectedMailbox;
  /** The state after this run: fresh, reused unchanged, or the previous one when collection failed. */
  result: MailboxState | null;
}

/**
 * Collects one mailbox against its stored state. `previous` must already be checked usable
 * (isReusable, and the run has settled state) or be null.
 */
export async function collectMailbox(
  source: ActivitySource,
  ctx: RunContext,
  directory: AccountDirectory,
  mailbox: SelectedMailbox,
  previous: MailboxState | null,
  run: { journal: RunJournal; reductionKey: string; membersKey: string; settled: SettledState | null },
  settings: IncrementalSettings,
  hooks: CollectHooks,
): Promise<MailboxState> {
  const now = ctx.now;
  const windowStart = windowStartOf(now);
  const overlap = settings.overlapMs ?? DAY_MS / 24;
  const calendarReread = settings.calendarRereadMs ?? 30 * DAY_MS;

  let mailFrom = windowStart;
  let calendarFrom = windowStart;
  let excluded: Set<string>;
  const known = new Set<string>();
  if (previous) {
    const mark = previous.mark ?? previous.collectedFor;
    mailFrom = Math.max(windowStart, startOfUtcDay(mark - overlap));
    calendarFrom = Math.max(windowStart, previous.collectedFor - calendarReread);
    excluded = new Set(previous.excludedFolders);
    for (const id of previous.knownFolders) known.add(id);
  } else {
    const scan = await source.folderScan(mailbox);
    excluded = scan.excluded;
    for (const id of scan.all) known.add(id);
  }

  // Folders just read are current: every folder id seen while reading is known under them.
  let foldersCurrent = previous === null;
  const reducer = createSlicedMailboxReducer(ctx, directory, mailbox, excluded);
  for await (const page of source.messagePages(mailbox, new Date(mailFrom), new Date(now + DAY_MS))) {
    // A folder never seen before may be a new subfolder of Junk Email: read the folders again
    // before this page is reduced (the reducer holds `excluded` by reference).
    if (!foldersCurrent && page.some((m) => m.parentFolderId && !known.has(m.parentFolderId))) {
      const scan = await source.folderScan(mailbox);
      for (const id of scan.excluded) excluded.add(id);
      for (const id of scan.all) known.add(id);
      foldersCurrent = true;
    }
    for (const m of page) if (m.parentFolderId) known.add(m.parentFolderId);
    reducer.addMessages(page);
    hooks.onMessages(page.length);
  }
  for await (const page of source.eventPages(mailbox, new Date(calendarFrom), new Date(now + 90 * DAY_MS))) {
    reducer.addEvents(page);
    hooks.onEvents(page.length);
  }
  const fresh = reducer.finish();

  const days = new Map<number, MailboxPartial>();
  let meetings = fresh.meetings;
  let mark = fresh.maxReceived;
  if (previous) {
    // Kept: days before the re-read start and meetings before the calendar re-read start, in W
    // and not settled.
    const keepMail = Math.max(windowStart, run.settled?.emailBoundary ?? -Infinity);
    const keepMeetings = Math.max(windowStart, run.settled?.meetingBoundary ?? -Infinity);
    for (const [day, partial] of previous.days) if (day >= keepMail && day < mailFrom) days.set(day, partial);
    meetings = dropMeetingsOutside(previous.meetings, keepMeetings, calendarFrom);
    mergeInto(meetings, fresh.meetings);
    if (previous.mark !== null && (mark === null || previous.mark > mark)) mark = previous.mark;
  }
  for (const [day, partial] of fresh.days) days.set(day, partial);

  return {
    id: mailbox.id,
    mail: mailbox.mail,
    runId: run.journal.id,
    collectedFor: now,
    reductionKey: run.reductionKey,
    membersKey: run.membersKey,
    mark,
    excludedFolders: [...excluded].sort(),
    knownFolders: [...known].sort(),
    days,
    meetings,
  };
}

/** Whether a stored mailbox state can be refreshed for this run rather than collected again in full. */
export function isReusable(state: MailboxState, now: number, reductionKey: string, membersKey: string): boolean {
  return state.reductionKey === reductionKey && state.membersKey === membersKey && state.collectedFor <= now;
}

/**
 * Whether what settled can be built on: reduced the same way, under the same S (a mailbox added
 * to S may be a recipient on settled copies; one removed may be the only holder of settled
 * emails), and not written by a later run.
 */
export function isSettledUsable(settled: SettledState, now: number, reductionKey: string, membersKey: string): boolean {
  return settled.reductionKey === reductionKey && settled.membersKey === membersKey && settled.now <= now;
}

export function membersKeyOf(mailboxes: readonly SelectedMailbox[]): string {
  return memberSetKey(mailboxes.map((m) => m.id));
}

/**
 * The run's results from the settled cells and the mailbox states, and what settles now.
 *
 * Emails sent before the new email boundary settle: every copy of them was received (settleLag)
 * before the latest collection of every contributing mailbox. Meetings starting before the new
 * meeting boundary settle: they no longer change 30 days after their start, and every calendar
 * was re-read from then. Their day cells join the settled ones; the rest is counted from the
 * recent entries. Both sets are disjoint, so the results equal a full recompute's.
 */
export function resultsFromState(...args: Parameters<typeof resultsFromStateSlices>): { results: EngagementResults; settled: SettledState } {
  return drain(resultsFromStateSlices(...args));
}

/**
 * `resultsFromState` in bounded slices (engagement/work-slices.ts): the API's run path drains
 * it between turns of the event loop (drain-async.ts); over thousands of accounts it takes
 * hundreds of milliseconds.
 */
export function* resultsFromStateSlices(
  ctx: RunContext,
  directory: AccountDirectory,
  states: Iterable<MailboxState>,
  previous: SettledState | null,
  keys: { reductionKey: string; membersKey: string },
  settings: IncrementalSettings,
  previousScores?: ReadonlyMap<string, number>,
): Slices<{ results: EngagementResults; settled: SettledState }> {
  const now = ctx.now;
  const windowStart = windowStartOf(now);
  const emailsFrom = previous?.emailBoundary ?? -Infinity;
  const meetingsFrom = previous?.meetingBoundary ?? -Infinity;
  const recentMail = Math.max(windowStart, emailsFrom);
  const recentMeetings = Math.max(windowStart, meetingsFrom);

  const partial = emptyPartial();
  const recentThreads: RecentThreads = new Map();
  const collectedFor = new Map<string, number>();
  for (const state of states) {
    collectedFor.set(state.id, state.collectedFor);
    for (const [day, slice] of state.days) {
      if (day < recentMail) continue;
      mergeInto(partial, slice);
      addSliceThreads(recentThreads, slice, day);
      yield;
    }
    mergeInto(partial, dropMeetingsOutside(state.meetings, recentMeetings, null));
    yield;
  }

  const contributors = new Set([...(previous?.contributors ?? []), ...collectedFor.keys()]);
  const boundary = (lag: number, from: number): number => {
    let min = Infinity;
    for (const id of contributors) min = Math.min(min, collectedFor.has(id) ? startOfUtcDay(collectedFor.get(id)! - lag) : from);
    return Math.max(from, min === Infinity ? from : min);
  };
  const emailBoundary = boundary(settings.settleLagMs ?? 3 * DAY_MS, emailsFrom);
  const meetingBoundary = boundary(settings.calendarRereadMs ?? 30 * DAY_MS, meetingsFrom);

  const settledThreads = previous?.threads ?? emptyThreads();
  const timelines = timelineLookup(settledThreads, recentThreads);
  const settling = yield* accumulateCellsSlices(emptyCellSet(), ctx, directory, partial, {
    timelines,
    emails: (e) => e.t >= emailsFrom && e.t < emailBoundary,
    meetings: (m) => m.st >= meetingsFrom && m.st < meetingBoundary,
  });
  const recent = yield* accumulateCellsSlices(emptyCellSet(), ctx, directory, partial, {
    timelines,
    emails: (e) => e.t >= emailBoundary,
    meetings: (m) => m.st >= meetingBoundary,
  });
  const tables = previous?.tables ?? new CellTables();
  const cells = yield* mergeColumnsSlices(previous?.cells ?? emptyColumns(), yield* toColumnsSlices(settling, tables), windowStart);
  const settled: SettledState = {
    ...keys,
    now,
    emailBoundary,
    meetingBoundary,
    contributors: [...contributors].sort(),
    tables,
    cells,
    threads: settleThreads(settledThreads, recentThreads, emailBoundary, windowStart),
  };
  yield;
  const all = yield* mergeColumnsSlices(cells, yield* toColumnsSlices(recent, tables), windowStart);
  const results = yield* finalizeResultsSlices(ctx, directory, all, tables, recent.nextMeeting, previousScores);
  return { results, settled };
}
