import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeRowsFile } from './dataset-rows-file';
import { MemoryDatasetStore, type DatasetStore, type NewDataset } from './dataset-store';
import { FileDatasetStore } from './file-dataset-store';
import { tempDirs } from '../../../tests/support/temp-dirs';

const ID_A = 'ds_0b0e9c1e-0000-4000-8000-00000000000a';
const ID_B = 'ds_0b0e9c1e-0000-4000-8000-00000000000b';
const AT = new Date('2026-12-01T10:00:00.000Z');

const tempDir = tempDirs('rapport-datasets-');

function dataset(id: string, overrides: Partial<NewDataset> = {}): NewDataset {
  return {
    id,
    kind: 'contacts',
    fileName: 'contacts.csv',
    columns: ['Email', 'AccountId'],
    delimiter: 'comma',
    uploadedAt: '2026-12-01T09:00:00.000Z',
    uploadedBy: 'u-admin',
    ...overrides,
  };
}

/** Rows with what JSON has to escape: quotes, a line break, a backslash, non-ASCII and an emoji. */
const ROWS = [
  ['jane@fabrikam.com', 'A1'],
  ['"quoted", with comma', 'line\nbreak'],
  ['back\\slash', 'Zoë 🚀'],
  ['', 'A4'],
  ['e5@x.com', 'A5'],
  ['e6@x.com', 'A6'],
];

async function* failingAfter(rows: string[][], n: number): AsyncGenerator<string[]> {
  for (const [i, row] of rows.entries()) {
    if (i === n) throw new Error('the upload broke off');
    yield row;
  }
}

describe.each([
  ['MemoryDatasetStore', async (): Promise<DatasetStore> => new MemoryDatasetStore()],
  ['FileDatasetStore', async (): Promise<DatasetStore> => FileDatasetStore.open(await tempDir())],
])('%s', (_name, openStore) => {
  it('when a dataset is created, then its record, preview and rows read back as written', async () => {
    const store = await openStore();
    const record = await store.create(dataset(ID_A), ROWS);
    expect(record).toMatchObject({ id: ID_A, kind: 'contacts', rows: 6, columns: ['Email', 'AccountId'], delimiter: 'comma', preview: ROWS.slice(0, 5) });
    expect(record.bytes).toBeGreaterThan(0);
    expect(await store.get(ID_A)).toEqual(record);
    expect(await store.readRows(ID_A)).toEqual(ROWS);
    expect(await store.list()).toEqual([record]);
  });

  it('when several datasets are stored, then the newest upload is listed first', async () => {
    const store = await openStore();
    await store.create(dataset(ID_A, { uploadedAt: '2026-12-01T09:00:00.000Z' }), ROWS);
    await store.create(dataset(ID_B, { uploadedAt: '2026-12-01T11:00:00.000Z' }), ROWS);
    expect((await store.list()).map((r) => r.id)).toEqual([ID_B, ID_A]);
  });

  it('when the rows fail part way, then nothing is stored', async () => {
    const store = await openStore();
    await expect(store.create(dataset(ID_A), failingAfter(ROWS, 3))).rejects.toThrow('the upload broke off');
    expect(await store.list()).toEqual([]);
    expect(await store.get(ID_A)).toBeUndefined();
  });

  it('when the rows file is written by someone else (an upload worker), then it is committed as create commits', async () => {
    const store = await openStore();
    const { columns, delimiter, ...header } = dataset(ID_A);
    const record = await store.createFromFile(header, async (file) => ({ columns, delimiter, ...(await writeRowsFile(file, columns, ROWS, 5)) }));
    expect(record).toEqual(await store.create(dataset(ID_B), ROWS).then((b) => ({ ...b, id: ID_A })));
    expect(await store.readRows(ID_A)).toEqual(ROWS);
  });

  it('when the writer fails after starting the file, then nothing is stored', async () => {
    const store = await openStore();
    const { columns, ...header } = dataset(ID_A);
    await expect(
      store.createFromFile(header, async (file) => {
        await writeRowsFile(file, columns, ROWS, 5);
        throw new Error('the worker died');
      }),
    ).rejects.toThrow('the worker died');
    expect(await store.list()).toEqual([]);
  });

  it('when the writer reports other sizes than it wrote, then nothing is stored', async () => {
    const store = await openStore();
    const { columns, delimiter, ...header } = dataset(ID_A);
    await expect(
      store.createFromFile(header, async (file) => {
        const written = await writeRowsFile(file, columns, ROWS, 5);
        return { columns, delimiter, ...written, bytes: written.bytes + 1 };
      }),
    ).rejects.toThrow();
    expect(await store.list()).toEqual([]);
  });

  it('when a row does not have one text cell per column, then nothing is stored', async () => {
    const store = await openStore();
    await expect(store.create(dataset(ID_A), [['a', 'b'], ['only one']])).rejects.toThrow(/row 2/);
    expect(await store.list()).toEqual([]);
  });

  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', '../state', `${ID_A}/../x`, ID_A.toUpperCase(), ''])(
    'when the id is %j, then it is simply not found',
    async (id) => {
      const store = await openStore();
      await store.create(dataset(ID_A), ROWS);
      expect(await store.get(id)).toBeUndefined();
      await expect(store.readRows(id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('upload the file again') });
      await store.remove([id]);
      expect(await store.list()).toHaveLength(1);
    },
  );

  it('when a dataset is removed, then it is gone and unknown ids are ignored', async () => {
    const store = await openStore();
    await store.create(dataset(ID_A), ROWS);
    await store.remove([ID_A, ID_B, '__proto__']);
    expect(await store.list()).toEqual([]);
    await expect(store.readRows(ID_A)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('FileDatasetStore on disk', () => {
  it('when the store is opened again, then every dataset reads back, from one record and one rows file each', async () => {
    const dir = await tempDir();
    const store = await FileDatasetStore.open(dir);
    const a = await store.create(dataset(ID_A), ROWS);
    await store.create(dataset(ID_B, { kind: 'accounts', delimiter: 'semicolon' }), [['x', 'y']]);
    expect((await readdir(dir)).sort()).toEqual([`${ID_A}.json`, `${ID_A}.ndjson`, `${ID_B}.json`, `${ID_B}.ndjson`]);
    expect(a.bytes).toBe((await stat(path.join(dir, `${ID_A}.ndjson`))).size);

    const again = await FileDatasetStore.open(dir);
    expect(await again.list()).toEqual(await store.list());
    expect(await again.readRows(ID_A)).toEqual(ROWS);
    expect(await again.get(ID_B)).toMatchObject({ kind: 'accounts', delimiter: 'semicolon', rows: 1 });
  });

  it('when the rows fail part way, then no file is left behind', async () => {
    const dir = await tempDir();
    const store = await FileDatasetStore.open(dir);
    await expect(store.create(dataset(ID_A), failingAfter(ROWS, 3))).rejects.toThrow();
    const { columns, ...header } = dataset(ID_B);
    await expect(
      store.createFromFile(header, async (file) => {
        await writeRowsFile(file, columns, ROWS, 5);
        throw new Error('the worker died');
      }),
    ).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it('when a write was interrupted (a temporary file, rows without a record), then start-up deletes the leftovers', async () => {
    const dir = await tempDir();
    const store = await FileDatasetStore.open(dir);
    await store.create(dataset(ID_A), ROWS);
    // What a crash leaves: a half-written temporary file, and rows renamed before their record.
    await writeFile(path.join(dir, `.tmp-${ID_B}-0a1b2c3d.ndjson`), '{"format":"rapport.dataset-rows/1","colu');
    await writeFile(path.join(dir, `${ID_B}.ndjson`), '{"format":"rapport.dataset-rows/1","columns":["a"]}\n["1"]\n');
    const again = await FileDatasetStore.open(dir);
    expect((await again.list()).map((r) => r.id)).toEqual([ID_A]);
    expect((await readdir(dir)).sort()).toEqual([`${ID_A}.json`, `${ID_A}.ndjson`]);
  });

  it('when a dataset is removed, then both of its files are deleted', async () => {
    const dir = await tempDir();
    const store = await FileDatasetStore.open(dir);
    await store.create(dataset(ID_A), ROWS);
    await store.create(dataset(ID_B), ROWS);
    await store.remove([ID_A]);
    expect((await readdir(dir)).sort()).toEqual([`${ID_B}.json`, `${ID_B}.ndjson`]);
  });

  /** Each case damages a stored dataset the way a disk, a crash or a hand edit could. */
  const damages: { name: string; file: 'json' | 'ndjson'; damage: (file: string) => Promise<void>; found: 'at open' | 'when read'; reason: RegExp }[] = [
    { name: 'the record is not JSON', file: 'json', damage: (f) => writeFile(f, '{"format": "rapport.dataset/1", "id'), found: 'at open', reason: /not valid JSON/ },
    {
      name: 'the record has the wrong shape',
      file: 'json',
      damage: async (f) => writeFile(f, JSON.stringify({ ...JSON.parse(await readFile(f, 'utf8')), rows: 'six' })),
      found: 'at open',
      reason: /rows: /,
    },
    {
      name: 'the record describes another dataset',
      file: 'json',
      damage: async (f) => writeFile(f, JSON.stringify({ ...JSON.parse(await readFile(f, 'utf8')), id: ID_B })),
      found: 'at open',
      reason: new RegExp(`describes ${ID_B}`),
    },
    { name: 'the rows file is missing', file: 'ndjson', damage: (f) => rm(f), found: 'at open', reason: /rows file is missing/ },
    { name: 'the rows file is cut short', file: 'ndjson', damage: (f) => truncate(f, 80), found: 'at open', reason: /bytes long, its record says/ },
    {
      name: 'a row was altered (same size)',
      file: 'ndjson',
      damage: async (f) => writeFile(f, (await readFile(f, 'utf8')).replace('jane@fabrikam.com', 'JANE@fabrikam.com')),
      found: 'when read',
      reason: /checksum/,
    },
    {
      name: 'a line is not JSON (same size)',
      file: 'ndjson',
      damage: async (f) => writeFile(f, (await readFile(f, 'utf8')).replace('["e5@x.com","A5"]', '["e5@x.com","A5"}')),
      found: 'when read',
      reason: /line 6 is not valid JSON/,
    },
    {
      name: 'a row lost a cell (same size)',
      file: 'ndjson',
      damage: async (f) => writeFile(f, (await readFile(f, 'utf8')).replace('["e6@x.com","A6"]', '["e6@x.com  A6" ]')),
      found: 'when read',
      reason: /line 7 is not a row of 2 text cells/,
    },
  ];

  it.each(damages)('when $name, then STORE_CORRUPT names the file $found and both files are moved aside unchanged', async ({ file, damage, found, reason }) => {
    const dir = await tempDir();
    const store = await FileDatasetStore.open(dir, { now: () => AT });
    await store.create(dataset(ID_A), ROWS);
    await store.create(dataset(ID_B), ROWS);
    const damaged = path.join(dir, `${ID_A}.${file}`);
    await damage(damaged);
    const bytes = { json: await readFile(path.join(dir, `${ID_A}.json`)).catch(() => null), ndjson: await readFile(path.join(dir, `${ID_A}.ndjson`)).catch(() => null) };
    const errors: Record<string, unknown>[] = [];
    const logger = { info: () => {}, warn: () => {}, error: (_m: string, fields?: Record<string, unknown>) => void errors.push(fields ?? {}) };

    const again = await FileDatasetStore.open(dir, { now: () => AT, logger });
    if (found === 'when read') {
      expect(await again.get(ID_A)).toMatchObject({ id: ID_A });
      await expect(again.readRows(ID_A)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    }

    const expected = { code: 'STORE_CORRUPT', message: expect.stringMatching(reason), details: expect.objectContaining({ file: `<DATA_DIR>/datasets/${ID_A}.${file}` }) };
    await expect(again.get(ID_A)).rejects.toMatchObject(expected);
    await expect(again.readRows(ID_A)).rejects.toMatchObject(expected);
    expect((await again.list()).map((r) => r.id)).toEqual([ID_B]);
    expect(errors).toEqual([expect.objectContaining({ datasetId: ID_A, file: damaged })]);
    const stamp = '20261201T100000000Z';
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(
      [
        `${ID_B}.json`,
        `${ID_B}.ndjson`,
        ...(bytes.json ? [`${ID_A}.json.corrupt-${stamp}`] : []),
        ...(bytes.ndjson ? [`${ID_A}.ndjson.corrupt-${stamp}`] : []),
      ].sort(),
    );
    // Moved, never rewritten: the copies hold exactly the damaged bytes.
    if (bytes.json) expect(await readFile(path.join(dir, `${ID_A}.json.corrupt-${stamp}`))).toEqual(bytes.json);
    if (bytes.ndjson) expect(await readFile(path.join(dir, `${ID_A}.ndjson.corrupt-${stamp}`))).toEqual(bytes.ndjson);
    // The others are untouched, and a later start does not complain again.
    expect(await again.readRows(ID_B)).toEqual(ROWS);
    expect((await (await FileDatasetStore.open(dir)).list()).map((r) => r.id)).toEqual([ID_B]);
  });
});
