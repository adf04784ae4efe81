/**
 * A result set of the size real runs produce, without running one: per account a year row,
 * 13 month rows and 53 week rows with every column filled, and a score explanation. Seeded, so
 * two calls with the same arguments give equal sets. Used by the store tests and the
 * results-store benchmark (scripts/bench/results-store.ts).
 */
import type { ScoreExplanation } from '../../api/src/engagement';
import type { AggregationLevel, EngagementBand, OfficeRow } from '../../api/src/engagement/types';
import type { ResultSet } from '../../api/src/store/results-store';

const DAY = 86_400_000;

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export interface SyntheticOptions {
  accounts: number;
  runId?: string;
  seed?: number;
  /** @default '2026-11-01T00:00:00.000Z' */
  now?: string;
  /** @default 13 */
  months?: number;
  /** @default 53 */
  weeks?: number;
  /**
   * The share of an account's month and week buckets with activity, and so with a row. The
   * defaults give ~11 rows per account, the density of the 3,000-account run of issue 14
   * (27 MB of results.json). @default { months: 0.3, weeks: 0.12 }
   */
  density?: { months: number; weeks: number };
}

export function syntheticResultSet(options: SyntheticOptions): ResultSet {
  const next = random(options.seed ?? 7);
  const now = Date.parse(options.now ?? '2026-11-01T00:00:00.000Z');
  const windowStart = now - 365 * DAY;
  const months = Array.from({ length: options.months ?? 13 }, (_, i) => new Date(Date.UTC(new Date(windowStart).getUTCFullYear(), new Date(windowStart).getUTCMonth() + i, 1)).toISOString());
  const weeks = Array.from({ length: options.weeks ?? 53 }, (_, i) => new Date(windowStart + i * 7 * DAY).toISOString());
  const office: OfficeRow[] = [];
  const explanations: Record<string, ScoreExplanation> = {};
  const band = (score: number): EngagementBand => (score >= 66 ? 'High' : score >= 33 ? 'Medium' : 'Low');
  const row = (accountId: string, name: string | null, level: AggregationLevel, start: string): OfficeRow => {
    const score = Math.round(next() * 1000) / 10;
    const n = () => Math.floor(next() * 40);
    const maybe = (v: number) => (next() < 0.2 ? null : v);
    return {
      AccountId: accountId,
      AccountName: name,
      EngagementScore: score,
      NoOfEmails_ToAccount: n(),
      NoOfEmails_FromAccount: n(),
      NoOfMeetings_FromAccount: n(),
      NoOfMeetings_ToAccount: n(),
      NoOfContactsInvolved_Meetings: n(),
      NoOfContactsInvolved_Emails: n(),
      NoOfAccountContactsInvolved_Meetings: n(),
      NoOfAccountContactsInvolved_Emails: n(),
      EngagementStartdate: next() < 0.1 ? null : new Date(windowStart + Math.floor(next() * 300) * DAY).toISOString(),
      DaysSinceLastemail: maybe(Math.floor(next() * 365)),
      DaysSinceLastMeeting: maybe(Math.floor(next() * 365)),
      AverageDuration_Of_Meetings: maybe(Math.round(next() * 900) / 10),
      AverageDuration_Of_AccountEmailReplies: maybe(Math.round(next() * 4800) / 10),
      AggregationStartdate: start,
      AggregationLevel: level,
      LastInboundDate: next() < 0.2 ? null : new Date(now - Math.floor(next() * 365) * DAY).toISOString(),
      LastOutboundDate: next() < 0.2 ? null : new Date(now - Math.floor(next() * 365) * DAY).toISOString(),
      NextMeetingDate: level === 'year' && next() < 0.3 ? new Date(now + Math.floor(next() * 60) * DAY).toISOString() : null,
      EngagementBand: band(score),
      EngagementScoreChange: next() < 0.3 ? null : Math.round((next() - 0.5) * 200) / 10 || 0, // never -0: JSON has none
    };
  };
  for (let a = 0; a < options.accounts; a++) {
    const id = `ACC-${String(a).padStart(6, '0')}`;
    const name = a % 10 === 9 ? null : `Account ${a} Ltd ${'é'.repeat(a % 3)}`;
    const year = row(id, name, 'year', new Date(windowStart).toISOString());
    office.push(year);
    const density = options.density ?? { months: 0.3, weeks: 0.12 };
    for (const m of months) if (next() < density.months) office.push(row(id, name, 'month', m));
    for (const w of weeks) if (next() < density.weeks) office.push(row(id, name, 'week', w));
    const c = () => ({ raw: next() * 50, percentile: next(), weight: 0.2, points: Math.round(next() * 200) / 10 });
    explanations[id] = {
      accountId: id,
      accountName: name,
      score: year.EngagementScore,
      band: year.EngagementBand,
      active: true,
      previousScore: null,
      change: null,
      signals: { emails: c(), meetings: c(), breadth: c(), recency: c(), reciprocity: { ...c(), percentile: null } },
    };
  }
  return {
    runId: options.runId ?? 'run_synthetic',
    configVersion: 1,
    finishedAt: new Date(now).toISOString(),
    totals: { accountsEnriched: options.accounts, totalAccounts: options.accounts, emailsProcessed: 1000, meetingsProcessed: 100, daysCovered: 365 },
    office,
    officeUserTable: [{ ObjectId: 'u-1' }, { ObjectId: 'u-2' }],
    explanations,
  };
}
