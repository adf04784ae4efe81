import { signInAddressOf } from './auth';

describe('signInAddressOf (the caller’s email for "My accounts")', () => {
  it.each<[string, Record<string, unknown>, string | null]>([
    ['a v2 token', { preferred_username: 'Rita.Seller@Contoso.com' }, 'rita.seller@contoso.com'],
    ['a v1 token', { upn: ' rita@contoso.com ' }, 'rita@contoso.com'],
    ['both, v2 first', { preferred_username: 'a@contoso.com', upn: 'b@contoso.com' }, 'a@contoso.com'],
    ['a phone sign-in, then an upn', { preferred_username: '+31 6 1234 5678', upn: 'rita@contoso.com' }, 'rita@contoso.com'],
    ['no address at all', { preferred_username: 'rita', name: 'Rita' }, null],
    ['an app token', {}, null],
  ])('when %s, then the address is %p', (_, payload, expected) => {
    expect(signInAddressOf(payload)).toBe(expected);
  });
});
