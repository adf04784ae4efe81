import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors';
import { LayoutBudget, loadFixture, tenantStoreFromObject, validateAllMailboxes } from './fixture';
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

  it.each([
    ['a recipient list holds null', '{"id":"a","receivedDateTime":"2025-01-01T00:00:00Z","toRecipients":[null]}', /:2: toRecipients\[0\]: /],
    ['receivedDateTime is not a date', '{"id":"a","receivedDateTime":"soon"}', /:2: receivedDateTime: not an ISO 8601 date-time/],
    ['sentDateTime is not a date', '{"id":"a","receivedDateTime":"2025-01-01T00:00:00Z","sentDateTime":"2025-99-99"}', /:2: sentDateTime: not an ISO 8601 date-time/],
    ['@odata.type is not a message type', '{"@odata.type":"#microsoft.graph.event","id":"a","receivedDateTime":"2025-01-01T00:00:00Z"}', /:2: @odata\.type: /],
    ['id is empty', '{"id":"","receivedDateTime":"2025-01-01T00:00:00Z"}', /:2: id: /],
    ['a served string uses an escape but is valid', '{"id":"\\u0061","receivedDateTime":"2025-01-01T00:00:00Z"}', undefined],
  ])('when a message line is fine but for the one after it, and %s, then the mailbox fails naming file, line and field (or loads when valid)', async (_name, bad, message) => {
    writeFolder(dir);
    const file = join(dir, 'mailboxes', 'u-carol', 'messages.ndjson');
    writeFileSync(file, `{"id":"ok","receivedDateTime":"2025-01-01T00:00:00Z"}\n${bad}\n`);
    const loading = loadFixture(dir).mailbox('u-carol');
    if (message) await expect(loading).rejects.toMatchObject({ code: 'FIXTURE_INVALID', message: expect.stringMatching(message), details: { file, line: 2 } });
    else expect((await loading).messageCount).toBe(2);
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

describe('LayoutBudget', () => {
  const holder = (): { dropped: boolean; dropLayouts(): void } => ({
    dropped: false,
    dropLayouts() {
      this.dropped = true;
    },
  });

  it('when layouts outgrow the budget, then the least recently read are dropped first, and what cannot fit is refused', () => {
    const budget = new LayoutBudget(100);
    const [a, b, c] = [holder(), holder(), holder()];
    expect(budget.admit(a, 40)).toBe(true);
    expect(budget.admit(b, 40)).toBe(true);
    budget.touch(a); // b is now the least recently read
    expect(budget.admit(c, 40)).toBe(true);
    expect([a.dropped, b.dropped, c.dropped]).toEqual([false, true, false]);
    expect(budget.heldBytes).toBe(80);
    expect(budget.admit(holder(), 101)).toBe(false);
    expect(budget.heldBytes).toBe(80);
  });
});
