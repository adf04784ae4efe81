import { jsonDepthExceeded } from './json-body';

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

describe('jsonDepthExceeded', () => {
  it.each<[string, string, number, { depth: number; byteOffset: number } | null]>([
    ['a flat object', '{"a":1,"b":[1,2]}', 2, null],
    ['exactly the limit', deep(3), 3, null],
    ['one past the limit', deep(4), 3, { depth: 4, byteOffset: 3 }],
    ['brackets inside strings', '{"a":"[[[[{{{{"}', 1, null],
    ['an escaped quote inside a string', '{"a":"\\"[[[["}', 1, null],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":[[1]]}', 2, { depth: 3, byteOffset: 15 }],
    ['siblings that never nest deep', '[[1],[2],[3],[4]]', 2, null],
    ['a 1,000-deep segment rule', '{"rule":' + '{"children":['.repeat(1000) + ']}'.repeat(1000) + '}', 32, { depth: 33, byteOffset: 8 + 15 * 13 + 12 }],
  ])('when the body is %s, then the first level past the limit is found', (_label, text, max, expected) => {
    expect(jsonDepthExceeded(Buffer.from(text), max)).toEqual(expected);
  });
});
