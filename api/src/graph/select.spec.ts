import { eventSchema, messageSchema } from './schemas';
import { EVENT_FIELDS, FOLDER_FIELDS, FORBIDDEN_FIELDS, MESSAGE_FIELDS, USER_FIELDS } from './select';

describe('allow-listed $select', () => {
  it('when the message allow-list is read, then it is exactly the DESIGN.md §5 list', () => {
    expect([...MESSAGE_FIELDS]).toEqual([
      'id', 'conversationId', 'conversationIndex', 'internetMessageId', 'from', 'sender', 'toRecipients',
      'ccRecipients', 'bccRecipients', 'sentDateTime', 'receivedDateTime', 'isDraft', 'parentFolderId',
    ]);
  });

  it('when the event allow-list is read, then it is exactly the DESIGN.md §5 list', () => {
    expect([...EVENT_FIELDS]).toEqual(['id', 'iCalUId', 'type', 'seriesMasterId', 'isCancelled', 'isAllDay', 'organizer', 'attendees', 'responseStatus', 'start', 'end']);
  });

  it('when the folder allow-list is read, then it is within the DESIGN.md §5 list', () => {
    const design = ['id', 'displayName', 'parentFolderId', 'childFolderCount', 'isHidden'];
    expect(FOLDER_FIELDS.every((f) => design.includes(f))).toBe(true);
    expect([...FOLDER_FIELDS]).toEqual(['id', 'childFolderCount', 'isHidden']);
  });

  it('when any allow-list is searched for content fields, then none is there, in any case', () => {
    const all = [...MESSAGE_FIELDS, ...EVENT_FIELDS, ...USER_FIELDS, ...FOLDER_FIELDS].map((f) => f.toLowerCase());
    for (const forbidden of FORBIDDEN_FIELDS) expect(all).not.toContain(forbidden.toLowerCase());
    expect([...FORBIDDEN_FIELDS]).toEqual(['subject', 'body', 'bodyPreview', 'uniqueBody', 'internetMessageHeaders']);
  });

  it('when the edge schemas are compared with the allow-lists, then they name exactly the same fields', () => {
    // Besides the selected fields, a message keeps only the type annotation Graph adds to derived types.
    expect(Object.keys(messageSchema.shape).sort()).toEqual(['@odata.type', ...MESSAGE_FIELDS].sort());
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

  it('when a meeting message or an event copy carries its own content fields, then only the type, allow-listed fields and the response survive', () => {
    const invitation = messageSchema.parse({
      '@odata.type': '#microsoft.graph.eventMessageRequest',
      '@odata.etag': 'W/"x"',
      id: 'm2',
      subject: 'Quarterly review',
      meetingMessageType: 'meetingRequest',
      startDateTime: { dateTime: '2026-01-01T10:00:00', timeZone: 'UTC' },
      location: { displayName: 'Room 1' },
      previousLocation: { displayName: 'Room 2' },
      isDraft: false,
    });
    expect(invitation).toEqual({ '@odata.type': '#microsoft.graph.eventMessageRequest', id: 'm2', isDraft: false });
    const copy = eventSchema.parse({ id: 'e2', responseStatus: { response: 'declined', time: '2026-01-01T00:00:00Z', comment: 'secret' }, subject: 's' });
    expect(copy).toEqual({ id: 'e2', responseStatus: { response: 'declined', time: '2026-01-01T00:00:00Z' } });
  });
});
