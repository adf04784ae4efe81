import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatasetStore } from './file-dataset-store';
import { tempDirs } from '../../../tests/support/temp-dirs';

const ID_A = 'ds_0b0e9c1e-0000-4000-8000-00000000000a';
const ID_B = 'ds_0b0e9c1e-0000-4000-8000-00000000000b';
const AT = new Date('2026-12-01T10:00:00.000Z');
const STAMP = '20261201T100000000Z';

const dataDir = tempDirs('rapport-legacy-');

const meta = (id: string, rows: number, extra: Record<string, unknown> = {}) => ({
  id,
  kind: 'contacts',
  fileName: `${id}.csv`,
  rows,
  columns: ['Email', 'AccountId'],
  uploadedAt: id === ID_A ? '2026-11-01T09:00:00.000Z' : '2026-11-02T09:00:00.000Z',
  uploadedBy: 'u-admin',
  ...extra,
});
const rowsA = [
  ['jane@fabrikam.com', 'A'],
  ['bob@northwind.com', 'B'],
];
const rowsB = [['carol@contoso.com', 'C']];

/** The pre-issue-14 document, as lowdb wrote it (pretty-printed). */
function legacyText(datasets: Record<string, unknown>): string {
  return JSON.stringify({ format: 'rapport.datasets/1', datasets }, null, 2);
}

function recordingLogger() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields: Record<string, unknown> = {}) => void lines.push({ level, message, fields });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('migrating datasets.json', () => {
  it('when the legacy file is read, then every dataset becomes files of its own and the old file is renamed, not deleted', async () => {
    const dir = await dataDir();
    const text = legacyText({ [ID_A]: { meta: meta(ID_A, 2), rows: rowsA }, [ID_B]: { meta: meta(ID_B, 1), rows: rowsB } });
    await writeFile(path.join(dir, 'datasets.json'), text);

    const store = await openDatasetStore(dir, { now: () => AT });
    expect((await store.list()).map((r) => [r.id, r.fileName, r.rows, r.uploadedAt, r.delimiter])).toEqual([
      [ID_B, `${ID_B}.csv`, 1, '2026-11-02T09:00:00.000Z', 'comma'],
      [ID_A, `${ID_A}.csv`, 2, '2026-11-01T09:00:00.000Z', 'comma'],
    ]);
    expect(await store.readRows(ID_A)).toEqual(rowsA);
    expect(await readdir(dir)).toEqual(expect.arrayContaining([`datasets.json.migrated-${STAMP}`, 'datasets']));
    expect(await readdir(dir)).not.toContain('datasets.json');
    expect(await readFile(path.join(dir, `datasets.json.migrated-${STAMP}`), 'utf8')).toBe(text);

    // Once: the next start finds no legacy file and the same datasets.
    const again = await openDatasetStore(dir);
    expect(await again.readRows(ID_B)).toEqual(rowsB);
  });

  it('when a migration was interrupted after some datasets, then it is done again without duplicating them', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, 'datasets.json'), legacyText({ [ID_A]: { meta: meta(ID_A, 2), rows: rowsA } }));
    await openDatasetStore(dir, { now: () => AT });
    // The crash came before the rename: the legacy file is there again, now with a second dataset.
    await writeFile(path.join(dir, 'datasets.json'), legacyText({ [ID_A]: { meta: meta(ID_A, 2), rows: rowsA }, [ID_B]: { meta: meta(ID_B, 1), rows: rowsB } }));
    const { lines, logger } = recordingLogger();
    const store = await openDatasetStore(dir, { now: () => new Date('2026-12-01T11:00:00.000Z'), logger });
    expect((await store.list()).map((r) => r.id)).toEqual([ID_B, ID_A]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', fields: expect.objectContaining({ migrated: 1, skipped: 1 }) }));
  });

  const unreadable: { name: string; text: string; reason: RegExp }[] = [
    { name: 'not JSON', text: '{"format":"rapport.datasets/1","datasets":{"ds_', reason: /not valid JSON/ },
    { name: 'another format', text: '{"format":"rapport.state/1","datasets":{}}', reason: /format: / },
    { name: 'datasets that are not an object', text: '{"format":"rapport.datasets/1","datasets":[]}', reason: /datasets: / },
  ];

  it.each(unreadable)('when the legacy file is $name, then STORE_CORRUPT is logged naming it, it is moved aside unchanged, and the store opens empty', async ({ text, reason }) => {
    const dir = await dataDir();
    await writeFile(path.join(dir, 'datasets.json'), text);
    const { lines, logger } = recordingLogger();
    const store = await openDatasetStore(dir, { now: () => AT, logger });
    expect(await store.list()).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('STORE_CORRUPT'),
        fields: expect.objectContaining({ file: path.join(dir, 'datasets.json'), movedTo: path.join(dir, `datasets.json.corrupt-${STAMP}`), reason: expect.stringMatching(reason) }),
      }),
    ]);
    expect(await readFile(path.join(dir, `datasets.json.corrupt-${STAMP}`), 'utf8')).toBe(text);
  });

  /** Entries that cannot be trusted; the good dataset next to them is migrated all the same. */
  const badEntries: { name: string; key: string; entry: unknown; reason: RegExp }[] = [
    { name: 'a __proto__ key', key: '__proto__', entry: { meta: meta('__proto__', 1), rows: rowsB }, reason: /not a dataset id/ },
    { name: 'a key that differs from its meta id', key: ID_B, entry: { meta: meta('ds_0b0e9c1e-0000-4000-8000-00000000000c', 1), rows: rowsB }, reason: /stored under/ },
    { name: 'a row with a missing cell', key: ID_B, entry: { meta: meta(ID_B, 1), rows: [['carol@contoso.com']] }, reason: /row 1 is not 2 text cells/ },
    { name: 'a row count that differs from the meta', key: ID_B, entry: { meta: meta(ID_B, 5), rows: rowsB }, reason: /holds 1 rows, its meta says 5/ },
    { name: 'meta of the wrong shape', key: ID_B, entry: { meta: { ...meta(ID_B, 1), kind: 'leads' }, rows: rowsB }, reason: /meta: .*kind/ },
  ];

  it.each(badEntries)('when the file holds $name, then the others are migrated and the file is moved aside with STORE_CORRUPT', async ({ key, entry, reason }) => {
    const dir = await dataDir();
    // Built as text: an object literal would turn a "__proto__" key into a prototype, not a key.
    const text = `{"format":"rapport.datasets/1","datasets":{${JSON.stringify(ID_A)}:${JSON.stringify({ meta: meta(ID_A, 2), rows: rowsA })},${JSON.stringify(key)}:${JSON.stringify(entry)}}}`;
    await writeFile(path.join(dir, 'datasets.json'), text);
    const { lines, logger } = recordingLogger();
    const store = await openDatasetStore(dir, { now: () => AT, logger });
    expect((await store.list()).map((r) => r.id)).toEqual([ID_A]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringContaining('STORE_CORRUPT'),
        fields: expect.objectContaining({ file: path.join(dir, 'datasets.json'), damaged: [{ id: key, reason: expect.stringMatching(reason) }], migrated: 1 }),
      }),
    ]);
    expect(await readFile(path.join(dir, `datasets.json.corrupt-${STAMP}`), 'utf8')).toBe(text);
  });
});
