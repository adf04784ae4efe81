import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors';
import { incompleteTail, invalidUtf8Offset, utf8Problem, Utf8Guard, type Utf8Position } from './utf8';

const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('invalidUtf8Offset', () => {
  it.each<[string, Buffer, number]>([
    ['ASCII', bytes('abc'), -1],
    ['2-, 3- and 4-byte characters', bytes('é€😀'), -1],
    ['a BOM', bytes([0xef, 0xbb, 0xbf], 'a'), -1],
    ['a Latin-1 é', bytes('caf', [0xe9]), 3],
    ['a lone continuation byte', bytes('ab', [0x80], 'c'), 2],
    ['an overlong 2-byte form (C0 AF)', bytes('a', [0xc0, 0xaf]), 1],
    ['an overlong 3-byte form (E0 80 AF)', bytes([0xe0, 0x80, 0xaf]), 0],
    ['a surrogate (ED A0 80)', bytes('x', [0xed, 0xa0, 0x80]), 1],
    ['a code point above U+10FFFF (F4 90 80 80)', bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ['F5 and above', bytes('ok', [0xf5, 0x80, 0x80, 0x80]), 2],
    ['a sequence cut off by the end', bytes('ab', [0xe2, 0x82]), 2],
    ['a sequence broken by ASCII', bytes([0xe2, 0x82], 'A'), 0],
  ])('when the bytes hold %s, then the offset is %i', (_label, input, offset) => {
    expect(invalidUtf8Offset(input)).toBe(offset);
  });
});

describe('incompleteTail', () => {
  it.each<[string, Buffer, number]>([
    ['ends on ASCII', bytes('ab'), 0],
    ['ends on a whole €', bytes('a€'), 0],
    ['ends on the first byte of €', bytes('a', [0xe2]), 1],
    ['ends on two bytes of €', bytes('a', [0xe2, 0x82]), 2],
    ['ends on three bytes of 😀', bytes([0xf0, 0x9f, 0x98]), 3],
    ['ends on a byte that never starts a sequence', bytes('a', [0xff]), 0],
  ])('when the chunk %s, then %i bytes wait for the next chunk', (_label, input, tail) => {
    expect(incompleteTail(input)).toBe(tail);
  });
});

describe('Utf8Guard', () => {
  const run = async (chunks: Buffer[]): Promise<{ out: Buffer; error: AppError | null }> => {
    const out: Buffer[] = [];
    const guard = new Utf8Guard((p: Utf8Position) => new AppError('ENCODING_INVALID', `at ${p.byteOffset} line ${p.line}`, { ...p }));
    guard.on('data', (c: Buffer) => out.push(c));
    try {
      await pipeline(Readable.from(chunks), guard);
      return { out: Buffer.concat(out), error: null };
    } catch (e) {
      return { out: Buffer.concat(out), error: e as AppError };
    }
  };

  it('when a character is split across every possible chunk boundary, then the bytes pass through unchanged', async () => {
    const text = bytes('a,b\nçé€😀,x\n');
    for (let cut = 1; cut < text.length; cut += 1) {
      const { out, error } = await run([text.subarray(0, cut), text.subarray(cut)]);
      expect(error).toBeNull();
      expect(out.equals(text)).toBe(true);
    }
  });

  it('when one byte arrives at a time, then the stream still passes', async () => {
    const text = bytes('€😀é');
    const { out, error } = await run([...text].map((b) => Buffer.from([b])));
    expect(error).toBeNull();
    expect(out.equals(text)).toBe(true);
  });

  it('when a bad byte comes in a later chunk, then the offset and line count from the start of the stream', async () => {
    const { error } = await run([bytes('h1,h2\n'), bytes('a,b\n', 'c,d', [0xe9], '\n')]);
    expect(error).toMatchObject({ code: 'ENCODING_INVALID', details: { byteOffset: 13, line: 3 } });
  });

  it('when the stream ends inside a character, then the offset is where that character starts', async () => {
    const { error } = await run([bytes('ab\n', [0xf0, 0x9f])]);
    expect(error).toMatchObject({ details: { byteOffset: 3, line: 2 } });
  });
});

describe('utf8Problem', () => {
  it('when a whole document is checked, then the first bad byte and its line come back', () => {
    expect(utf8Problem(bytes('{"a":\n"', [0xff], '"}'))).toEqual({ byteOffset: 7, line: 2 });
    expect(utf8Problem(bytes('{"a":"é"}'))).toBeNull();
  });
});
