import { hashId } from './hashing';

describe('hashId', () => {
  it('when the inputs are equal, then the hashes are equal and 16 url-safe characters long', () => {
    expect(hashId('', 'msg', '<a@b>')).toBe(hashId('', 'msg', '<a@b>'));
    expect(hashId('', 'msg', '<a@b>')).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it.each([
    [['', 'msg', '<a@b>'], ['', 'conv', '<a@b>']],
    [['', 'msg', '<a@b>'], ['salt', 'msg', '<a@b>']],
    [['', 'mbxmsg', 'ab', 'c'], ['', 'mbxmsg', 'a', 'bc']],
  ] as const)('when kind, salt or part boundaries differ (%j vs %j), then the hashes differ', (a, b) => {
    const [saltA, kindA, ...partsA] = a;
    const [saltB, kindB, ...partsB] = b;
    expect(hashId(saltA, kindA, ...partsA)).not.toBe(hashId(saltB, kindB, ...partsB));
  });

  it('when the id is hashed, then the clear text does not appear in it', () => {
    expect(hashId('', 'addr', 'jane@fabrikam.com')).not.toContain('jane');
  });
});
