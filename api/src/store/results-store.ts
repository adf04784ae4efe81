/**
 * The committed result set of the last run, behind an interface so that it can live in files
 * read page by page (FileResultsStore, file-results-store.ts) or in memory (MemoryResultsStore,
 * tests). Year rows, at most one per account, are held in memory; month and week rows are read
 * on demand, a bucket's rows at a time.
 */
import type { ScoreExplanation } from '../engagement';
import type { AggregationLevel, OfficeRow, OfficeUserRow } from '../engagement/types';

export interface ResultTotals {
  accountsEnriched: number;
  totalAccounts: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
}

/** A run's complete result set, as the run hands it to the store. */
export interface ResultSet {
  runId: string;
  configVersion: number;
  finishedAt: string;
  totals: ResultTotals;
  office: OfficeRow[];
  officeUserTable: OfficeUserRow[];
  /** Keyed by AccountId: the explanation of the year score. */
  explanations: Record<string, ScoreExplanation>;
}

/** What identifies a committed result set, without its rows. */
export type ResultSetHeader = Pick<ResultSet, 'runId' | 'configVersion' | 'finishedAt' | 'totals'>;

/** One account's rows below the year level and its score explanation (the customer card). */
export interface AccountDetail {
  /** Ascending by AggregationStartdate. */
  months: OfficeRow[];
  weeks: OfficeRow[];
  explanation: ScoreExplanation | null;
}

/** A committed result set. Treat what it returns as read-only. */
export interface StoredResultSet {
  readonly header: ResultSetHeader;
  /** Every year row, ascending by AccountId; held in memory. */
  readonly yearRows: readonly OfficeRow[];
  /** An account's year row, without a scan. */
  yearRow(accountId: string): OfficeRow | undefined;
  /** The level's distinct AggregationStartdate values, ascending. */
  buckets(level: AggregationLevel): readonly string[];
  /**
   * The level's rows whose bucket `inBucket` accepts (all when absent), in batches, in bucket
   * then AccountId order. Only the accepted buckets are read.
   */
  scan(level: AggregationLevel, inBucket?: (bucket: string) => boolean): AsyncIterable<readonly OfficeRow[]>;
  /** Null when the account has no row in the set. */
  account(accountId: string): Promise<AccountDetail | null>;
  userTable(): Promise<OfficeUserRow[]>;
  /**
   * The scores of the set this one replaced, keyed like scoresOf, so a run resumed after it
   * committed still compares with the run before it. Null when there was none.
   */
  previousScores(): Promise<Map<string, number> | null>;
}

export interface ResultsStore {
  /** The committed result set; null before the first run. */
  current(): Promise<StoredResultSet | null>;
  /**
   * Commits `set` as one unit: readers see the old set, whole, until the new one is, whole.
   * Concurrent commits are serialised.
   */
  commit(set: ResultSet, previousScores: ReadonlyMap<string, number> | null): Promise<void>;
}

export const LEVELS: readonly AggregationLevel[] = ['year', 'month', 'week'];

/** `${AccountId}|${level}|${AggregationStartdate}`: the key of run-enrichment's scoresOf. */
export function rowScoreKey(row: Pick<OfficeRow, 'AccountId' | 'AggregationLevel' | 'AggregationStartdate'>): string {
  return `${row.AccountId}|${row.AggregationLevel}|${row.AggregationStartdate}`;
}

/** Every row's score, read level by level (the next run's previousScores). */
export async function storedScores(set: StoredResultSet): Promise<Map<string, number>> {
  const scores = new Map<string, number>();
  for (const level of LEVELS) for await (const batch of set.scan(level)) for (const r of batch) scores.set(rowScoreKey(r), r.EngagementScore);
  return scores;
}

/** The whole set in memory again. Reads every row: for tests and small sets, not for request paths. */
export async function loadResultSet(set: StoredResultSet): Promise<ResultSet> {
  const office: OfficeRow[] = [];
  for (const level of LEVELS) for await (const batch of set.scan(level)) office.push(...batch);
  const explanations: Record<string, ScoreExplanation> = {};
  for (const year of set.yearRows) {
    const explanation = (await set.account(year.AccountId))?.explanation;
    if (explanation) explanations[year.AccountId] = explanation;
  }
  return { ...structuredClone(set.header), office, officeUserTable: await set.userTable(), explanations };
}

const byStart = (a: OfficeRow, b: OfficeRow): number => (a.AggregationStartdate < b.AggregationStartdate ? -1 : a.AggregationStartdate > b.AggregationStartdate ? 1 : 0);
const byAccount = (a: OfficeRow, b: OfficeRow): number => (a.AccountId < b.AccountId ? -1 : a.AccountId > b.AccountId ? 1 : 0);
/** Bucket, then AccountId: the order of every scan. */
export const scanOrder = (a: OfficeRow, b: OfficeRow): number => byStart(a, b) || byAccount(a, b);
export { byAccount, byStart };

/** A result set held in memory, answering as the file-backed one does. */
class MemoryResultSet implements StoredResultSet {
  readonly header: ResultSetHeader;
  readonly yearRows: readonly OfficeRow[];
  private readonly byLevel: Record<AggregationLevel, OfficeRow[]>;

  constructor(
    private readonly set: ResultSet,
    private readonly previous: ReadonlyMap<string, number> | null,
  ) {
    const { runId, configVersion, finishedAt, totals } = set;
    this.header = { runId, configVersion, finishedAt, totals };
    this.byLevel = { year: [], month: [], week: [] };
    for (const row of set.office) this.byLevel[row.AggregationLevel].push(row);
    for (const level of LEVELS) this.byLevel[level].sort(scanOrder);
    this.yearRows = this.byLevel.year;
  }

  yearRow(accountId: string): OfficeRow | undefined {
    return this.yearRows.find((r) => r.AccountId === accountId);
  }

  buckets(level: AggregationLevel): readonly string[] {
    return [...new Set(this.byLevel[level].map((r) => r.AggregationStartdate))];
  }

  async *scan(level: AggregationLevel, inBucket?: (bucket: string) => boolean): AsyncIterable<readonly OfficeRow[]> {
    yield inBucket ? this.byLevel[level].filter((r) => inBucket(r.AggregationStartdate)) : this.byLevel[level];
  }

  async account(accountId: string): Promise<AccountDetail | null> {
    const of = (level: AggregationLevel) => this.byLevel[level].filter((r) => r.AccountId === accountId);
    const [year, months, weeks] = [of('year'), of('month'), of('week')];
    if (year.length + months.length + weeks.length === 0) return null;
    return { months, weeks, explanation: Object.hasOwn(this.set.explanations, accountId) ? this.set.explanations[accountId]! : null };
  }

  async userTable(): Promise<OfficeUserRow[]> {
    return this.set.officeUserTable;
  }

  async previousScores(): Promise<Map<string, number> | null> {
    return this.previous ? new Map(this.previous) : null;
  }
}

/** The same contract in memory, for tests; `writes` counts commits. */
export class MemoryResultsStore implements ResultsStore {
  private committed: MemoryResultSet | null = null;
  writes = 0;

  async current(): Promise<StoredResultSet | null> {
    return this.committed;
  }

  async commit(set: ResultSet, previousScores: ReadonlyMap<string, number> | null): Promise<void> {
    // A copy, as a file would hold: the run's objects can change afterwards without changing it.
    this.committed = new MemoryResultSet(structuredClone(set), previousScores ? new Map(previousScores) : null);
    this.writes += 1;
  }
}
