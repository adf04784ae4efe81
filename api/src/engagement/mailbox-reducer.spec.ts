import { ALICE, BOB, evt, makeContext, makeDirectory, msg } from './__tests__/builders';
import { createMailboxReducer } from './mailbox-reducer';
import { serializePartial } from './partial-serialization';

const ctx = makeContext();
const directory = makeDirectory();

describe('createMailboxReducer', () => {
  it('when pages stream in, then the partial keeps entries only for account-relevant items and a timeline for every conversation', () => {
    // Arrange
    const reducer = createMailboxReducer(ctx, directory, ALICE, new Set(['junk']));
    // Act: two pages, one duplicate copy (Inbox and Deleted Items), one internal-only, one junk.
    reducer.addMessages([
      msg({ imid: '<a@x>', to: ['jane@fabrikam.com'], conv: 'c1', sent: '2026-01-02T10:00:00Z' }),
      msg({ imid: '<b@x>', to: [BOB.mail], conv: 'c2', sent: '2026-01-02T11:00:00Z' }),
    ]);
    reducer.addMessages([
      msg({ imid: '<a@x>', to: ['jane@fabrikam.com'], conv: 'c1', sent: '2026-01-02T10:00:00Z', folder: 'deleted' }),
      msg({ imid: '<c@x>', from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c3', sent: '2026-01-02T12:00:00Z', folder: 'junk' }),
    ]);
    reducer.addEvents([evt({ attendees: [['jane@fabrikam.com']], start: '2026-01-03T09:00:00Z' }), evt({ attendees: [[BOB.mail]], start: '2026-01-03T10:00:00Z' })]);
    const partial = reducer.finish();
    // Assert
    expect(partial.mailboxes).toEqual([ALICE.id]);
    expect(partial.emails.size).toBe(1);
    expect(partial.meetings.size).toBe(1);
    expect(partial.threads.size).toBe(2);
    expect([...partial.threads.values()].map((t) => t.length)).toEqual([1, 1]);
    expect(partial.contacts.size).toBe(1);
  });

  it('when a conversation timeline gets copies out of order, then finish sorts it and drops duplicates', () => {
    const reducer = createMailboxReducer(ctx, directory, ALICE, new Set());
    reducer.addMessages([
      msg({ imid: '<2@x>', to: [BOB.mail], conv: 'c', sent: '2026-01-02T11:00:00Z' }),
      msg({ imid: '<1@x>', from: 'jane@fabrikam.com', to: [ALICE.mail], conv: 'c', sent: '2026-01-02T10:00:00Z' }),
      msg({ imid: '<2@x>', to: [BOB.mail], conv: 'c', sent: '2026-01-02T11:00:00Z' }),
    ]);
    const [timeline] = [...reducer.finish().threads.values()];
    expect(timeline).toEqual([Date.parse('2026-01-02T10:00:00Z') * 2, Date.parse('2026-01-02T11:00:00Z') * 2 + 1]);
  });

  const AT = (h: number): string => `2026-01-02T${String(h).padStart(2, '0')}:00:00Z`;
  it.each([
    ['one copy', [11], [11]],
    ['two in order', [10, 11], [10, 11]],
    ['two out of order', [11, 10], [10, 11]],
    ['two copies of one email', [10, 10], [10]],
    ['three, one repeated', [12, 10, 12], [10, 12]],
  ])('when a conversation gets %s, then its timeline is sorted and unique', (_label, hours, expected) => {
    const reducer = createMailboxReducer(ctx, directory, ALICE, new Set());
    reducer.addMessages(hours.map((h) => msg({ imid: `<${h}@x>`, to: [BOB.mail], conv: 'c', sent: AT(h) })));
    reducer.addMessages([msg({ imid: '<other@x>', to: [BOB.mail], conv: 'other', sent: AT(9) })]);
    const threads = reducer.finish().threads;
    expect(threads.size).toBe(2);
    expect([...threads.values()]).toContainEqual(expected.map((h) => Date.parse(AT(h)) * 2 + 1));
  });

  it('when the reducer is finished, then adding more pages fails loudly', () => {
    const reducer = createMailboxReducer(ctx, directory, ALICE, new Set());
    reducer.finish();
    expect(() => reducer.addMessages([])).toThrow('already finished');
  });

  it('when many copies of one email arrive, then the partial stays one entry (memory does not grow per copy)', () => {
    const reducer = createMailboxReducer(ctx, directory, ALICE, new Set());
    const page = Array.from({ length: 3000 }, () => msg({ imid: '<same@x>', to: ['jane@fabrikam.com'], conv: 'c', sent: '2026-01-02T10:00:00Z' }));
    reducer.addMessages(page);
    const serialized = serializePartial(reducer.finish());
    expect(serialized.emails).toHaveLength(1);
    expect(serialized.threads[0][1]).toHaveLength(1);
  });
});
