import { BOB, makeContext, makeDirectory } from './__tests__/builders';
import { addressClassifierFor, createAddressClassifier } from './address-classifier';
import { hashId } from './hashing';
import { defaultRules } from './rules';

describe('createAddressClassifier', () => {
  const ctx = makeContext({ rules: { ...defaultRules(), exclusions: ['@spam.example'] }, hashSalt: 's' });
  const classify = createAddressClassifier(ctx, makeDirectory(undefined, ctx));

  it.each([
    ['Jane@Fabrikam.com', { address: 'jane@fabrikam.com', internal: false, excluded: false, accountId: 'FAB', hash: hashId('s', 'addr', 'jane@fabrikam.com'), memberId: null }],
    ['robert@contoso.com', { address: 'robert@contoso.com', internal: true, excluded: false, accountId: null, hash: null, memberId: BOB.id }],
    ['x@spam.example', { address: 'x@spam.example', internal: false, excluded: true, accountId: null, hash: null, memberId: null }],
    ['someone@adatum.com', { address: 'someone@adatum.com', internal: false, excluded: false, accountId: null, hash: null, memberId: null }],
    ['not an address', null],
  ])('when classifying %s, then the facts are %j', (raw, expected) => {
    expect(classify(raw)).toEqual(expected);
  });

  it('when two spellings normalise to one address, then they share one interned info object', () => {
    expect(classify(' JANE@fabrikam.com')).toBe(classify('jane@fabrikam.com'));
  });

  it('when asked twice for the same run and directory, then addressClassifierFor returns the same classifier', () => {
    const directory = makeDirectory(undefined, ctx);
    expect(addressClassifierFor(ctx, directory)).toBe(addressClassifierFor(ctx, directory));
  });
});
