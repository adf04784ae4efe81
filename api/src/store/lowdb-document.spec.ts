import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LowdbDocument } from './lowdb-document';
import { MemoryDocument } from './document-store';

interface Doc {
  n: number;
  items: string[];
}
const defaults = (): Doc => ({ n: 0, items: [] });

const tempDirs: string[] = [];
async function tempFile(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-store-'));
  tempDirs.push(dir);
  return path.join(dir, 'state.json');
}
afterAll(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe('LowdbDocument', () => {
  it('when the file does not exist, then the defaults are used and nothing is written until a change', async () => {
    const file = await tempFile();
    const doc = await LowdbDocument.open(file, defaults);
    expect(await doc.read()).toEqual({ n: 0, items: [] });
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('when a change is committed, then a reopened document reads it back', async () => {
    const file = await tempFile();
    const doc = await LowdbDocument.open(file, defaults);
    await doc.update((d) => {
      d.n = 2;
      d.items.push('a');
    });
    const again = await LowdbDocument.open(file, defaults);
    expect(await again.read()).toEqual({ n: 2, items: ['a'] });
  });

  it('when a change throws, then neither the file nor the committed value change', async () => {
    const file = await tempFile();
    const doc = await LowdbDocument.open(file, defaults);
    await doc.update((d) => void (d.n = 1));
    await expect(
      doc.update((d) => {
        d.n = 99;
        throw new Error('bad input');
      }),
    ).rejects.toThrow('bad input');
    expect((await doc.read()).n).toBe(1);
    expect(JSON.parse(await readFile(file, 'utf8')).n).toBe(1);
  });

  it('when updates run concurrently, then they are serialised and none is lost', async () => {
    const file = await tempFile();
    const doc = await LowdbDocument.open(file, defaults);
    await Promise.all(Array.from({ length: 25 }, (_, i) => doc.update((d) => void d.items.push(String(i)))));
    const again = await LowdbDocument.open(file, defaults);
    expect((await again.read()).items).toHaveLength(25);
    // Atomic writes leave no temporary file behind.
    expect(await readdir(path.dirname(file))).toEqual(['state.json']);
  });

  it('when the file is not valid JSON, then STORE_CORRUPT names the file and the file is kept as it was', async () => {
    const file = await tempFile();
    await writeFile(file, '{"n": 1, "items": [');
    await expect(LowdbDocument.open(file, defaults)).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: { file } });
    await expect(LowdbDocument.open(file, defaults)).rejects.toThrow(/left untouched/);
    expect(await readFile(file, 'utf8')).toBe('{"n": 1, "items": [');
  });

  it('when the file has the wrong shape, then STORE_CORRUPT says which field', async () => {
    const file = await tempFile();
    await writeFile(file, JSON.stringify({ n: 'x', items: [] }));
    const schema = z.object({ n: z.number(), items: z.array(z.string()) });
    await expect(LowdbDocument.open(file, defaults, schema)).rejects.toThrow(/n: /);
  });
});

describe('LowdbDocument with a damaged file', () => {
  const schema = z.object({ n: z.number(), items: z.array(z.string()) });
  const now = () => new Date('2026-03-01T10:00:00Z');
  const moved = (file: string) => `${file}.corrupt-20260301T100000000Z`;

  it.each([
    ['not valid JSON', '{"n": 1, "items": [', /not valid JSON/],
    ['of the wrong shape', JSON.stringify({ n: 1, items: 'a' }), /items: /],
  ])('when the file is %s and the policy moves it aside and fails, then one error names both files and nothing is overwritten', async (_label, text, reason) => {
    const file = await tempFile();
    await writeFile(file, text);

    const opening = LowdbDocument.open(file, defaults, { schema, onCorrupt: 'move-aside-and-fail', now });

    await expect(opening).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: { file, movedTo: moved(file) } });
    const error = await LowdbDocument.open(file, defaults, { schema, onCorrupt: 'move-aside-and-fail', now }).then(
      () => null,
      (e: Error) => e,
    );
    // The second open finds no file: it starts from the defaults.
    expect(error).toBeNull();
    await expect(opening).rejects.toThrow(reason);
    await expect(opening).rejects.toThrow(new RegExp(`moved to ${moved(file).replace(/[.]/g, '\\.')}`));
    expect(((await opening.catch((e: Error) => e)) as Error).message).not.toContain('\n');
    expect(await readFile(moved(file), 'utf8')).toBe(text);
  });

  it('when the policy starts empty, then the damaged file is moved aside, a warning names it, and the defaults are used', async () => {
    const file = await tempFile();
    await writeFile(file, JSON.stringify({ n: 'x', items: [] }));
    const logger = { warn: jest.fn() };

    const doc = await LowdbDocument.open(file, defaults, { schema, onCorrupt: 'move-aside-and-start-empty', now, logger });

    expect(await doc.read()).toEqual(defaults());
    expect(logger.warn).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ file, movedTo: moved(file) }));
    expect(await readdir(path.dirname(file))).toEqual([path.basename(moved(file))]);
  });

  it('when the file is damaged and the policy keeps it, then it stays where it is, byte for byte', async () => {
    const file = await tempFile();
    await writeFile(file, '[1,');
    await expect(LowdbDocument.open(file, defaults, { schema, onCorrupt: 'keep' })).rejects.toThrow(/left untouched/);
    expect(await readdir(path.dirname(file))).toEqual(['state.json']);
  });

  it('when a damaged copy of the same moment exists, then the second copy gets its own name', async () => {
    const file = await tempFile();
    await writeFile(file, '[1,');
    await writeFile(moved(file), 'an earlier damage');
    await expect(LowdbDocument.open(file, defaults, { onCorrupt: 'move-aside-and-fail', now })).rejects.toMatchObject({ details: { movedTo: `${moved(file)}-1` } });
    expect(await readFile(moved(file), 'utf8')).toBe('an earlier damage');
  });
});

describe('MemoryDocument', () => {
  it('when a change throws, then the write count and the value stay unchanged', async () => {
    const doc = new MemoryDocument<Doc>(defaults());
    await doc.update((d) => void (d.n = 1));
    await expect(doc.update(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(doc.writes).toBe(1);
    expect((await doc.read()).n).toBe(1);
  });
});
