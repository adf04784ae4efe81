import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors';
import { loadFixture, tenantStoreFromObject, validateAllMailboxes } from './fixture';
import { tinyTenant } from './test-tenant';

function writeFolder(dir: string, fx = tinyTenant()): void {
  const { mailboxes, ...tenant } = fx;
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  for (const [id, mb] of Object.entries(mailboxes ?? {})) {
    const d = join(dir, 'mailboxes', id);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'mailFolders.json'), JSON.stringify(mb.mailFolders ?? []));
    // Reverse order on disk: the index must still sort by receivedDateTime.
    writeFileSync(join(d, 'messages.ndjson'), [...(mb.messages ?? [])].reverse().map((m) => JSON.stringify(m)).join('\r\n') + '\n\n');
    writeFileSync(join(d, 'events.ndjson'), (mb.events ?? []).map((e) => JSON.stringify(e)).join('\n'));
  }
}

describe('loadFixture', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-fixture-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a single JSON file is loaded, then directory and mailboxes are served sorted', async () => {
    const file = join(dir, 'tenant.json');
    writeFileSync(file, JSON.stringify(tinyTenant()));
    const store = loadFixture(file);
    expect(store.users.map((u) => u.id)).toContain('u-alice');
    const mb = await store.mailbox('u-alice');
    expect(mb.messageCount).toBe(25);
    expect((await mb.readMessages(0, 2)).map((m) => m.id)).toEqual(['m-01', 'm-02']);
    expect(mb.folderItemCounts.get('f-sent')).toBe(5);
  });

  it('when a folder is loaded, then mailboxes are indexed lazily and read back by offset', async () => {
    writeFolder(dir);
    const store = loadFixture(dir);
    expect(store.mailboxIds().sort()).toEqual(['u-alice', 'u-carol']);
    const mb = await store.mailbox('u-alice');
    expect(mb.messageCount).toBe(25);
    const msgs = await mb.readMessages(10, 13);
    expect(msgs.map((m) => m.id)).toEqual(['m-11', 'm-12', 'm-13']);
    expect(mb.eventCount).toBe(3);
    expect((await mb.readEvents([2, 0])).map((e) => e.id)).toEqual(['e3', 'e1']);
    expect(mb.mailFolders).toHaveLength(5);
    expect(await store.mailbox('u-alice')).toBe(mb);
  });

  it('when an NDJSON line is not JSON, then FIXTURE_INVALID names the file and the line', async () => {
    writeFolder(dir);
    const file = join(dir, 'mailboxes', 'u-carol', 'messages.ndjson');
    writeFileSync(file, '{"id":"a","receivedDateTime":"2025-01-01T00:00:00Z"}\n\n{"id": oops}\n');
    const store = loadFixture(dir);
    await expect(store.mailbox('u-carol')).rejects.toThrow(`${file}:3: not valid JSON`);
    await expect(validateAllMailboxes(store)).rejects.toMatchObject({ code: 'FIXTURE_INVALID', details: { file, line: 3 } });
  });

  it('when an NDJSON line misses a required field, then the error names file, line and field', async () => {
    writeFolder(dir);
    const file = join(dir, 'mailboxes', 'u-alice', 'events.ndjson');
    writeFileSync(file, '{"id":"e","start":{"dateTime":"2025-01-01T00:00:00"}}\n');
    await expect(loadFixture(dir).mailbox('u-alice')).rejects.toThrow(new RegExp(`events\\.ndjson:1: end: `));
  });

  it('when tenant.json is malformed or references unknown members, then FIXTURE_INVALID names the file and path', () => {
    writeFileSync(join(dir, 'tenant.json'), '{\n  "organization": {\n  }\n}');
    expect(() => loadFixture(dir)).toThrow(/tenant\.json: organization\.id/);
    const bad = tinyTenant();
    bad.groups![0]!.members = ['u-alice', 'nobody'];
    try {
      tenantStoreFromObject(bad);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).message).toMatch(/groups\[0\]\.members\[1\]: unknown user, group or contact id "nobody"/);
    }
  });

  it('when a JSON file has a syntax error, then the message has the line number', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n"organization": {\n  "id": \n}\n}');
    expect(() => loadFixture(file)).toThrow(/broken\.json:4: not valid JSON/);
  });

  it('when the path does not exist, then FIXTURE_INVALID', () => {
    expect(() => loadFixture(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'FIXTURE_INVALID' }));
  });
});
