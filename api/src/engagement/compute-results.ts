/**
 * Finalisation: the merged partial → `Office` rows at year, month and week level, scores,
 * score explanations for the customer card, and the run totals (DESIGN.md §3–§4).
 * Everything is read from hashed entries; iteration order never changes a result because every
 * accumulation is a count, a set, a sum, a min or a max.
 */
import { compareIds, type AccountDirectory } from './account-directory';
import { emptyMetrics, isActive, signalsOf, toUnscoredRow, type BucketMetrics } from './bucket-metrics';
import { bucketEnd, DAY_MS, isInWindow, isUpcoming, startOfIsoWeek, startOfUtcMonth, windowStartOf } from './buckets';
import type { EmailEntry, MailboxPartial, MeetingEntry } from './partial';
import { bandOf, scoreBucket, type ScoreBreakdown } from './score';
import type { AggregationLevel, EngagementBand, OfficeRow, RunContext } from './types';

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

/**
 * The latency of inbound email R when it replies to an internal email: P is the latest email
 * of the conversation sent strictly before R. Timelines encode `sent·2 + internal`, so on a tie
 * at P's time an internal email wins (deterministic, whatever the copy order).
 */
export function replyLatency(timeline: readonly number[] | undefined, sentAt: number): number | null {
  if (!timeline || timeline.length === 0) return null;
  const limit = sentAt * 2; // encoded values < limit are exactly the emails sent before R
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeline[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return null;
  const previous = timeline[lo - 1];
  const internal = previous % 2 === 1;
  return internal ? sentAt - (previous - 1) / 2 : null;
}

export function computeResults(
  ctx: RunContext,
  directory: AccountDirectory,
  partial: MailboxPartial,
  previousScores?: ReadonlyMap<string, number>,
): EngagementResults {
  const now = ctx.now;
  const known = new Set(directory.accounts.map((a) => a.accountId));
  const buckets: Record<AggregationLevel, LevelBuckets> = { year: new Map(), month: new Map(), week: new Map() };
  const metricsFor = (level: AggregationLevel, accountId: string, start: number): BucketMetrics => {
    let byStart = buckets[level].get(accountId);
    if (!byStart) buckets[level].set(accountId, (byStart = new Map()));
    let metrics = byStart.get(start);
    if (!metrics) byStart.set(start, (metrics = emptyMetrics()));
    return metrics;
  };
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

  const windowStart = windowStartOf(now);
  /** Bucket starts of t, in LEVELS order. */
  const bucketStartsOf = (t: number): [number, number, number] => [windowStart, startOfUtcMonth(t), startOfIsoWeek(t)];

  let emailsProcessed = 0;
  let meetingsProcessed = 0;
  let earliest = Infinity;

  const countEmail = (entry: EmailEntry): void => {
    if (!isInWindow(entry.t, now)) return;
    const inbound = entry.s !== 'i';
    const senderAccount = inbound ? accountOf(entry.s) : null;
    if (inbound && senderAccount === null) return;
    const groups = groupByAccount(entry.r, senderAccount);
    if (senderAccount !== null) groups.set(senderAccount, [entry.s, ...(groups.get(senderAccount) ?? [])]);
    if (groups.size === 0) return; // e.g. a pending holder copy whose sender copy never came
    emailsProcessed++;
    earliest = Math.min(earliest, entry.t);
    const latency = inbound ? replyLatency(entry.c ? partial.threads.get(entry.c) : undefined, entry.t) : null;
    const starts = bucketStartsOf(entry.t);
    for (const [accountId, hashes] of groups) {
      for (let l = 0; l < LEVELS.length; l++) {
        const m = metricsFor(LEVELS[l], accountId, starts[l]);
        if (inbound) m.emailsFrom++;
        else m.emailsTo++;
        for (const member of entry.m) m.emailMembers.add(member);
        for (const hash of hashes) m.emailContacts.add(hash);
        m.lastEmail = Math.max(m.lastEmail, entry.t);
        m.first = Math.min(m.first, entry.t);
        if (inbound) m.lastInbound = Math.max(m.lastInbound, entry.t);
        else m.lastOutbound = Math.max(m.lastOutbound, entry.t);
        if (latency !== null) {
          m.replyMsSum += latency;
          m.replyCount++;
        }
      }
    }
  };

  const countMeeting = (entry: MeetingEntry): void => {
    const past = isInWindow(entry.st, now);
    const upcoming = !past && isUpcoming(entry.st, now);
    if (!past && !upcoming) return;
    const organisedByAccount = entry.o !== 'i';
    const organizerAccount = organisedByAccount ? accountOf(entry.o) : null;
    if (organisedByAccount && organizerAccount === null) return;
    const groups = groupByAccount(entry.p, organizerAccount);
    if (organizerAccount !== null && !groups.has(organizerAccount)) groups.set(organizerAccount, [entry.o]);
    if (groups.size === 0) return;
    if (upcoming) {
      for (const accountId of groups.keys()) {
        const m = metricsFor('year', accountId, windowStart);
        m.nextMeeting = Math.min(m.nextMeeting, entry.st);
      }
      return;
    }
    meetingsProcessed++;
    earliest = Math.min(earliest, entry.st);
    const starts = bucketStartsOf(entry.st);
    for (const [accountId, hashes] of groups) {
      for (let l = 0; l < LEVELS.length; l++) {
        const m = metricsFor(LEVELS[l], accountId, starts[l]);
        if (organisedByAccount) m.meetingsFrom++;
        else m.meetingsTo++;
        for (const member of entry.m) m.meetingMembers.add(member);
        for (const hash of hashes) m.meetingContacts.add(hash);
        m.lastMeeting = Math.max(m.lastMeeting, entry.st);
        m.first = Math.min(m.first, entry.st);
        if (organisedByAccount) m.lastInbound = Math.max(m.lastInbound, entry.st);
        else m.lastOutbound = Math.max(m.lastOutbound, entry.st);
        m.meetingMsSum += entry.en - entry.st;
        m.meetingCount++;
      }
    }
  };

  for (const entry of partial.emails.values()) countEmail(entry);
  for (const entry of partial.meetings.values()) countMeeting(entry);

  const rowsByLevel: Record<AggregationLevel, { row: OfficeRow; active: boolean }[]> = { year: [], month: [], week: [] };
  for (const { accountId, name } of directory.accounts) {
    const metrics = buckets.year.get(accountId)?.get(windowStart) ?? emptyMetrics();
    const row = toUnscoredRow({ accountId, accountName: name, level: 'year', bucketStart: windowStart, effectiveEnd: now }, metrics);
    rowsByLevel.year.push({ row, active: isActive(metrics) });
  }
  for (const level of ['month', 'week'] as const) {
    for (const accountId of [...buckets[level].keys()].sort(compareIds)) {
      const byStart = buckets[level].get(accountId)!;
      for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
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
      const breakdowns = scoreBucket(rows.map(signalsOf), ctx.rules.weights);
      rows.forEach((row, i) => {
        row.EngagementScore = breakdowns[i].score;
        if (level === 'year') yearBreakdowns.set(row.AccountId, breakdowns[i]);
      });
    }
    for (const { row } of rowsByLevel[level]) {
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
