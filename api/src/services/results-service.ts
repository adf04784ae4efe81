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
import { staleGroupOf, type StaleGroup, type StaleRules } from '../engagement/segments';
import type { AccountMappingConfig, AppState, ContactMappingConfig, ResultSet } from './state';
import { accountsOwnedBy, buildAccountDirectory, buildOwnerIndex, type OwnerIndex } from '../engagement/account-directory';
import type { CustomerDataset } from '../engagement/types';
import type { CsvTable } from '../enrichment/customer-csv';
import { systemClock, type Clock } from './clock';
import { becameStaleWithin, daysSinceLastContact, meetingsWithin, scoreMovers, weeklyEnriched } from './results-insights';

/**
 * Who is reading results: admins see every row as stored; anyone else (and the bot, whose
 * channel messages everyone reads) sees rows through the privacy threshold. An `Identity` is one.
 */
export type Viewer = Pick<Identity, 'isAdmin' | 'email'>;

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
  /** `me`: only the viewer's accounts (the dataset's owner column). */
  owner?: 'me';
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
  /** The two groups inside the stale set (engagement/segments.ts `staleGroupOf`); they add up to `staleCount`. */
  staleGoneQuietCount: number;
  staleNeverContactedCount: number;
  staleDays: number;
  history: { runId: string; finishedAt: string; accountsEnriched: number }[];
  /** Extra: the run that produced the shown results, and the configuration version it used. */
  resultsRunId: string | null;
  configVersion: number | null;
  /** "My accounts": the figures over the viewer's own accounts. */
  mine: MyAccounts;
}

export interface MyAccounts {
  ownerColumnMapped: boolean;
  email: string | null;
  totalAccounts: number;
  accountsEnriched: number;
  bands: Record<EngagementBand, number>;
  staleCount: number;
  staleNeverContactedCount: number;
}

/** One account in a list of "This week" (the wire `ChangeAccount`). */
export interface ChangeAccount {
  accountId: string;
  name: string | null;
  score: number;
  band: EngagementBand;
  change: number | null;
  daysSinceLastContact: number | null;
  becameStaleDaysAgo: number | null;
  nextMeetingDate: string | null;
}

export interface Changes {
  resultsRunId: string | null;
  runAt: string | null;
  comparedWithPreviousRun: boolean;
  staleDays: number;
  days: number;
  gains: ChangeAccount[];
  drops: ChangeAccount[];
  becameStale: ChangeAccount[];
  upcomingMeetings: ChangeAccount[];
  totals: { gains: number; drops: number; becameStale: number; upcomingMeetings: number };
}

export interface Timeline {
  weeks: { weekStart: string; accounts: number }[];
  runs: { finishedAt: string; accountsEnriched: number }[];
}

/** Reads an uploaded table (DatasetService.table): where the owner column is. */
export interface DatasetTables {
  table(id: string, kind: 'contacts' | 'accounts', field: string): Promise<CsvTable>;
  /** The dataset a configuration describes (DatasetService.customerDataset), for the account domains. */
  customerDataset(
    contacts: { datasetId: string; mapping: ContactMappingConfig },
    accounts?: { datasetId: string; mapping: AccountMappingConfig },
  ): Promise<{ dataset: CustomerDataset }>;
}

/** Who owns which account, and whether the configuration maps owners at all. */
interface Ownership {
  mapped: boolean;
  index: OwnerIndex;
}
const NO_OWNERS: Ownership = { mapped: false, index: { owners: new Map(), invalidOwners: [], invalidOwnerCount: 0 } };

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
      /** The uploaded tables, for the owner column. Without it nobody owns anything ("My accounts" says so). */
      datasets?: DatasetTables;
      /** The reader's time ("meetings in the next 7 days"). @default the system clock */
      clock?: Clock;
    },
  ) {}

  /** Owner indexes by configuration key; uploaded tables never change, so an entry stays true. */
  private ownershipCache: { key: string; value: Promise<Ownership> } | null = null;
  /** Account domains by configuration key, like the owner index. */
  private domainsCache: { key: string; value: Promise<ReadonlyMap<string, readonly string[]>> } | null = null;
  /** Week counts by result set and owner: a scan of every week row is worth remembering. */
  private timelineCache = new Map<string, { weekStart: string; accounts: number }[]>();

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
      ...staleCounts(years, rules),
      history: ended.map((r) => ({ runId: r.id, finishedAt: r.finishedAt!, accountsEnriched: r.accountsEnriched })),
      resultsRunId: header?.runId ?? null,
      configVersion: header?.configVersion ?? null,
      mine: await this.myAccounts(current?.yearRows ?? [], view, rules, viewer),
    };
  }

  /** The overview's figures over the viewer's accounts. */
  private async myAccounts(stored: readonly OfficeRow[], view: (row: OfficeRow) => OfficeRowView, rules: StaleRules, viewer: Viewer): Promise<MyAccounts> {
    const ownership = await this.ownership();
    const email = viewer.email ?? null;
    const mine = ownership.mapped && email ? accountsOwnedBy(ownership.index, email) : new Set<string>();
    const own = stored.filter((r) => mine.has(r.AccountId));
    const rows = own.map(view);
    const bands: Record<EngagementBand, number> = { High: 0, Medium: 0, Low: 0 };
    for (const r of rows) bands[r.EngagementBand] += 1;
    const counts = staleCounts(rows, rules);
    return {
      ownerColumnMapped: ownership.mapped,
      email,
      totalAccounts: rows.length,
      // Enriched (DESIGN §3): a counted email or past meeting in the year. Counted on the stored
      // rows, like the overview's own total: a count over the seller's accounts, no row's detail.
      accountsEnriched: own.filter((r) => daysSinceLastContact(r) !== null).length,
      bands,
      staleCount: counts.staleCount,
      staleNeverContactedCount: counts.staleNeverContactedCount,
    };
  }

  /**
   * The owner index of the newest configuration (like the stale rules, a changed mapping applies
   * at once, without a run). Tables are read once per mapping; a table that cannot be read or
   * lacks the column counts as "not mapped" rather than failing the dashboard.
   */
  private async ownership(): Promise<Ownership> {
    const config = (await this.deps.state.read()).configVersions.at(-1)?.config;
    const contactsOwner = config?.contacts.mapping.owner;
    const accountsOwner = config?.accounts?.mapping.owner;
    if (!config || !this.deps.datasets || (!contactsOwner && !accountsOwner)) return NO_OWNERS;
    const key = JSON.stringify([config.contacts.datasetId, config.contacts.mapping.accountId, contactsOwner, config.accounts?.datasetId, config.accounts?.mapping.accountId, accountsOwner]);
    if (this.ownershipCache?.key !== key) {
      const datasets = this.deps.datasets;
      const rowsOf = async (datasetId: string, kind: 'contacts' | 'accounts', accountColumn: string, ownerColumn: string | undefined) => {
        if (!ownerColumn) return [];
        const table = await datasets.table(datasetId, kind, `${kind}.datasetId`);
        const account = table.columns.indexOf(accountColumn);
        const owner = table.columns.indexOf(ownerColumn);
        if (account < 0 || owner < 0) return null;
        return table.rows.map((row) => ({ accountId: row[account] ?? '', owner: row[owner] ?? null }));
      };
      const value = (async (): Promise<Ownership> => {
        const contacts = await rowsOf(config.contacts.datasetId, 'contacts', config.contacts.mapping.accountId, contactsOwner);
        const accounts = config.accounts ? await rowsOf(config.accounts.datasetId, 'accounts', config.accounts.mapping.accountId, accountsOwner) : [];
        if (contacts === null || accounts === null) return NO_OWNERS;
        return { mapped: true, index: buildOwnerIndex(contacts, accounts) };
      })().catch(() => NO_OWNERS);
      this.ownershipCache = { key, value };
    }
    return this.ownershipCache.value;
  }

  /**
   * The mail domains each account of the newest configuration matches by (explicit and
   * contact-derived, domains claimed by two accounts removed), as the run's account directory
   * builds them: the bot tells look-alike names apart and searches by domain with them. The
   * tenant's verified domains are not read here (that needs Graph); the configured extra
   * internal domains are left out. Empty when nothing is configured or a table cannot be read.
   */
  async accountDomains(): Promise<ReadonlyMap<string, readonly string[]>> {
    const config = (await this.deps.state.read()).configVersions.at(-1)?.config;
    const datasets = this.deps.datasets;
    if (!config || !datasets) return new Map();
    const key = JSON.stringify([config.contacts, config.accounts ?? null, config.rules.extraInternalDomains]);
    if (this.domainsCache?.key !== key) {
      const value = (async () => {
        const { dataset } = await datasets.customerDataset(config.contacts, config.accounts);
        const { directory } = buildAccountDirectory(dataset, config.rules.extraInternalDomains);
        const domains = new Map<string, readonly string[]>();
        for (const a of directory.accounts) {
          const list = directory.domainsOf(a.accountId);
          if (list.length > 0) domains.set(a.accountId, [...list]);
        }
        return domains as ReadonlyMap<string, readonly string[]>;
      })().catch(() => new Map<string, readonly string[]>());
      this.domainsCache = { key, value };
    }
    return this.domainsCache.value;
  }

  /**
   * The accounts the owner column gives to this address (case aside); null when the
   * configuration maps no owner column. The bot filters a seller's personal alerts with it.
   */
  async accountsOwnedBy(email: string): Promise<ReadonlySet<string> | null> {
    const ownership = await this.ownership();
    return ownership.mapped ? accountsOwnedBy(ownership.index, email) : null;
  }

  /**
   * The account ids `owner=me` keeps, or null for every account. A clear 400 when the filter
   * cannot mean anything: no owner column is mapped, or the sign-in carries no address.
   */
  private async ownedFilter(owner: 'me' | undefined, viewer: Viewer): Promise<Set<string> | null> {
    if (owner !== 'me') return null;
    const ownership = await this.ownership();
    if (!ownership.mapped) {
      throw new AppError('VALIDATION_FAILED', 'query.owner: the configuration maps no owner column, so "My accounts" cannot be told apart; an admin maps one in setup (the dataset’s owner or seller email column).', {
        field: 'query.owner',
      });
    }
    if (!viewer.email) {
      throw new AppError('VALIDATION_FAILED', 'query.owner: your sign-in carries no email address to match the owner column with; leave owner out to see all accounts.', { field: 'query.owner' });
    }
    return accountsOwnedBy(ownership.index, viewer.email);
  }

  /** GET /api/results/changes: the dashboard's "This week". */
  async changes(query: { owner?: 'me'; limit: number; days: number }, viewer: Viewer = NON_ADMIN_VIEWER): Promise<Changes> {
    const [set, view, rules, owned] = await Promise.all([this.deps.results.current(), this.viewFor(viewer), this.staleRules(), this.ownedFilter(query.owner, viewer)]);
    const years = (set?.yearRows ?? []).filter((r) => !owned || owned.has(r.AccountId)).map(view);
    const staleDaysAgo = new Map<string, number>();
    const stale = becameStaleWithin(years, rules, query.days);
    for (const s of stale) staleDaysAgo.set(s.row.AccountId, s.daysAgo);
    const toItem = (r: OfficeRowView): ChangeAccount => ({
      accountId: r.AccountId,
      name: r.AccountName,
      score: r.EngagementScore,
      band: r.EngagementBand,
      change: r.EngagementScoreChange,
      daysSinceLastContact: isHidden(r) ? null : daysSinceLastContact(r as OfficeRow),
      becameStaleDaysAgo: staleDaysAgo.get(r.AccountId) ?? null,
      nextMeetingDate: r.NextMeetingDate,
    });
    const movers = scoreMovers(years, Number.MAX_SAFE_INTEGER);
    const meetings = meetingsWithin(years, (this.deps.clock ?? systemClock).now().getTime(), query.days);
    return {
      resultsRunId: set?.header.runId ?? null,
      runAt: set?.header.finishedAt ?? null,
      comparedWithPreviousRun: years.some((r) => r.EngagementScoreChange !== null),
      staleDays: rules.staleDays,
      days: query.days,
      gains: movers.gains.slice(0, query.limit).map(toItem),
      drops: movers.drops.slice(0, query.limit).map(toItem),
      becameStale: stale.slice(0, query.limit).map((s) => toItem(s.row)),
      upcomingMeetings: meetings.slice(0, query.limit).map(toItem),
      totals: { gains: movers.gains.length, drops: movers.drops.length, becameStale: stale.length, upcomingMeetings: meetings.length },
    };
  }

  /**
   * GET /api/results/timeline: enriched customers per ISO week over the window, from the week
   * rows (a week row exists when the account had activity that week, so counting rows counts
   * accounts and reveals nothing the Office table's week level does not already list).
   */
  async timeline(query: { owner?: 'me' }, viewer: Viewer = NON_ADMIN_VIEWER): Promise<Timeline> {
    const [state, set, owned] = await Promise.all([this.deps.state.read(), this.deps.results.current(), this.ownedFilter(query.owner, viewer)]);
    const runs = state.runs
      .filter((r) => (r.status === 'succeeded' || r.status === 'partial') && r.finishedAt)
      .map((r) => ({ finishedAt: r.finishedAt!, accountsEnriched: r.accountsEnriched }));
    if (!set) return { weeks: [], runs };
    const windowStart = set.buckets('year')[0] ?? set.yearRows[0]?.AggregationStartdate;
    if (!windowStart) return { weeks: [], runs };
    const key = `${set.header.runId}|${query.owner === 'me' ? viewer.email : '*'}|${owned?.size ?? ''}`;
    let weeks = this.timelineCache.get(key);
    if (!weeks) {
      const starts: string[] = [];
      for await (const batch of set.scan('week')) for (const r of batch) if (!owned || owned.has(r.AccountId)) starts.push(r.AggregationStartdate);
      weeks = weeklyEnriched(starts, windowStart, set.header.finishedAt);
      // Only the current set's entries are worth keeping.
      for (const k of this.timelineCache.keys()) if (!k.startsWith(`${set.header.runId}|`)) this.timelineCache.delete(k);
      if (this.timelineCache.size > 200) this.timelineCache.clear();
      this.timelineCache.set(key, weeks);
    }
    return { weeks: structuredClone(weeks), runs };
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
    const [set, view, owned] = await Promise.all([this.deps.results.current(), this.viewFor(viewer), this.ownedFilter(filter.owner, viewer)]);
    if (!set) return { rows: [], total: 0, buckets: [] };
    const buckets = [...set.buckets(filter.level)].sort();
    const bucket = filter.bucket;
    const q = filter.q ? fold(filter.q) : '';
    const matches = (r: OfficeRow): boolean =>
      (!owned || owned.has(r.AccountId)) && (!filter.band || r.EngagementBand === filter.band) && (!q || fold(r.AccountId).includes(q) || (r.AccountName !== null && fold(r.AccountName).includes(q)));
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

/**
 * The stale counts of the overview, on the rows as viewed: a hidden row is in no group, as it is
 * never stale (isStaleAsViewed).
 */
function staleCounts(years: OfficeRowView[], rules: StaleRules): Pick<Overview, 'staleCount' | 'staleGoneQuietCount' | 'staleNeverContactedCount' | 'staleDays'> {
  const counts: Record<StaleGroup, number> = { goneQuiet: 0, neverContacted: 0 };
  for (const r of years) {
    const group = isHidden(r) ? null : staleGroupOf(r as OfficeRow, rules);
    if (group) counts[group] += 1;
  }
  return { staleCount: counts.goneQuiet + counts.neverContacted, staleGoneQuietCount: counts.goneQuiet, staleNeverContactedCount: counts.neverContacted, staleDays: rules.staleDays };
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
