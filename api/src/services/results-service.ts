/**
 * Read side of the committed result set: the dashboard overview, the `Office` table with
 * filters and paging, exports, the `Office_UserTable`, customer cards and account search.
 * Rows are account aggregates only; nothing here is about one employee.
 *
 * Every row leaves through `viewFor(viewer)`, the one place the privacy threshold is applied
 * (engagement/row-privacy.ts): a viewer who is not an admin gets the rows below the configured
 * `minimumColleagues` hidden, and filters, sorting, stale flags and explanations are computed on
 * what that viewer may see. Segments, measures and the bot read their rows through here too.
 *
 * Year rows come from memory; month and week rows are read from the store as the query needs
 * them: only the buckets asked for, and for a page only the rows up to its end are kept sorted.
 */
import { isHidden, isStaleAsViewed, redactRow, type OfficeRowView } from '../engagement/row-privacy';
import { OFFICE_COLUMNS, type AggregationLevel, type EngagementBand, type OfficeColumn, type OfficeRow, type OfficeUserRow } from '../engagement/types';
import { AppError } from '../errors';
import type { DocumentStore } from '../store/document-store';
import { loadResultSet, type ResultSetHeader, type ResultsStore, type StoredResultSet } from '../store/results-store';
import { DEFAULT_RULES } from '../contract/config';
import type { RunSummary } from './run-types';
import { toWireExplanation, type ScoreExplanation } from './score-explanation';
import type { Identity } from './identity';
import type { StaleRules } from '../engagement/segments';
import type { AppState, ResultSet } from './state';

/**
 * Who is reading results: admins see every row as stored; anyone else (and the bot, whose
 * channel messages everyone reads) sees rows through the privacy threshold. An `Identity` is one.
 */
export type Viewer = Pick<Identity, 'isAdmin'>;

/**
 * The viewer when a caller names none: not an admin. A caller that forgets to say who reads
 * can then only hide too much, never show what it should not (routes and the bot always say).
 */
export const NON_ADMIN_VIEWER: Viewer = Object.freeze({ isAdmin: false });

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
  year: OfficeRowView;
  months: OfficeRowView[];
  weeks: OfficeRowView[];
  explanation: ScoreExplanation;
  stale: boolean;
}

export class ResultsService {
  constructor(
    private readonly deps: {
      state: DocumentStore<AppState>;
      results: ResultsStore;
    },
  ) {}

  /**
   * The whole committed result set, every row in memory and as stored (no privacy threshold):
   * for the API's own bookkeeping and tests, never for an answer to a viewer. Expensive with a
   * large set: request paths use `header`, `yearRows`, `filtered` or `account` instead.
   */
  async current(): Promise<ResultSet | null> {
    const set = await this.deps.results.current();
    return set ? loadResultSet(set) : null;
  }

  /** Which run's results are shown, without their rows; null before the first run. */
  async header(): Promise<ResultSetHeader | null> {
    const set = await this.deps.results.current();
    return set ? structuredClone(set.header) : null;
  }

  /** Stale-rule settings of the newest configuration (so a changed threshold applies at once). */
  async staleRules(): Promise<StaleRules> {
    const state = await this.deps.state.read();
    return state.configVersions.at(-1)?.config.rules ?? DEFAULT_RULES;
  }

  /**
   * The privacy threshold in force for the viewer: null for admins and while it is 1 (nothing is
   * hidden). Exports use it to add their `ActivityHidden` column only when a row can be hidden.
   */
  async privacyThreshold(viewer: Viewer): Promise<number | null> {
    if (viewer.isAdmin) return null;
    const state = await this.deps.state.read();
    // Configurations saved before the setting existed have none (the stored schema fills in 1).
    const threshold = state.configVersions.at(-1)?.config.rules.minimumColleagues ?? DEFAULT_RULES.minimumColleagues;
    return threshold > 1 ? threshold : null;
  }

  /** The one place rows are shaped for a viewer (see the file comment). */
  private async viewFor(viewer: Viewer): Promise<(row: OfficeRow) => OfficeRowView> {
    const threshold = await this.privacyThreshold(viewer);
    return threshold === null ? (row) => row : (row) => redactRow(row, threshold);
  }

  async yearRows(viewer: Viewer = NON_ADMIN_VIEWER): Promise<OfficeRowView[]> {
    const [set, view] = await Promise.all([this.deps.results.current(), this.viewFor(viewer)]);
    return (set?.yearRows ?? []).map(view);
  }

  async overview(viewer: Viewer = NON_ADMIN_VIEWER): Promise<Overview> {
    const [state, current, rules, view] = await Promise.all([this.deps.state.read(), this.deps.results.current(), this.staleRules(), this.viewFor(viewer)]);
    const years = (current?.yearRows ?? []).map(view);
    const header = current?.header ?? null;
    const bands: Record<EngagementBand, number> = { High: 0, Medium: 0, Low: 0 };
    for (const r of years) bands[r.EngagementBand] += 1;
    const ended = state.runs.filter((r) => (r.status === 'succeeded' || r.status === 'partial') && r.finishedAt);
    const lastRun = (header && state.runs.find((r) => r.id === header.runId)) ?? ended.at(-1) ?? null;
    return {
      lastRun: lastRun ? structuredClone(lastRun) : null,
      totalAccounts: header?.totals.totalAccounts ?? 0,
      accountsEnriched: header?.totals.accountsEnriched ?? 0,
      emailsProcessed: header?.totals.emailsProcessed ?? 0,
      meetingsProcessed: header?.totals.meetingsProcessed ?? 0,
      daysCovered: header?.totals.daysCovered ?? 0,
      bands,
      staleCount: years.filter((r) => isStaleAsViewed(r, rules)).length,
      history: ended.map((r) => ({ runId: r.id, finishedAt: r.finishedAt!, accountsEnriched: r.accountsEnriched })),
      resultsRunId: header?.runId ?? null,
      configVersion: header?.configVersion ?? null,
    };
  }

  /** All rows matching the filter, sorted (nulls last); exports use this without paging. */
  async filtered(filter: OfficeFilter, viewer: Viewer = NON_ADMIN_VIEWER): Promise<{ rows: OfficeRowView[]; buckets: string[] }> {
    const { rows, buckets } = await this.select(filter, Infinity, viewer);
    return { rows, buckets };
  }

  async office(
    query: OfficeQuery,
    viewer: Viewer = NON_ADMIN_VIEWER,
  ): Promise<{ rows: OfficeRowView[]; total: number; page: number; pageSize: number; level: AggregationLevel; buckets: string[] }> {
    const start = (query.page - 1) * query.pageSize;
    const { rows, total, buckets } = await this.select(query, start + query.pageSize, viewer);
    return { rows: rows.slice(start, start + query.pageSize), total, page: query.page, pageSize: query.pageSize, level: query.level, buckets };
  }

  /**
   * The first `keep` rows of the filter's order and how many match in all. Rows past `keep` are
   * dropped as the scan goes, so a page of week rows never holds every week row in memory.
   * Rows are viewed before they are sorted: an order on a hidden column must not reveal it.
   */
  private async select(filter: OfficeFilter, keep: number, viewer: Viewer): Promise<{ rows: OfficeRowView[]; total: number; buckets: string[] }> {
    const [set, view] = await Promise.all([this.deps.results.current(), this.viewFor(viewer)]);
    if (!set) return { rows: [], total: 0, buckets: [] };
    const buckets = [...set.buckets(filter.level)].sort();
    const bucket = filter.bucket;
    const q = filter.q ? fold(filter.q) : '';
    const matches = (r: OfficeRow): boolean =>
      (!filter.band || r.EngagementBand === filter.band) && (!q || fold(r.AccountId).includes(q) || (r.AccountName !== null && fold(r.AccountName).includes(q)));
    const column = filter.sort ?? 'EngagementScore';
    const order = filter.order ?? (filter.sort ? 'asc' : 'desc');
    let rows: OfficeRowView[] = [];
    let total = 0;
    for await (const batch of set.scan(filter.level, bucket ? (b) => b === bucket || b.startsWith(bucket) : undefined)) {
      for (const r of batch) {
        if (!matches(r)) continue;
        total += 1;
        rows.push(view(r));
      }
      // The order is total (ties broken by AccountId, then bucket), so trimming keeps exactly the first rows.
      if (rows.length > 2 * keep + 1000) {
        sortRows(rows, column, order);
        rows = rows.slice(0, keep);
      }
    }
    sortRows(rows, column, order);
    if (rows.length > keep) rows = rows.slice(0, keep);
    return { rows, total, buckets };
  }

  async userTable(): Promise<{ rows: OfficeUserRow[] }> {
    return { rows: (await (await this.deps.results.current())?.userTable()) ?? [] };
  }

  async account(accountId: string, viewer: Viewer = NON_ADMIN_VIEWER): Promise<AccountCard> {
    const [set, view, rules] = await Promise.all([this.deps.results.current(), this.viewFor(viewer), this.staleRules()]);
    const stored = set?.yearRow(accountId);
    const detail = stored ? await set!.account(accountId) : null;
    if (!set || !stored) throw new AppError('NOT_FOUND', `There is no account "${accountId}" in the results.`, { accountId });
    const year = view(stored);
    const explanation = toWireExplanation(detail?.explanation ?? undefined, stored);
    return {
      account: { accountId, name: year.AccountName },
      year,
      months: (detail?.months ?? []).map(view),
      weeks: (detail?.weeks ?? []).map(view),
      // Each signal's value, percentile and points are the hidden activity, ranked: a hidden year
      // row keeps only the score, band and change of its explanation.
      explanation: isHidden(year) ? { ...explanation, signals: [] } : explanation,
      stale: isStaleAsViewed(year, rules),
    };
  }

  /**
   * GET /api/accounts?q=: ranked fuzzy match on the account name and id. It answers only kept
   * columns (id, name, score, band), so the privacy threshold has nothing to hide here.
   */
  async search(q: string, limit: number): Promise<{ accountId: string; name: string | null; score: number; band: EngagementBand }[]> {
    const years = (await this.deps.results.current())?.yearRows ?? [];
    const needle = fold(q.trim());
    const ranked = years
      .map((r) => ({ r, rank: needle ? Math.max(matchRank(needle, fold(r.AccountId)), r.AccountName ? matchRank(needle, fold(r.AccountName)) : 0) : 1 }))
      .filter((x) => x.rank > 0)
      .sort((a, b) => b.rank - a.rank || b.r.EngagementScore - a.r.EngagementScore || (a.r.AccountId < b.r.AccountId ? -1 : 1));
    return ranked.slice(0, limit).map(({ r }) => ({ accountId: r.AccountId, name: r.AccountName, score: r.EngagementScore, band: r.EngagementBand }));
  }
}

/** The committed set itself, for the run service (scores of the previous run). */
export type { StoredResultSet };

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

function sortRows(rows: OfficeRowView[], column: OfficeColumn, order: 'asc' | 'desc'): void {
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

function tieBreak(a: OfficeRowView, b: OfficeRowView): number {
  if (a.AccountId !== b.AccountId) return a.AccountId < b.AccountId ? -1 : 1;
  return a.AggregationStartdate < b.AggregationStartdate ? -1 : a.AggregationStartdate > b.AggregationStartdate ? 1 : 0;
}

export const SORTABLE_COLUMNS = OFFICE_COLUMNS;
