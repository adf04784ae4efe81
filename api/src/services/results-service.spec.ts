import { syntheticResultSet } from '../../../tests/support/synthetic-results';
import { MemoryDocument } from '../store/document-store';
import { MemoryResultsStore } from '../store/results-store';
import { fold, matchRank, ResultsService, type OfficeQuery } from './results-service';
import { emptyAppState } from './state';

describe('account search ranking', () => {
  it.each([
    ['contoso', 'contoso', 100],
    ['con', 'contoso', 80],
    ['traders', 'northwind traders', 60],
    ['wind', 'northwind traders', 40],
  ])('when "%s" is looked for in "%s", then the rank is %i', (needle, hay, rank) => {
    expect(matchRank(needle, hay)).toBe(rank);
  });

  it('when the letters appear in order with gaps, then it matches, tighter spans ranking higher', () => {
    const tight = matchRank('ctso', 'contoso');
    const loose = matchRank('ctso', 'c a t s o long name');
    expect(tight).toBeGreaterThan(0);
    expect(loose).toBeGreaterThan(0);
    expect(tight).toBeGreaterThanOrEqual(loose);
    expect(matchRank('xyz', 'contoso')).toBe(0);
  });

  it('when names carry accents or capitals, then folding ignores them', () => {
    expect(fold('Café Müller')).toBe('cafe muller');
  });
});

describe('paging the Office table', () => {
  // A set large enough that a page keeps only part of the matching rows while scanning.
  const set = syntheticResultSet({ accounts: 400, density: { months: 0.5, weeks: 0.5 } });
  const service = async () => {
    const results = new MemoryResultsStore();
    await results.commit(set, null);
    return new ResultsService({ state: new MemoryDocument(emptyAppState()), results });
  };

  it.each<[string, OfficeQuery]>([
    ['weeks by score, a late page', { level: 'week', page: 40, pageSize: 50 }],
    ['weeks by name ascending (nulls last)', { level: 'week', sort: 'AccountName', order: 'asc', page: 3, pageSize: 500 }],
    ['weeks by days since the last email, descending', { level: 'week', sort: 'DaysSinceLastemail', order: 'desc', page: 7, pageSize: 100 }],
    ['months of one band matching a name', { level: 'month', band: 'High', q: 'account 1', page: 2, pageSize: 20 }],
    ['the weeks of one month by prefix', { level: 'week', bucket: set.office.find((r) => r.AggregationLevel === 'month')!.AggregationStartdate.slice(0, 7), page: 1, pageSize: 10 }],
    ['a page past the end', { level: 'month', page: 1000, pageSize: 50 }],
  ])('when %s is asked, then the page and total equal sorting every matching row', async (_label, query) => {
    const all = (await (await service()).filtered({ ...query })).rows;
    const page = await (await service()).office(query);
    const start = (query.page - 1) * query.pageSize;
    expect(page.total).toBe(all.length);
    expect(page.rows).toEqual(all.slice(start, start + query.pageSize));
    expect(all.length).toBeGreaterThan(0);
  });

  it('when the whole week level is sorted, then it is ordered by score descending with ties by account and bucket', async () => {
    const { rows } = await (await service()).filtered({ level: 'week' });
    const naive = set.office
      .filter((r) => r.AggregationLevel === 'week')
      .sort((a, b) => b.EngagementScore - a.EngagementScore || (a.AccountId < b.AccountId ? -1 : a.AccountId > b.AccountId ? 1 : a.AggregationStartdate < b.AggregationStartdate ? -1 : 1));
    expect(rows).toEqual(naive);
  });
});
