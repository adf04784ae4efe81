/**
 * The look-up over the demo tenant's 300 account names (api/src/bootstrap/demo.ts): every exact
 * name resolves to its account, and a brand alone never silently picks one of several.
 */
import { DEMO_TRAFFIC } from '../../api/src/bootstrap/demo';
import { generateTenant } from '../../api/src/simulator/generator';
import { findByName } from '../../bot/src/commands/fuzzy-match';

// Account names depend on the seed and the count only, not on the traffic.
const demo = generateTenant({ seed: DEMO_TRAFFIC.seed, accounts: 300, mailboxes: 2, messagesPerMailbox: 1, meetingsPerMailbox: 1, now: '2026-01-12T00:00:00.000Z' });
const accounts = demo.accounts.map((a) => ({ id: a.account_id, name: a.name }));
const brandOf = (name: string) => name.split(' ')[0]!;

describe('look-up over the demo names', () => {
  test('when every one of the 300 exact names is asked for, then each resolves to its own account', () => {
    const wrong = accounts.filter((a) => {
      const result = findByName(a.name, accounts);
      return !(result.kind === 'match' && result.item.id === a.id);
    });

    expect(accounts).toHaveLength(300);
    expect(wrong).toEqual([]);
  });

  test('when exact names are typed in another case, spacing or punctuation, then they still resolve', () => {
    const wrong = accounts.filter((a) => {
      const typed = `  ${a.name.toUpperCase().replace(/ /g, '   ').replace(/\./g, '')} `;
      const result = findByName(typed, accounts);
      return !(result.kind === 'match' && result.item.id === a.id);
    });
    expect(wrong).toEqual([]);
  });

  test('when a brand shared by several accounts is typed alone, then they come back as candidates and none is picked', () => {
    const brands = [...new Set(accounts.map((a) => brandOf(a.name)))];
    const guesses = brands.filter((brand) => {
      const sharing = accounts.filter((a) => brandOf(a.name) === brand).length;
      return sharing > 1 && findByName(brand, accounts).kind === 'match';
    });

    expect(brands.length).toBeGreaterThan(50);
    expect(guesses).toEqual([]);
  });

  test('when the brand is Delta, then every Delta account is a candidate, the first eight listed', () => {
    const deltas = accounts.filter((a) => brandOf(a.name) === 'Delta');
    const result = findByName('Delta', accounts);

    expect(result.kind).toBe('ambiguous');
    if (result.kind !== 'ambiguous') return;
    expect(result.total).toBe(deltas.length);
    expect(result.candidates.length).toBe(Math.min(8, deltas.length));
    expect(result.candidates.every((c) => c.name.startsWith('Delta '))).toBe(true);
  });
});

describe('legal suffixes only break ties', () => {
  const adatum = [
    { id: 'a-1', name: 'Adatum GmbH' },
    { id: 'a-2', name: 'Adatum Ltd' },
    { id: 'a-3', name: 'Adatum Logistics' },
    { id: 'f-1', name: 'Fabrikam Inc.' },
    { id: 'f-2', name: 'Fabrikam Systems' },
    { id: 't-1', name: 'Tailspin GmbH' },
  ];

  test.each([
    ['Adatum GmbH', 'a-1'],
    ['adatum ltd', 'a-2'],
    ['ADATUM LTD.', 'a-2'],
    ['Adatum Limited', 'a-2'],
    ['adatum logistcs', 'a-3'],
    ['Tailspin Corp', 't-1'],
    ['fabrikam inc', 'f-1'],
  ])('when the query is "%s", then it resolves to %s', (query, id) => {
    expect(findByName(query, adatum)).toEqual({ kind: 'match', item: expect.objectContaining({ id }) });
  });

  test.each([
    ['Adatum', ['a-1', 'a-2', 'a-3']],
    ['Fabrikam', ['f-1', 'f-2']],
  ])('when the query is the brand "%s" alone, then every account of it is a candidate', (query, ids) => {
    const result = findByName(query, adatum);
    expect(result.kind === 'ambiguous' && result.candidates.map((c) => c.id).sort()).toEqual(ids);
  });
});
