import { isExcluded, isFreemailDomain, isInternal, normaliseAddress, normaliseDomain } from './addresses';

describe('normaliseAddress', () => {
  it.each([
    ['  Jane.Doe@Fabrikam.COM ', { address: 'jane.doe@fabrikam.com', local: 'jane.doe', domain: 'fabrikam.com' }],
    ['a@fabrikam.com.', { address: 'a@fabrikam.com', local: 'a', domain: 'fabrikam.com' }],
    ['"odd@local"@fabrikam.com', null],
    ['weird@part@fabrikam.com', { address: 'weird@part@fabrikam.com', local: 'weird@part', domain: 'fabrikam.com' }],
    ['Jane <JANE@fabrikam.com>', { address: 'jane@fabrikam.com', local: 'jane', domain: 'fabrikam.com' }],
    ['mailto:jane@fabrikam.com', { address: 'jane@fabrikam.com', local: 'jane', domain: 'fabrikam.com' }],
  ])('when the input is %j, then the result is %j', (input, expected) => {
    expect(normaliseAddress(input)).toEqual(expected);
  });

  it.each([[''], ['   '], ['no-at-sign'], ['@fabrikam.com'], ['jane@'], ['jane@localhost'], ['jane@fab..com'], ['ja ne@fabrikam.com'], [null], [undefined]])(
    'when the input is %j, then it is not a valid address',
    (input) => {
      expect(normaliseAddress(input as string | null | undefined)).toBeNull();
    },
  );
});

describe('normaliseDomain', () => {
  it.each([
    ['Fabrikam.com.', 'fabrikam.com'],
    ['com', null],
    ['a b.com', null],
  ])('when the domain is %j, then it normalises to %j', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });
});

describe('isInternal', () => {
  const verified = ['contoso.com'];
  const extra = ['contoso-subsidiary.de'];
  it.each([
    ['a@contoso.com', true],
    ['a@eu.contoso.com', true],
    ['a@CONTOSO.COM.', true],
    ['a@notcontoso.com', false],
    ['a@contoso.com.evil.org', false],
    ['a@contoso-subsidiary.de', true],
    ['a@sales.contoso-subsidiary.de', true],
    ['a@fabrikam.com', false],
    ['eu.contoso.com', true],
    ['not an address', false],
  ])('when the address is %s, then internal is %s', (address, expected) => {
    expect(isInternal(address, verified, extra)).toBe(expected);
  });
});

describe('isExcluded', () => {
  const exclusions = ['blocked@fabrikam.com', '@newsletters.example', ' @Spam.Example '];
  it.each([
    ['blocked@fabrikam.com', true],
    ['BLOCKED@Fabrikam.com', true],
    ['jane@fabrikam.com', false],
    ['x@newsletters.example', true],
    ['x@eu.newsletters.example', true],
    ['x@spam.example', true],
    ['noreply@fabrikam.com', true],
    ['no-reply@fabrikam.com', true],
    ['donotreply@fabrikam.com', true],
    ['do-not-reply@fabrikam.com', true],
    ['mailer-daemon@fabrikam.com', true],
    ['postmaster@fabrikam.com', true],
    ['notifications@github.com', true],
    ['bounce@fabrikam.com', true],
    ['bounces+12345@fabrikam.com', true],
    ['noreply+tag@fabrikam.com', true],
    ['reply@fabrikam.com', false],
    ['notification@fabrikam.com', false],
    ['mynoreply@fabrikam.com', false],
  ])('when the address is %s, then excluded is %s', (address, expected) => {
    expect(isExcluded(address, exclusions)).toBe(expected);
  });
});

describe('isFreemailDomain', () => {
  it.each([
    ['gmail.com', true],
    ['googlemail.com', true],
    ['outlook.com', true],
    ['hotmail.com', true],
    ['hotmail.co.uk', true],
    ['hotmail.de', true],
    ['live.com', true],
    ['live.fr', true],
    ['msn.com', true],
    ['yahoo.com', true],
    ['yahoo.com.au', true],
    ['yahoo.co.jp', true],
    ['ymail.com', true],
    ['icloud.com', true],
    ['me.com', true],
    ['aol.com', true],
    ['gmx.net', true],
    ['gmx.de', true],
    ['web.de', true],
    ['proton.me', true],
    ['protonmail.com', true],
    ['zoho.com', true],
    ['mail.com', true],
    ['yandex.ru', true],
    ['qq.com', true],
    ['GMAIL.COM.', true],
    ['fabrikam.com', false],
    ['live.fabrikam.com', false],
    ['mail.fabrikam.com', false],
    ['gmail.fabrikam.com', false],
    ['outlook.fabrikam.com', false],
    ['hotmail.fabrikam.co.uk', false],
  ])('when the domain is %s, then freemail is %s', (domain, expected) => {
    expect(isFreemailDomain(domain)).toBe(expected);
  });
});
