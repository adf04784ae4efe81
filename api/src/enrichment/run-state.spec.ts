import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FileRunStateStore } from './run-state';

describe('FileRunStateStore mailbox files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-run-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = (id: string, data: unknown) => writeFile(path.join(dir, 'mailboxes', `${id}.json`), JSON.stringify(data));

  it('when a mailbox file is in the earlier format, then it is outdated (no state), not corrupt', async () => {
    const store = await FileRunStateStore.open(dir);
    await write('u1', { format: 'rapport.mailbox-state/1', id: 'u1', meetings: { format: 'rapport.partial/1' } });
    await expect(store.loadMailbox('u1')).resolves.toBeNull();
  });

  it('when a mailbox file has an unknown format, then it is STORE_CORRUPT naming the file', async () => {
    const store = await FileRunStateStore.open(dir);
    await write('u2', { format: 'something-else', id: 'u2' });
    await expect(store.loadMailbox('u2')).rejects.toMatchObject({ code: 'STORE_CORRUPT', message: expect.stringContaining('u2.json') });
  });
});

describe('FileRunStateStore with damaged files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-run-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.corrupt-20260301T100000000Z`, { recursive: true, force: true });
  });
  const now = () => new Date('2026-03-01T10:00:00Z');
  const mailbox = (id: string) => path.join(dir, 'mailboxes', `${id}.json`);

  it.each([
    ['not JSON', '{"format": "rapport.mailbox-state/2", "id"'],
    ['of an unknown format', JSON.stringify({ format: 'something-else', id: 'u1' })],
  ])('when a mailbox checkpoint is %s and the store heals, then it is moved aside, reads as no state, and the repair is reported once', async (_label, text) => {
    const store = await FileRunStateStore.open(dir, { onDamaged: 'heal', now });
    await writeFile(mailbox('u1'), text);

    await expect(store.loadMailbox('u1')).resolves.toBeNull();

    const moved = `${mailbox('u1')}.corrupt-20260301T100000000Z`;
    expect(await readFile(moved, 'utf8')).toBe(text);
    expect(await store.storedMailboxIds()).toEqual([]);
    expect(store.takeRepairs()).toEqual([
      { file: mailbox('u1'), movedTo: moved, reason: expect.any(String), message: expect.stringMatching(/u1\.json was damaged .*mailbox u1 was read again in full/) },
    ]);
    expect(store.takeRepairs()).toEqual([]);
  });

  it('when settled.bin is damaged and the store heals, then it is moved aside, every checkpoint goes, and every mailbox is read in full', async () => {
    const store = await FileRunStateStore.open(dir, { onDamaged: 'heal', now });
    await writeFile(path.join(dir, 'settled.bin'), 'RAPPORT\u0001 but not much else');
    await writeFile(mailbox('u1'), '{}');
    await writeFile(mailbox('u2'), '{}');

    await expect(store.loadSettled()).resolves.toBeNull();

    expect(await readFile(path.join(dir, 'settled.bin.corrupt-20260301T100000000Z'), 'utf8')).toBe('RAPPORT\u0001 but not much else');
    expect(await store.storedMailboxIds()).toEqual([]);
    expect(store.takeRepairs().map((r) => r.message)).toEqual([expect.stringMatching(/settled\.bin was damaged .*every mailbox was read again in full/)]);
  });

  it('when the root state.json is damaged and the store heals, then the whole folder is moved aside and a fresh one is started', async () => {
    await FileRunStateStore.open(dir);
    await writeFile(mailbox('u1'), '{}');
    await writeFile(path.join(dir, 'state.json'), '{"format":"rapport.run-state/1"}');

    const store = await FileRunStateStore.open(dir, { onDamaged: 'heal', now });

    expect((await store.root()).active).toBeNull();
    expect(await store.storedMailboxIds()).toEqual([]);
    expect(await readdir(`${dir}.corrupt-20260301T100000000Z/mailboxes`)).toEqual(['u1.json']);
    expect(store.takeRepairs()).toEqual([expect.objectContaining({ file: path.join(dir, 'state.json'), movedTo: `${dir}.corrupt-20260301T100000000Z` })]);
  });

  it.each([
    ['a mailbox checkpoint', async (store: FileRunStateStore) => {
      await writeFile(mailbox('u1'), '{');
      return store.loadMailbox('u1');
    }, () => mailbox('u1'), '{'],
    ['settled.bin', async (store: FileRunStateStore) => {
      await writeFile(path.join(dir, 'settled.bin'), 'junk');
      return store.loadSettled();
    }, () => path.join(dir, 'settled.bin'), 'junk'],
  ])('when %s is damaged and the store fails (the CLI), then STORE_CORRUPT names it and it stays untouched', async (_label, damageAndLoad, file, text) => {
    const store = await FileRunStateStore.open(dir, { onDamaged: 'fail', now });
    await expect(damageAndLoad(store)).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: expect.objectContaining({ file: file() }) });
    expect(await readFile(file(), 'utf8')).toBe(text);
    expect(store.takeRepairs()).toEqual([]);
  });
});
