/**
 * Finalisation: the merged partial → `Office` rows at year, month and week level, scores,
 * score explanations for the customer card, and the run totals (DESIGN.md §3–§4).
 * Everything is read from hashed entries; iteration order never changes a result because every
 * accumulation is a count, a set, a sum, a min or a max.
 */
import { compareIds, type AccountDirectory } from './account-directory';
import { addCell, emptyMetrics, isActive, signalsOf, toUnscoredRow, type BucketMetrics } from './bucket-metrics';
import { bucketEnd, DAY_MS, isInWindow, isUpcoming, startOfIsoWeek, startOfUtcDay, startOfUtcMonth, windowStartOf } from './buckets';
import { CellTables, cellCount, LISTS, toColumnsSlices, type CellColumns } from './cell-columns';
import { addReplyChain, cellOf, collectedTimeline, emptyCellSet, replyChain, totalsOf, type CellSet, type Timeline } from './day-cells';
import { meetingMembers, meetingParticipants, type EmailEntry, type MailboxPartial, type MeetingEntry } from './partial';
import { bandOf, scoreBucket, type ScoreBreakdown } from './score';
import type { AggregationLevel, EngagementBand, OfficeRow, RunContext } from './types';
import { drain, SLICE_ITEMS, type Slices } from './work-slices';

export interface ScoreExplanation {
  accountId: string;
  accountName: string | null;
  /** The year-level score and band of this run. */
  score: number;
  band: EngagementBand;
  /** False when the account had no counted interaction in the window (score 0). */
  active: boolean;
  previousScore: number | null;
  change: number | null;
  /** Each signal's raw value, percentile, weight and points; null when inactive. */
  signals: ScoreBreakdown['signals'] | null;
}

export interface RunTotals {
  /** Accounts with ≥1 counted email or past meeting in the year bucket. */
  accountsEnriched: number;
  /** Logical emails in W counted for at least one account. */
  emailsProcessed: number;
  /** Logical past meetings counted for at least one account. */
  meetingsProcessed: number;
  /** ceil((T − earliest counted interaction) / 1 day); 0 when there is none. */
  daysCovered: number;
}

export interface EngagementResults {
  /** Year rows, then month, then week; each sorted by AccountId, then AggregationStartdate. */
  rows: OfficeRow[];
  explanations: Record<string, ScoreExplanation>;
  totals: RunTotals;
}

/** Key of `previousScores`: `${AccountId}|${AggregationLevel}|${AggregationStartdate}`. */
export function scoreKey(accountId: string, level: AggregationLevel, aggregationStartdate: string): string {
  return `${accountId}|${level}|${aggregationStartdate}`;
}

const LEVELS: readonly AggregationLevel[] = ['year', 'month', 'week'];
type LevelBuckets = Map<string, Map<number, BucketMetrics>>;

/** Which entries of a partial to count, and how to find conversation timelines. */
export interface AccumulateOptions {
  /** Returns the timeline of a conversation hash (reply latency). */
  timelines: (conversation: string) => Timeline | undefined;
  /** Only emails for which this holds are counted. @default all */
  emails?: (entry: EmailEntry) => boolean;
  /** Only meetings for which this holds are counted. @default all */
  meetings?: (entry: MeetingEntry) => boolean;
  /**
   * Hands an inbound email's reply latency out instead of reading its conversation's timeline
   * here: the sharded merge (sharded-merge.ts) meets the timeline later, in another shard, and
   * adds the chain to the same cells with `addDeferredReply`. @default computed here
   */
  deferReply?: (reply: DeferredReply) => void;
}

/** An inbound email whose reply latency is added once its conversation's timeline is known. */
export interface DeferredReply {
  conversation: string;
  sentAt: number;
  /** The accounts it counts for (its cells are theirs, on its sent day). */
  accounts: string[];
}

/** Adds a deferred reply's chain to its cells, as `accumulateCells` would have. */
export function addDeferredReply(into: CellSet, reply: DeferredReply, timeline: Timeline | undefined, windowStart: number): void {
  const chain = replyChain(timeline, reply.sentAt, windowStart);
  if (chain.length === 0) return;
  const day = startOfUtcDay(reply.sentAt);
  for (const accountId of reply.accounts) addReplyChain(cellOf(into, accountId, day), chain);
}

/** What `accumulateCells` reads of a merged partial: its entries, each key once, and its contacts. */
export interface CountedEntries {
  emails: { values(): Iterable<EmailEntry> };
  meetings: { values(): Iterable<MeetingEntry> };
  contacts: ReadonlyMap<string, string>;
}

/**
 * Counts the entries of a merged partial into day cells (DESIGN.md §3): each logical email in
 * W once per account it counts for, in the cell of its sent day; each past meeting in the cell
 * of its start day; upcoming meetings into `nextMeeting`.
 */
export function accumulateCells(...args: Parameters<typeof accumulateCellsSlices>): CellSet {
  return drain(accumulateCellsSlices(...args));
}

/** `accumulateCells` in bounded slices (work-slices.ts). */
export function* accumulateCellsSlices(
  into: CellSet,
  ctx: RunContext,
  directory: AccountDirectory,
  partial: CountedEntries,
  options: AccumulateOptions,
): Slices<CellSet> {
  const now = ctx.now;
  const windowStart = windowStartOf(now);
  const known = new Set(directory.accounts.map((a) => a.accountId));
  const accountOf = (hash: string): string | null => {
    const accountId = partial.contacts.get(hash);
    return accountId !== undefined && known.has(accountId) ? accountId : null;
  };
  /** Account → the hashes among `hashes` that resolve to it. */
  const groupByAccount = (hashes: readonly string[], only: string | null): Map<string, string[]> => {
    const groups = new Map<string, string[]>();
    if (hashes.length === 1) {
      // The common case: one account address; no intermediate arrays.
      const accountId = accountOf(hashes[0]);
      if (accountId !== null && (only === null || accountId === only)) groups.set(accountId, hashes as string[]);
      return groups;
    }
    for (const hash of hashes) {
      const accountId = accountOf(hash);
      if (accountId === null || (only !== null && accountId !== only)) continue;
      const list = groups.get(accountId);
      if (list) list.push(hash);
      else groups.set(accountId, [hash]);
    }
    return groups;
  };

  const countEmail = (entry: EmailEntry): void => {
    if (!isInWindow(entry.t, now)) return;
    const inbound = entry.s !== 'i';
    const senderAccount = inbound ? accountOf(entry.s) : null;
    if (inbound && senderAccount === null) return;
    const groups = groupByAccount(entry.r, senderAccount);
    if (senderAccount !== null) groups.set(senderAccount, [entry.s, ...(groups.get(senderAccount) ?? [])]);
    if (groups.size === 0) return; // e.g. a pending holder copy whose sender copy never came
    const day = startOfUtcDay(entry.t);
    const totals = totalsOf(into, day);
    totals.emails++;
    totals.first = Math.min(totals.first, entry.t);
    const replies = inbound && entry.c !== '';
    if (replies && options.deferReply) options.deferReply({ conversation: entry.c, sentAt: entry.t, accounts: [...groups.keys()] });
    const chain = replies && !options.deferReply ? replyChain(options.timelines(entry.c), entry.t, windowStart) : null;
    for (const [accountId, hashes] of groups) {
      const m = cellOf(into, accountId, day);
      if (inbound) m.emailsFrom++;
      else m.emailsTo++;
      for (const member of entry.m) m.emailMembers.add(member);
      for (const hash of hashes) m.emailContacts.add(hash);
      m.lastEmail = Math.max(m.lastEmail, entry.t);
      m.first = Math.min(m.first, entry.t);
      if (inbound) m.lastInbound = Math.max(m.lastInbound, entry.t);
      else m.lastOutbound = Math.max(m.lastOutbound, entry.t);
      if (chain) addReplyChain(m, chain);
    }
  };

  const countMeeting = (entry: MeetingEntry): void => {
    const past = isInWindow(entry.st, now);
    const upcoming = !past && isUpcoming(entry.st, now);
    if (!past && !upcoming) return;
    const organisedByAccount = entry.o !== 'i';
    const organizerAccount = organisedByAccount ? accountOf(entry.o) : null;
    if (organisedByAccount && organizerAccount === null) return;
    const groups = groupByAccount(meetingParticipants(entry), organizerAccount);
    if (organizerAccount !== null && !groups.has(organizerAccount)) groups.set(organizerAccount, [entry.o]);
    if (groups.size === 0) return;
    if (upcoming) {
      for (const accountId of groups.keys()) into.nextMeeting.set(accountId, Math.min(into.nextMeeting.get(accountId) ?? Infinity, entry.st));
      return;
    }
    const day = startOfUtcDay(entry.st);
    const totals = totalsOf(into, day);
    totals.meetings++;
    totals.first = Math.min(totals.first, entry.st);
    const members = meetingMembers(entry);
    for (const [accountId, hashes] of groups) {
      const m = cellOf(into, accountId, day);
      if (organisedByAccount) m.meetingsFrom++;
      else m.meetingsTo++;
      for (const member of members) m.meetingMembers.add(member);
      for (const hash of hashes) m.meetingContacts.add(hash);
      m.lastMeeting = Math.max(m.lastMeeting, entry.st);
      m.first = Math.min(m.first, entry.st);
      if (organisedByAccount) m.lastInbound = Math.max(m.lastInbound, entry.st);
      else m.lastOutbound = Math.max(m.lastOutbound, entry.st);
      m.meetingMsSum += entry.en - entry.st;
      m.meetingCount++;
    }
  };

  const emailFilter = options.emails;
  const meetingFilter = options.meetings;
  let done = 0;
  for (const entry of partial.emails.values()) {
    if (!emailFilter || emailFilter(entry)) countEmail(entry);
    if (++done % SLICE_ITEMS === 0) yield;
  }
  for (const entry of partial.meetings.values()) {
    if (!meetingFilter || meetingFilter(entry)) countMeeting(entry);
    if (++done % SLICE_ITEMS === 0) yield;
  }
  return into;
}

/** The results of one merged partial (a run that keeps no state). */
export function computeResults(...args: Parameters<typeof computeResultsSlices>): EngagementResults {
  return drain(computeResultsSlices(...args));
}

/** `computeResults` in bounded slices (work-slices.ts). */
export function* computeResultsSlices(
  ctx: RunContext,
  directory: AccountDirectory,
  partial: MailboxPartial,
  previousScores?: ReadonlyMap<string, number>,
): Slices<EngagementResults> {
  const timelines = (conversation: string): Timeline | undefined => {
    const enc = partial.threads.get(conversation);
    return enc ? collectedTimeline(enc) : undefined;
  };
  const cells = yield* accumulateCellsSlices(emptyCellSet(), ctx, directory, partial, { timelines });
  const tables = new CellTables();
  const columns = yield* toColumnsSlices(cells, tables);
  return yield* finalizeResultsSlices(ctx, directory, columns, tables, cells.nextMeeting, previousScores);
}

/**
 * Cells → `Office` rows, scores, explanations and totals. Days before W are ignored;
 * `nextMeeting` is each account's first upcoming meeting.
 */
export function finalizeResults(...args: Parameters<typeof finalizeResultsSlices>): EngagementResults {
  return drain(finalizeResultsSlices(...args));
}

/** `finalizeResults` in bounded slices (work-slices.ts). */
export function* finalizeResultsSlices(
  ctx: RunContext,
  directory: AccountDirectory,
  c: CellColumns,
  tables: CellTables,
  nextMeeting: ReadonlyMap<string, number>,
  previousScores?: ReadonlyMap<string, number>,
): Slices<EngagementResults> {
  const now = ctx.now;
  const windowStart = windowStartOf(now);
  const buckets: Record<AggregationLevel, LevelBuckets> = { year: new Map(), month: new Map(), week: new Map() };
  const metricsFor = (level: AggregationLevel, accountId: string, start: number): BucketMetrics => {
    let byStart = buckets[level].get(accountId);
    if (!byStart) buckets[level].set(accountId, (byStart = new Map()));
    let metrics = byStart.get(start);
    if (!metrics) byStart.set(start, (metrics = emptyMetrics()));
    return metrics;
  };

  const known = new Set(directory.accounts.map((a) => a.accountId));
  /** Day → [month start, ISO week start]: a year has 366 days, cells ~100k. */
  const startsOfDay = new Map<number, [number, number]>();
  const startsOf = (day: number): [number, number] => {
    let starts = startsOfDay.get(day);
    if (!starts) startsOfDay.set(day, (starts = [startOfUtcMonth(day), startOfIsoWeek(day)]));
    return starts;
  };
  let emailsProcessed = 0;
  let meetingsProcessed = 0;
  let earliest = Infinity;
  for (let t = 0; t < c.dayTotals.length; t += 4) {
    if (c.dayTotals[t] < windowStart) continue;
    emailsProcessed += c.dayTotals[t + 1];
    meetingsProcessed += c.dayTotals[t + 2];
    earliest = Math.min(earliest, c.dayTotals[t + 3]);
  }

  // Distinct counts without sets: cells are sorted by account, then day, so an account's year
  // bucket and each of its months and weeks are runs of consecutive cells. Per level and list,
  // `marks[v]` is the run that last counted index v.
  const sizes = [tables.members.length, tables.contacts.length, tables.members.length, tables.contacts.length];
  const marks = [0, 1, 2].map(() => sizes.map((n) => new Int32Array(n).fill(-1)));
  const runs = [-1, -1, -1];
  const current: BucketMetrics[] = [];
  let lastAccount = -1;
  let lastMonth = NaN;
  let lastWeek = NaN;
  const n = cellCount(c);
  const lists = LISTS; // a local: imported bindings can be getters in some module loaders
  for (let i = 0; i < n; i++) {
    if (i % SLICE_ITEMS === SLICE_ITEMS - 1) yield;
    const day = c.day[i];
    const accountId = c.accounts[c.account[i]];
    if (day < windowStart || !known.has(accountId)) continue;
    const [month, week] = startsOf(day);
    if (c.account[i] !== lastAccount) {
      lastAccount = c.account[i];
      current[0] = metricsFor('year', accountId, windowStart);
      runs[0]++;
      lastMonth = lastWeek = NaN;
    }
    if (month !== lastMonth) {
      current[1] = metricsFor('month', accountId, (lastMonth = month));
      runs[1]++;
    }
    if (week !== lastWeek) {
      current[2] = metricsFor('week', accountId, (lastWeek = week));
      runs[2]++;
    }
    // Reply breakpoints: a reply counts while W starts on or before its u.
    let replySum = 0;
    let replyCount = 0;
    for (let r = c.replyOffsets[i] * 3; r < c.replyOffsets[i + 1] * 3; r += 3) {
      if (c.replies[r] >= windowStart) {
        replySum += c.replies[r + 1];
        replyCount += c.replies[r + 2];
      }
    }
    for (let level = 0; level < 3; level++) {
      const m = current[level];
      addCell(m, c, i, replySum, replyCount);
      const run = runs[level];
      for (let k = 0; k < lists; k++) {
        const mark = marks[level][k];
        let added = 0;
        for (let x = c.listOffsets[i * lists + k], end = c.listOffsets[i * lists + k + 1]; x < end; x++) {
          const v = c.lists[x];
          if (mark[v] !== run) {
            mark[v] = run;
            added++;
          }
        }
        if (k === 0) m.emailMembers += added;
        else if (k === 1) m.emailContacts += added;
        else if (k === 2) m.meetingMembers += added;
        else m.meetingContacts += added;
      }
    }
  }
  for (const [accountId, start] of nextMeeting) {
    if (!known.has(accountId) || !isUpcoming(start, now)) continue;
    const m = metricsFor('year', accountId, windowStart);
    m.nextMeeting = Math.min(m.nextMeeting, start);
  }

  const rowsByLevel: Record<AggregationLevel, { row: OfficeRow; active: boolean }[]> = { year: [], month: [], week: [] };
  let done = 0;
  for (const { accountId, name } of directory.accounts) {
    if (++done % SLICE_ITEMS === 0) yield;
    const metrics = buckets.year.get(accountId)?.get(windowStart) ?? emptyMetrics();
    const row = toUnscoredRow({ accountId, accountName: name, level: 'year', bucketStart: windowStart, effectiveEnd: now }, metrics);
    rowsByLevel.year.push({ row, active: isActive(metrics) });
  }
  for (const level of ['month', 'week'] as const) {
    for (const accountId of [...buckets[level].keys()].sort(compareIds)) {
      const byStart = buckets[level].get(accountId)!;
      for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
        if (++done % SLICE_ITEMS === 0) yield;
        const metrics = byStart.get(start)!;
        if (!isActive(metrics)) continue;
        const effectiveEnd = Math.min(bucketEnd(level, start, now), now);
        const row = toUnscoredRow({ accountId, accountName: directory.nameOf(accountId), level, bucketStart: start, effectiveEnd }, metrics);
        rowsByLevel[level].push({ row, active: true });
      }
    }
  }

  const yearBreakdowns = new Map<string, ScoreBreakdown>();
  const previousYear = latestPreviousYearScores(previousScores);
  for (const level of LEVELS) {
    // Percentile ranks are taken among the active accounts of the same bucket.
    const groups = new Map<string, OfficeRow[]>();
    for (const { row, active } of rowsByLevel[level]) {
      if (!active) continue;
      const list = groups.get(row.AggregationStartdate);
      if (list) list.push(row);
      else groups.set(row.AggregationStartdate, [row]);
    }
    for (const rows of groups.values()) {
      yield; // a bucket's ranking is one slice: at most one row per account
      const breakdowns = scoreBucket(rows.map(signalsOf), ctx.rules.weights);
      rows.forEach((row, i) => {
        row.EngagementScore = breakdowns[i].score;
        if (level === 'year') yearBreakdowns.set(row.AccountId, breakdowns[i]);
      });
    }
    for (const { row } of rowsByLevel[level]) {
      if (++done % SLICE_ITEMS === 0) yield;
      row.EngagementBand = bandOf(row.EngagementScore);
      const previous =
        previousScores?.get(scoreKey(row.AccountId, level, row.AggregationStartdate)) ??
        (level === 'year' ? previousYear.get(row.AccountId) : undefined);
      row.EngagementScoreChange = previous === undefined ? null : row.EngagementScore - previous;
    }
  }

  const explanations: Record<string, ScoreExplanation> = {};
  for (const { row, active } of rowsByLevel.year) {
    const change = row.EngagementScoreChange;
    explanations[row.AccountId] = {
      accountId: row.AccountId,
      accountName: row.AccountName,
      score: row.EngagementScore,
      band: row.EngagementBand,
      active,
      previousScore: change === null ? null : row.EngagementScore - change,
      change,
      signals: yearBreakdowns.get(row.AccountId)?.signals ?? null,
    };
  }

  return {
    rows: [...rowsByLevel.year, ...rowsByLevel.month, ...rowsByLevel.week].map((r) => r.row),
    explanations,
    totals: {
      accountsEnriched: rowsByLevel.year.filter((r) => r.active).length,
      emailsProcessed,
      meetingsProcessed,
      daysCovered: Number.isFinite(earliest) ? Math.ceil((now - earliest) / DAY_MS) : 0,
    },
  };
}

/**
 * The year bucket starts at the start of W, which moves every day, so a previous run's year
 * row rarely has this run's AggregationStartdate. For the year level the change is therefore
 * taken against the previous run's latest year row of the account when no exact key matches.
 */
function latestPreviousYearScores(previousScores: ReadonlyMap<string, number> | undefined): Map<string, number> {
  const latest = new Map<string, { start: string; score: number }>();
  for (const [key, score] of previousScores ?? []) {
    const parts = key.split('|');
    if (parts.length < 3 || parts[parts.length - 2] !== 'year') continue;
    const start = parts[parts.length - 1];
    const accountId = parts.slice(0, -2).join('|');
    const current = latest.get(accountId);
    if (!current || compareIds(current.start, start) < 0) latest.set(accountId, { start, score });
  }
  return new Map([...latest].map(([accountId, { score }]) => [accountId, score]));
}
