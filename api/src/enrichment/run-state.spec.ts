import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
