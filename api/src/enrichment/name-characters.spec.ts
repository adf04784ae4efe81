import { describeForbiddenCharacter, forbiddenCharacterIn } from './name-characters';

describe('forbiddenCharacterIn', () => {
  it.each<[string, string, string | null, number | null]>([
    ['a plain name', 'Renewals Q3', null, null],
    ['accents, CJK, emoji and Arabic letters', 'Café 東京 😀 مرحبا', null, null],
    ['NUL', 'ab\u0000c', 'U+0000 (NUL)', 3],
    ['a tab', '\tx', 'U+0009 (tab)', 1],
    ['a line feed', 'a\nb', 'U+000A (line feed)', 2],
    ['ESC', 'a\u001b[31m', 'U+001B (control character)', 2],
    ['DEL', 'a\u007f', 'U+007F (delete)', 2],
    ['a C1 control', 'a\u0085', 'U+0085 (control character)', 2],
    ['a right-to-left override', 'inv\u202Ecod.exe', 'U+202E (right-to-left override)', 4],
    ['a left-to-right embedding', '\u202Ax', 'U+202A (left-to-right embedding)', 1],
    ['a first strong isolate', 'x\u2068y', 'U+2068 (first strong isolate)', 2],
    ['a pop directional isolate', 'x\u2069', 'U+2069 (pop directional isolate)', 2],
    ['a left-to-right mark', 'x\u200E', 'U+200E (left-to-right mark)', 2],
    ['a right-to-left mark', '\u200Fx', 'U+200F (right-to-left mark)', 1],
    ['an emoji before the override (positions count characters)', '😀\u202E', 'U+202E (right-to-left override)', 2],
  ])('when the text holds %s, then it is reported', (_label, text, expected, position) => {
    const found = forbiddenCharacterIn(text);
    expect(found ? `${found.codePoint} (${found.label})` : null).toBe(expected);
    expect(found?.position ?? null).toBe(position);
  });

  it('when a character is found, then the message names it and its position', () => {
    expect(describeForbiddenCharacter(forbiddenCharacterIn('ab\u202E')!)).toBe('the character U+202E (right-to-left override) at position 3 is not allowed in a name');
  });
});
