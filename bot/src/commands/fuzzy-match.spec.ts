import { editDistance, findByName, normalise } from './fuzzy-match';

const accounts = [
  { id: 'acc-1', name: 'Fabrikam Inc.' },
  { id: 'acc-2', name: 'Contoso Pharma' },
  { id: 'acc-3', name: 'Contoso Retail' },
  { id: 'acc-4', name: 'Northwind Traders' },
  { id: 'acc-5', name: 'Société Générale Assurances' },
  { id: 'acc-6', name: 'Wide World Importers' },
];

describe('findByName', () => {
  test.each([
    ['fabrikam', 'acc-1'],
    ['Fabrikam Inc', 'acc-1'],
    ['fabrikm', 'acc-1'],
    ['FABRIKAM, INC.', 'acc-1'],
    ['northwind', 'acc-4'],
    ['nortwind traders', 'acc-4'],
    ['societe generale', 'acc-5'],
    ['contoso pharma', 'acc-2'],
    ['contoso retial', 'acc-3'],
    ['wide world', 'acc-6'],
    ['ACC-4', 'acc-4'],
  ])('when the query is "%s", then it matches %s', (query, id) => {
    expect(findByName(query, accounts)).toEqual({ kind: 'match', item: expect.objectContaining({ id }) });
  });

  test('when two accounts fit equally, then both are candidates', () => {
    const result = findByName('contoso', accounts);
    expect(result.kind).toBe('ambiguous');
    expect(result.kind === 'ambiguous' && result.candidates.map((c) => c.id).sort()).toEqual(['acc-2', 'acc-3']);
  });

  test.each(['globex', 'xyz', '', '   ', 'pharmacy inc'])('when the query is "%s", then nothing matches', (query) => {
    expect(findByName(query, accounts)).toEqual({ kind: 'none' });
  });

  test('when two accounts normalise to the same name, then the match is ambiguous rather than a guess', () => {
    const result = findByName('fabrikam', [...accounts, { id: 'acc-9', name: 'Fabrikam Ltd' }]);
    expect(result.kind).toBe('ambiguous');
  });
});

describe('normalise and editDistance', () => {
  test('when a name has accents, punctuation and a legal suffix, then only the meaningful tokens remain', () => {
    expect(normalise('Société Générale S.A.')).toEqual(['societe', 'generale']);
    expect(normalise('The Inc.')).toEqual(['the', 'inc']);
  });

  test('when two words differ, then the edit distance counts the edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
