import { accountsOwnedBy, buildAccountDirectory, buildOwnerIndex, normaliseWebsiteDomain } from './account-directory';
import type { CustomerDataset } from './types';

const dataset: CustomerDataset = {
  accounts: [
    { accountId: 'A-FAB', name: 'Fabrikam', domain: 'https://www.fabrikam.com/about' },
    { accountId: 'A-NW', name: 'Northwind', domain: null },
    { accountId: 'A-EMPTY', name: 'No contacts yet' },
  ],
  contacts: [
    { email: 'jane@fabrikam.com', accountId: 'A-FAB' },
    { email: 'bob@northwind.com', accountId: 'A-NW', accountName: 'Northwind Traders' },
    { email: 'ceo@gmail.com', accountId: 'A-NW' },
    { email: 'shared@tailspin.com', accountId: 'A-TS2', accountName: 'Tailspin Two' },
    { email: 'shared@tailspin.com', accountId: 'A-TS1', accountName: 'Tailspin One' },
    { email: 'x@litware.com', accountId: 'A-LIT1' },
    { email: 'y@litware.com', accountId: 'A-LIT2' },
    { email: 'solo@hotmail.co.uk', accountId: 'A-FREE', accountName: 'Freemail Only' },
    { email: 'rep@contoso.com', accountId: 'A-INT' },
    { email: '', accountId: 'A-FAB' },
    { email: 'not-an-email', accountId: 'A-FAB' },
    { email: 'nobody@nowhere.com', accountId: '  ' },
  ],
};
const { directory, report } = buildAccountDirectory(dataset, ['contoso.com']);

describe('buildAccountDirectory: resolve', () => {
  it.each([
    // (1) exact contact match
    ['jane@fabrikam.com', 'A-FAB'],
    ['JANE@Fabrikam.com ', 'A-FAB'],
    ['ceo@gmail.com', 'A-NW'],
    // (1) listed by two accounts: the smallest id wins
    ['shared@tailspin.com', 'A-TS1'],
    // (2) domain match, including the explicit website column
    ['someone@fabrikam.com', 'A-FAB'],
    ['new@northwind.com', 'A-NW'],
    // a contact listed by two accounts makes its domain ambiguous
    ['other@tailspin.com', null],
    // (2) subdomain walk
    ['x@eu.mail.fabrikam.com', 'A-FAB'],
    ['x@mail.fabrikam.com', 'A-FAB'],
    ['x@fabrikam.com.evil.org', null],
    // (2) ambiguous domain never domain-matches, but exact contacts still do
    ['z@litware.com', null],
    ['x@litware.com', 'A-LIT1'],
    ['y@litware.com', 'A-LIT2'],
    // (3) freemail never domain-matches
    ['stranger@gmail.com', null],
    ['stranger@hotmail.co.uk', null],
    ['solo@hotmail.co.uk', 'A-FREE'],
    // internal addresses are never resolved, even when listed as contacts
    ['rep@contoso.com', null],
    ['someone@eu.contoso.com', null],
    // (4) unmatched and invalid
    ['someone@adatum.com', null],
    ['garbage', null],
  ])('when resolving %s, then the account is %s', (address, expected) => {
    expect(directory.resolve(address)).toBe(expected);
    // Memoised: the second call answers the same.
    expect(directory.resolve(address)).toBe(expected);
  });

  it('when the same domain is claimed by one account through contacts and by another through its website, then it is ambiguous', () => {
    // Arrange
    const { directory: d, report: r } = buildAccountDirectory(
      { accounts: [{ accountId: 'B', domain: 'adatum.com' }], contacts: [{ email: 'a@adatum.com', accountId: 'A' }] },
      [],
    );
    // Act + Assert
    expect(d.resolve('someone@adatum.com')).toBeNull();
    expect(d.resolve('a@adatum.com')).toBe('A');
    expect(r.ambiguousDomains).toEqual([{ domain: 'adatum.com', accountIds: ['A', 'B'] }]);
  });

  it('when a website column names a freemail domain, then it is not used for domain matching', () => {
    const { directory: d } = buildAccountDirectory({ accounts: [{ accountId: 'A', domain: 'gmail.com' }], contacts: [] }, []);
    expect(d.resolve('x@gmail.com')).toBeNull();
    expect(d.domainsOf('A')).toEqual([]);
  });

  it('when two accounts have ids that sort differently by locale, then the smaller in plain code-unit order wins', () => {
    // 'B' < 'a' in code-unit order, while localeCompare would put 'a' first.
    const { directory: d } = buildAccountDirectory(
      { contacts: [{ email: 'p@q.com', accountId: 'a' }, { email: 'p@q.com', accountId: 'B' }] },
      [],
    );
    expect(d.resolve('p@q.com')).toBe('B');
  });
});

describe('buildAccountDirectory: accounts and report', () => {
  it('when accounts come from the accounts file and from contacts, then all are listed, sorted, with names', () => {
    expect(directory.accounts).toEqual([
      { accountId: 'A-EMPTY', name: 'No contacts yet' },
      { accountId: 'A-FAB', name: 'Fabrikam' },
      { accountId: 'A-FREE', name: 'Freemail Only' },
      { accountId: 'A-INT', name: null },
      { accountId: 'A-LIT1', name: null },
      { accountId: 'A-LIT2', name: null },
      { accountId: 'A-NW', name: 'Northwind' },
      { accountId: 'A-TS1', name: 'Tailspin One' },
      { accountId: 'A-TS2', name: 'Tailspin Two' },
    ]);
    expect(directory.nameOf('A-NW')).toBe('Northwind');
    expect(directory.nameOf('unknown')).toBeNull();
  });

  it('when the dataset has problems, then the report lists them', () => {
    expect(report).toEqual({
      contacts: 8,
      accounts: 9,
      rowsWithoutEmail: 1,
      rowsWithoutAccount: 1,
      invalidEmails: ['not-an-email'],
      invalidEmailCount: 1,
      multiAccountContacts: [{ email: 'shared@tailspin.com', accountIds: ['A-TS1', 'A-TS2'], chosen: 'A-TS1' }],
      ambiguousDomains: [
        { domain: 'litware.com', accountIds: ['A-LIT1', 'A-LIT2'] },
        { domain: 'tailspin.com', accountIds: ['A-TS1', 'A-TS2'] },
      ],
      freemailOnlyAccounts: ['A-FREE'],
    });
  });

  it('when an account has contact domains, then domainsOf lists them except freemail and internal ones', () => {
    expect(directory.domainsOf('A-FAB')).toEqual(['fabrikam.com']);
    expect(directory.domainsOf('A-NW')).toEqual(['northwind.com']);
    expect(directory.domainsOf('A-INT')).toEqual([]);
  });

  it('when more than 20 emails are invalid, then the list is capped and the count is complete', () => {
    const contacts = Array.from({ length: 25 }, (_, i) => ({ email: `bad${i}`, accountId: 'A' }));
    const { report: r } = buildAccountDirectory({ contacts }, []);
    expect(r.invalidEmails).toHaveLength(20);
    expect(r.invalidEmailCount).toBe(25);
  });
});

describe('normaliseWebsiteDomain', () => {
  it.each([
    ['https://www.fabrikam.com/path?q=1', 'fabrikam.com'],
    ['http://Fabrikam.com:8080', 'fabrikam.com'],
    ['www.fabrikam.com', 'fabrikam.com'],
    ['fabrikam.com.', 'fabrikam.com'],
    ['@fabrikam.com', 'fabrikam.com'],
    ['eu.fabrikam.com', 'eu.fabrikam.com'],
    ['', null],
    ['not a domain', null],
  ])('when the column holds %j, then the domain is %j', (input, expected) => {
    expect(normaliseWebsiteDomain(input)).toBe(expected);
  });
});

describe('buildOwnerIndex ("My accounts")', () => {
  type Row = { accountId: string; owner: string | null };
  it.each<[string, Row[], Row[], Record<string, string[]>]>([
    ['one owner per contact row', [{ accountId: 'A', owner: 'Rita@Contoso.com ' }, { accountId: 'A', owner: 'rita@contoso.com' }], [], { A: ['rita@contoso.com'] }],
    ['two sellers on one account', [{ accountId: 'A', owner: 'rita@contoso.com' }, { accountId: 'A', owner: 'sam@contoso.com' }], [], { A: ['rita@contoso.com', 'sam@contoso.com'] }],
    ['a cell naming several, with display names', [{ accountId: 'A', owner: 'Sam <sam@contoso.com>; rita@contoso.com' }], [], { A: ['rita@contoso.com', 'sam@contoso.com'] }],
    ['empty cells and rows without account', [{ accountId: 'A', owner: '' }, { accountId: ' ', owner: 'rita@contoso.com' }, { accountId: 'B', owner: null }], [], {}],
    ['the accounts file wins over contacts', [{ accountId: 'A', owner: 'sam@contoso.com' }, { accountId: 'B', owner: 'sam@contoso.com' }], [{ accountId: 'A', owner: 'rita@contoso.com' }], { A: ['rita@contoso.com'], B: ['sam@contoso.com'] }],
    ['an accounts row without owner keeps the contacts owner', [{ accountId: 'A', owner: 'sam@contoso.com' }], [{ accountId: 'A', owner: '' }], { A: ['sam@contoso.com'] }],
  ])('when %s, then the owners are as expected', (_, contacts, accounts, expected) => {
    const index = buildOwnerIndex(contacts, accounts);
    expect(Object.fromEntries([...index.owners].map(([k, v]) => [k, [...v]]))).toEqual(expected);
  });

  it('when an owner cell is not an address, then it is reported and owns nothing', () => {
    const index = buildOwnerIndex([{ accountId: 'A', owner: 'Rita Seller' }, { accountId: 'B', owner: 'rita@contoso.com; n/a' }]);
    expect(index.invalidOwnerCount).toBe(2);
    expect(index.invalidOwners).toEqual(['Rita Seller', ' n/a']);
    expect([...index.owners.keys()]).toEqual(['B']);
  });

  it.each([
    ['RITA@contoso.com', ['A', 'C']],
    ['sam@contoso.com', ['C']],
    ['nobody@contoso.com', []],
    ['not an address', []],
  ])('when %s asks for their accounts, then they get %j', (email, expected) => {
    const index = buildOwnerIndex([
      { accountId: 'A', owner: 'rita@contoso.com' },
      { accountId: 'B', owner: 'ann@contoso.com' },
      { accountId: 'C', owner: 'sam@contoso.com;rita@contoso.com' },
    ]);
    expect([...accountsOwnedBy(index, email)].sort()).toEqual(expected);
  });
});
