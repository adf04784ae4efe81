/**
 * A tiny hand-written tenant for the simulator's own tests (and anyone needing a few
 * known messages). Bigger tenants come from `generateTenant`.
 */
import type { FixtureEvent, TenantFixtureInput } from './fixture';

const addr = (address: string): { emailAddress: { name: string; address: string } } => ({ emailAddress: { name: address.split('@')[0]!, address } });

export const TINY_TENANT_ID = '11111111-2222-3333-4444-555555555555';

/** 25 messages for alice (one per day from 2025-01-01), 3 events, groups with a cycle. */
export function tinyTenant(): TenantFixtureInput {
  const folders = [
    { id: 'f-inbox', displayName: 'Inbox', wellKnownName: 'inbox', parentFolderId: null },
    { id: 'f-sent', displayName: 'Sent Items', wellKnownName: 'sentitems', parentFolderId: null },
    { id: 'f-junk', displayName: 'Junk Email', wellKnownName: 'junkemail', parentFolderId: null },
    { id: 'f-junk-sub', displayName: 'Quarantine', parentFolderId: 'f-junk' },
    { id: 'f-hidden', displayName: 'Hidden', parentFolderId: null, isHidden: true },
  ];
  const messages = Array.from({ length: 25 }, (_, i) => {
    const day = String(i + 1).padStart(2, '0');
    return {
      id: `m-${day}`,
      parentFolderId: i % 5 === 0 ? 'f-sent' : 'f-inbox',
      conversationId: `c-${Math.floor(i / 3)}`,
      internetMessageId: `<m-${day}@contoso.com>`,
      isDraft: false,
      from: addr(i % 2 ? 'bob@fabrikam.com' : 'alice@contoso.com'),
      sender: addr(i % 2 ? 'bob@fabrikam.com' : 'alice@contoso.com'),
      toRecipients: [addr(i % 2 ? 'alice@contoso.com' : 'bob@fabrikam.com')],
      ccRecipients: [],
      bccRecipients: i === 0 ? [addr('carol@contoso.com')] : [],
      sentDateTime: `2025-01-${day}T10:00:00Z`,
      receivedDateTime: `2025-01-${day}T10:00:02Z`,
      subject: `Secret subject ${day}`,
      body: { contentType: 'text', content: 'secret body' },
    };
  });
  const event = (id: string, start: string, end: string, extra: Record<string, unknown> = {}): FixtureEvent => ({
    id,
    iCalUId: `ical-${id}`,
    type: 'singleInstance',
    isCancelled: false,
    isAllDay: false,
    subject: 'Secret meeting',
    organizer: addr('alice@contoso.com'),
    attendees: [{ type: 'required', status: { response: 'accepted' }, emailAddress: { address: 'bob@fabrikam.com' } }],
    // Alice organised them: her copy says so, and shows Bob's real answer (DESIGN.md §6).
    responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
    start: { dateTime: start, timeZone: 'UTC' },
    end: { dateTime: end, timeZone: 'UTC' },
    ...extra,
  }) as FixtureEvent;
  return {
    organization: { id: TINY_TENANT_ID, displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] },
    users: [
      { id: 'u-alice', displayName: 'Alice', mail: 'alice@contoso.com', userPrincipalName: 'alice@contoso.com', accountEnabled: true },
      { id: 'u-carol', displayName: 'Carol', mail: 'carol@contoso.com', userPrincipalName: 'carol@contoso.com', accountEnabled: true },
      { id: 'u-dave', displayName: 'Dave', mail: 'dave@contoso.com', userPrincipalName: 'dave@contoso.com', accountEnabled: false },
      { id: 'u-nomail', displayName: 'No Mail', mail: null, userPrincipalName: 'nomail@contoso.com', accountEnabled: true },
    ],
    groups: [
      { id: 'g-sales', displayName: 'Sales', mail: 'sales@contoso.com', members: ['u-alice', 'g-eu'] },
      { id: 'g-eu', displayName: 'EU Sales', mail: 'eusales@contoso.com', proxyAddresses: ['SMTP:eusales@contoso.com', 'smtp:eu@contoso.com'], members: ['u-carol', 'u-dave', 'g-loop'] },
      { id: 'g-loop', displayName: 'Loop', mail: 'loop@contoso.com', members: ['g-sales', 'u-nomail', 'u-alice'] },
    ],
    mailboxes: {
      'u-alice': {
        mailFolders: folders,
        messages,
        events: [
          event('e1', '2025-01-06T09:00:00.0000000', '2025-01-06T09:30:00.0000000'),
          event('e2', '2025-01-31T23:00:00.0000000', '2025-02-01T01:00:00.0000000'),
          event('e3', '2025-03-01T00:00:00.0000000', '2025-03-02T00:00:00.0000000', { isAllDay: true }),
        ],
      },
      'u-carol': { mailFolders: folders, messages: [messages[0]!], events: [] },
    },
  };
}
