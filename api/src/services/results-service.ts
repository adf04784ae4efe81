/**
 * Read side of the committed result set: the dashboard overview, the `Office` table with
 * filters and paging, exports, the `Office_UserTable`, customer cards and account search.
 * Rows are account aggregates only; nothing here is about one employee.
 */
import { OFFICE_COLUMNS, type AggregationLevel, type EngagementBand, type OfficeColumn, type OfficeRow } from '../engagement/types';
import { AppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import { DEFAULT_RULES } from './config-schemas';
import type { RunSummary } from './run-types';
import { toWireExplanation, type ScoreExplanation } from './score-explanation';
import { isStale, type StaleRules } from './segment-rules';
import type { AppState, ResultSet, ResultsDocument } from './state';

export interface OfficeFilter {
  level: AggregationLevel;
  bucket?: string;
  q?: string;
  band?: EngagementBand;
  sort?: OfficeColumn;
  order?: 'asc' | 'desc';
}
export interface OfficeQuery extends OfficeFilter {
  page: number;
  pageSize: number;
}

export interface Overview {
  lastRun: RunSummary | null;
  totalAccounts: number;
  accountsEnriched: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
  bands: Record<EngagementBand, number>;
  staleCount: number;
  history: { runId: string; finishedAt: string; accountsEnriched: number }[];
  /** Extra: the run that produced the shown results, and the configuration version it used. */
  resultsRunId: string | null;
  configVersion: number | null;
}

export interface AccountCard {
  account: { accountId: string; name: string | null };
  year: OfficeRow;
  months: OfficeRow[];
  weeks: OfficeRow[];
  explanation: ScoreExplanation;
  stale: boolean;
}

export class ResultsService {
  constructor(
    private readonly deps: {
      state: DocumentStore<AppState>;
      results: DocumentStore<ResultsDocument>;
    },
  ) {}

  async current(): Promise<ResultSet | null> {
    return (await this.deps.results.read()).current;
  }

  /** Stale-rule settings of the newest configuration (so a changed threshold applies at once). */
  async staleRules(): Promise<StaleRules> {
    const state = await this.deps.state.read();
    return state.configVersions.at(-1)?.config.rules ?? DEFAULT_RULES;
  }

  async yearRows(): Promise<OfficeRow[]> {
    return (await this.current())?.office.filter((r) => r.AggregationLevel === 'year') ?? [];
  }

  async overview(): Promise<Overview> {
    const [state, current, rules] = await Promise.all([this.deps.state.read(), this.current(), this.staleRules()]);
    const years = current?.office.filter((r) => r.AggregationLevel === 'year') ?? [];
    const bands: Record<EngagementBand, number> = { High: 0, Medium: 0, Low: 0 };
    for (const r of years) bands[r.EngagementBand] += 1;
    const ended = state.runs.filter((r) => (r.status === 'succeeded' || r.status === 'partial') && r.finishedAt);
    const lastRun = (current && state.runs.find((r) => r.id === current.runId)) ?? ended.at(-1) ?? null;
    return {
      lastRun: lastRun ? structuredClone(lastRun) : null,
      totalAccounts: current?.totals.totalAccounts ?? 0,
      accountsEnriched: current?.totals.accountsEnriched ?? 0,
      emailsProcessed: current?.totals.emailsProcessed ?? 0,
      meetingsProcessed: current?.totals.meetingsProcessed ?? 0,
      daysCovered: current?.totals.daysCovered ?? 0,
      bands,
      staleCount: years.filter((r) => isStale(r, rules)).length,
      history: ended.map((r) => ({ runId: r.id, finishedAt: r.finishedAt!, accountsEnriched: r.accountsEnriched })),
      resultsRunId: current?.runId ?? null,
      configVersion: current?.configVersion ?? null,
    };
  }

  /** All rows matching the filter, sorted (nulls last); exports use this without paging. */
  async filtered(filter: OfficeFilter): Promise<{ rows: OfficeRow[]; buckets: string[] }> {
    const office = (await this.current())?.office ?? [];
    const atLevel = office.filter((r) => r.AggregationLevel === filter.level);
    const buckets = [...new Set(atLevel.map((r) => r.AggregationStartdate))].sort();
    const q = filter.q ? fold(filter.q) : '';
    const rows = atLevel.filter(
      (r) =>
        (!filter.bucket || r.AggregationStartdate === filter.bucket || r.AggregationStartdate.startsWith(filter.bucket)) &&
        (!filter.band || r.EngagementBand === filter.band) &&
        (!q || fold(r.AccountId).includes(q) || (r.AccountName !== null && fold(r.AccountName).includes(q))),
    );
    sortRows(rows, filter.sort ?? 'EngagementScore', filter.order ?? (filter.sort ? 'asc' : 'desc'));
    return { rows, buckets };
  }

  async office(query: OfficeQuery): Promise<{ rows: OfficeRow[]; total: number; page: number; pageSize: number; level: AggregationLevel; buckets: string[] }> {
    const { rows, buckets } = await this.filtered(query);
    const start = (query.page - 1) * query.pageSize;
    return { rows: rows.slice(start, start + query.pageSize), total: rows.length, page: query.page, pageSize: query.pageSize, level: query.level, buckets };
  }

  async userTable(): Promise<{ rows: { ObjectId: string }[] }> {
    return { rows: (await this.current())?.officeUserTable ?? [] };
  }

  async account(accountId: string): Promise<AccountCard> {
    const current = await this.current();
    const rows = current?.office.filter((r) => r.AccountId === accountId) ?? [];
    const year = rows.find((r) => r.AggregationLevel === 'year');
    if (!current || !year) throw new AppError('NOT_FOUND', `There is no account "${accountId}" in the results.`, { accountId });
    const byStart = (a: OfficeRow, b: OfficeRow): number => (a.AggregationStartdate < b.AggregationStartdate ? -1 : 1);
    return {
      account: { accountId, name: year.AccountName },
      year,
      months: rows.filter((r) => r.AggregationLevel === 'month').sort(byStart),
      weeks: rows.filter((r) => r.AggregationLevel === 'week').sort(byStart),
      explanation: explanationOf(current, year),
      stale: isStale(year, await this.staleRules()),
    };
  }

  /** GET /api/accounts?q=: ranked fuzzy match on the account name and id. */
  async search(q: string, limit: number): Promise<{ accountId: string; name: string | null; score: number; band: EngagementBand }[]> {
    const years = await this.yearRows();
    const needle = fold(q.trim());
    const ranked = years
      .map((r) => ({ r, rank: needle ? Math.max(matchRank(needle, fold(r.AccountId)), r.AccountName ? matchRank(needle, fold(r.AccountName)) : 0) : 1 }))
      .filter((x) => x.rank > 0)
      .sort((a, b) => b.rank - a.rank || b.r.EngagementScore - a.r.EngagementScore || (a.r.AccountId < b.r.AccountId ? -1 : 1));
    return ranked.slice(0, limit).map(({ r }) => ({ accountId: r.AccountId, name: r.AccountName, score: r.EngagementScore, band: r.EngagementBand }));
  }
}

function explanationOf(current: ResultSet, year: OfficeRow): ScoreExplanation {
  return toWireExplanation(current.explanations[year.AccountId], year);
}

/** Lower-cased, accents removed: "Café" matches "cafe". */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** 0 = no match; higher is better: exact, prefix, word prefix, substring, then in-order letters. */
export function matchRank(needle: string, hay: string): number {
  if (hay === needle) return 100;
  if (hay.startsWith(needle)) return 80;
  if (hay.split(/[^a-z0-9]+/).some((w) => w.startsWith(needle))) return 60;
  if (hay.includes(needle)) return 40;
  // Letters in order with gaps ("cntso" → "contoso"); tighter spans rank higher.
  let i = 0;
  let first = -1;
  let last = -1;
  for (let j = 0; j < hay.length && i < needle.length; j += 1) {
    if (hay[j] === needle[i]) {
      if (first < 0) first = j;
      last = j;
      i += 1;
    }
  }
  if (i < needle.length || needle.length < 2) return 0;
  return 1 + Math.round(19 * (needle.length / (last - first + 1)));
}

function sortRows(rows: OfficeRow[], column: OfficeColumn, order: 'asc' | 'desc'): void {
  const dir = order === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const x = a[column] as string | number | null;
    const y = b[column] as string | number | null;
    const xNull = x === null || x === undefined || x === '';
    const yNull = y === null || y === undefined || y === '';
    // Nulls last in both directions.
    if (xNull || yNull) return xNull && yNull ? tieBreak(a, b) : xNull ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    return c !== 0 ? c * dir : tieBreak(a, b);
  });
}

function tieBreak(a: OfficeRow, b: OfficeRow): number {
  if (a.AccountId !== b.AccountId) return a.AccountId < b.AccountId ? -1 : 1;
  return a.AggregationStartdate < b.AggregationStartdate ? -1 : a.AggregationStartdate > b.AggregationStartdate ? 1 : 0;
}

export const SORTABLE_COLUMNS = OFFICE_COLUMNS;
