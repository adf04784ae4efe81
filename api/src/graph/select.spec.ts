import { eventSchema, messageSchema } from './schemas';
import { EVENT_FIELDS, FORBIDDEN_FIELDS, MESSAGE_FIELDS, USER_FIELDS } from './select';

describe('allow-listed $select', () => {
  it('when the message allow-list is read, then it is exactly the DESIGN.md §5 list', () => {
    expect([...MESSAGE_FIELDS]).toEqual([
      'id', 'conversationId', 'conversationIndex', 'internetMessageId', 'from', 'sender', 'toRecipients',
      'ccRecipients', 'bccRecipients', 'sentDateTime', 'receivedDateTime', 'isDraft', 'parentFolderId',
    ]);
  });

  it('when the event allow-list is read, then it is exactly the DESIGN.md §5 list', () => {
    expect([...EVENT_FIELDS]).toEqual(['id', 'iCalUId', 'type', 'seriesMasterId', 'isCancelled', 'isAllDay', 'organizer', 'attendees', 'start', 'end']);
  });

  it('when any allow-list is searched for content fields, then none is there, in any case', () => {
    const all = [...MESSAGE_FIELDS, ...EVENT_FIELDS, ...USER_FIELDS].map((f) => f.toLowerCase());
    for (const forbidden of FORBIDDEN_FIELDS) expect(all).not.toContain(forbidden.toLowerCase());
    expect([...FORBIDDEN_FIELDS]).toEqual(['subject', 'body', 'bodyPreview', 'uniqueBody', 'internetMessageHeaders']);
  });

  it('when the edge schemas are compared with the allow-lists, then they name exactly the same fields', () => {
    expect(Object.keys(messageSchema.shape).sort()).toEqual([...MESSAGE_FIELDS].sort());
    expect(Object.keys(eventSchema.shape).sort()).toEqual([...EVENT_FIELDS].sort());
  });

  it('when a payload carries content fields, then the schemas strip them at every level', () => {
    const parsed = messageSchema.parse({
      id: 'm1', subject: 'secret', body: { content: 'secret' }, bodyPreview: 'secret', uniqueBody: {}, internetMessageHeaders: [],
      from: { emailAddress: { address: 'a@b.com', name: 'A', extra: 'x' }, other: 1 },
    });
    expect(parsed).toEqual({ id: 'm1', from: { emailAddress: { address: 'a@b.com', name: 'A' } } });
    expect(eventSchema.parse({ id: 'e1', subject: 's', body: {}, bodyPreview: 'p', location: {} })).toEqual({ id: 'e1' });
  });
});
