/**
 * Collection with persisted state (docs/incremental.md): each mailbox is either skipped (this
 * run already checkpointed it), refreshed (mail from its high-water mark minus an overlap, the
 * calendar from 30 days before its last collection), or collected in full (no usable state).
 * Each mailbox's new state is written atomically as soon as it is done: that is the checkpoint.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  DAY_MS,
  startOfUtcDay,
  windowStartOf,
  createSlicedMailboxReducer,
  dropMeetingsOutside,
  emptyPartial,
  mergeInto,
  restrictToMembers,
  type AccountDirectory,
  type MailboxPartial,
} from '../engagement';
import type { CustomerDataset, EngagementRules, RunContext, SelectedMailbox } from '../engagement/types';
import type { ActivitySource } from './ports';
import { memberSetKey, type MailboxState, type RootState, type RunJournal, type RunStateStore } from './run-state';


export interface IncrementalSettings {
  state: RunStateStore;
  /** Ignore every stored mailbox state and collect the whole window again. */
  full?: boolean;
  /** Mail is re-read from the high-water mark minus this. @default 2 days */
  overlapMs?: number;
  /** The calendar is re-read from this long before the mailbox's previous collection. @default 30 days */
  calendarRereadMs?: number;
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

/** Fingerprint of everything a stored reduction depends on, besides S. */
export function reductionKeyOf(dataset: CustomerDataset, rules: EngagementRules, verifiedDomains: readonly string[]): string {
  const material = JSON.stringify({
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

/** After the caller committed the results: the journal closes and states of mailboxes left out of S go. */
export async function commitRun(state: RunStateStore, journal: RunJournal, mailboxes: readonly SelectedMailbox[], membersKeys: ReadonlySet<string>): Promise<void> {
  const inS = new Set(mailboxes.map((m) => m.id));
  await state.updateRoot((draft) => {
    if (draft.active?.id === journal.id) draft.active = null;
    draft.lastCommitted = { id: journal.id, now: journal.now };
    for (const key of Object.keys(draft.memberSets)) if (!membersKeys.has(key)) delete draft.memberSets[key];
  });
  for (const id of await state.storedMailboxIds()) if (!inS.has(id)) await state.removeMailbox(id);
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
 * (same reduction key, S ⊆ its member set, collected at or before T) or be null.
 */
export async function collectMailbox(
  source: ActivitySource,
  ctx: RunContext,
  directory: AccountDirectory,
  mailbox: SelectedMailbox,
  previous: MailboxState | null,
  run: { journal: RunJournal; reductionKey: string; membersKey: string; members: ReadonlySet<string> },
  settings: IncrementalSettings,
  hooks: CollectHooks,
): Promise<MailboxState> {
  const now = ctx.now;
  const windowStart = windowStartOf(now);
  const overlap = settings.overlapMs ?? 2 * DAY_MS;
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
    excluded = await source.excludedFolderIds(mailbox);
    for (const id of excluded) known.add(id);
  }

  // Folders just read are current: every folder id seen while reading is known under them.
  let foldersCurrent = previous === null;
  const reducer = createSlicedMailboxReducer(ctx, directory, mailbox, excluded);
  for await (const page of source.messagePages(mailbox, new Date(mailFrom), new Date(now + DAY_MS))) {
    // A folder never seen before may be a new subfolder of Junk Email: read the folders again
    // before this page is reduced (the reducer holds `excluded` by reference).
    if (!foldersCurrent && page.some((m) => m.parentFolderId && !known.has(m.parentFolderId))) {
      for (const id of await source.excludedFolderIds(mailbox)) {
        excluded.add(id);
        known.add(id);
      }
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
  const pendingSenders = new Map<string, string>();
  let meetings = fresh.meetings;
  let mark = fresh.maxReceived;
  if (previous) {
    // Kept: days in W before the re-read start; meetings in W before the calendar re-read start.
    for (const [day, partial] of previous.days) {
      if (day >= windowStart && day < mailFrom) days.set(day, restrictToMembers(partial, run.members, previous.pendingSenders));
    }
    for (const [key, sender] of previous.pendingSenders) if (run.members.has(sender)) pendingSenders.set(key, sender);
    meetings = restrictToMembers(dropMeetingsOutside(previous.meetings, windowStart, calendarFrom), run.members);
    mergeInto(meetings, fresh.meetings);
    if (previous.mark !== null && (mark === null || previous.mark > mark)) mark = previous.mark;
  }
  for (const [day, partial] of fresh.days) days.set(day, partial);
  for (const [key, sender] of fresh.pendingSenders) pendingSenders.set(key, sender);

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
    pendingSenders,
    days,
    meetings,
  };
}

/** Whether a stored state can be refreshed for this run rather than collected again in full. */
export function isReusable(state: MailboxState, now: number, reductionKey: string, memberSets: Record<string, string[]>, members: ReadonlySet<string>): boolean {
  if (state.reductionKey !== reductionKey || state.collectedFor > now) return false;
  const reducedUnder = memberSets[state.membersKey];
  if (!reducedUnder) return false;
  // A member added to S may be a recipient on copies already reduced: those need reading again.
  const previous = new Set(reducedUnder);
  for (const id of members) if (!previous.has(id)) return false;
  return true;
}

/** The merged partial of all mailbox states, restricted to W and to S. */
export function mergeStates(states: Iterable<MailboxState>, now: number, members: ReadonlySet<string>, membersKey: string): MailboxPartial {
  const windowStart = windowStartOf(now);
  const total = emptyPartial();
  for (const state of states) {
    const restrict = state.membersKey !== membersKey;
    for (const [day, partial] of state.days) {
      if (day < windowStart) continue;
      mergeInto(total, restrict ? restrictToMembers(partial, members, state.pendingSenders) : partial);
    }
    const meetings = dropMeetingsOutside(state.meetings, windowStart, null);
    mergeInto(total, restrict ? restrictToMembers(meetings, members) : meetings);
  }
  return total;
}

export function membersKeyOf(mailboxes: readonly SelectedMailbox[]): string {
  return memberSetKey(mailboxes.map((m) => m.id));
}

