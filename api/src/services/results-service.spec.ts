import { fold, matchRank } from './results-service';

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
