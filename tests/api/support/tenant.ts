/**
 * A hand-made tenant whose numbers are known: seven customer accounts, each with a story
 * that decides whether DESIGN.md §3 calls it stale at T.
 *
 *   A Fabrikam   email 10 days ago (and a reply 9 days ago)        not stale
 *   B Northwind  email 90 days ago, meeting 100 days ago           stale
 *   C Tailspin   email 90 days ago, a meeting in 5 days            not stale (upcoming meeting)
 *   D Litware    nothing                                           stale (null = never)
 *   E Adatum     meeting 30 days ago, email 200 days ago           not stale
 *   F Proseware  email exactly 60 days ago                         not stale (60 is not > 60)
 *   G Wingtip    email 61 days ago                                 stale
 */
import type { TenantFixtureInput } from '../../../api/src/simulator';

export const T = '2026-03-02T12:00:00.000Z';
export const TENANT_ID = '9d2b6f1c-1111-4222-8333-944455556666';
const DAY = 86_400_000;

export const STALE_AT_DEFAULTS = ['B', 'D', 'G'];
/** staleDays 20, upcoming meetings do not suppress. */
export const STALE_AT_20_WITHOUT_SUPPRESSION = ['B', 'C', 'D', 'E', 'F', 'G'];

export const CONTACTS_CSV = [
  'Email,AccountId,AccountName',
  'jane@fabrikam.com,A,Fabrikam',
  'tom@northwind.com,B,Northwind Traders',
  'kim@tailspin.com,C,Tailspin Toys',
  'lee@litware.com,D,Litware',
  'ann@adatum.com,E,Adatum',
  'pat@proseware.com,F,Proseware',
  'sam@wingtip.com,G,Wingtip',
].join('\n');

const at = (daysAgo: number, hour = 0): string => new Date(Date.parse(T) - daysAgo * DAY + hour * 3_600_000).toISOString();
const addr = (address: string) => ({ emailAddress: { name: address.split('@')[0], address } });
const graphTime = (iso: string) => ({ dateTime: iso.replace('Z', '').replace(/\.\d{3}$/, '.0000000'), timeZone: 'UTC' });

let seq = 0;
function message(folder: 'f-inbox' | 'f-sent', from: string, to: string, sent: string, conversation: string) {
  seq += 1;
  return {
    id: `m-${seq}`,
    parentFolderId: folder,
    conversationId: conversation,
    internetMessageId: `<m-${seq}@test>`,
    isDraft: false,
    from: addr(from),
    sender: addr(from),
    toRecipients: [addr(to)],
    ccRecipients: [],
    bccRecipients: [],
    sentDateTime: sent,
    receivedDateTime: sent,
    subject: 'never requested',
  };
}

function meeting(id: string, start: string, minutes: number, attendee: string) {
  return {
    id,
    iCalUId: `ical-${id}`,
    type: 'singleInstance' as const,
    isCancelled: false,
    isAllDay: false,
    organizer: addr('alice@contoso.com'),
    attendees: [{ type: 'required', status: { response: 'accepted' }, emailAddress: { address: attendee } }],
    start: graphTime(start),
    end: graphTime(new Date(Date.parse(start) + minutes * 60_000).toISOString()),
  };
}

const folders = [
  { id: 'f-inbox', displayName: 'Inbox', wellKnownName: 'inbox', parentFolderId: null },
  { id: 'f-sent', displayName: 'Sent Items', wellKnownName: 'sentitems', parentFolderId: null },
];

export function handMadeTenant(): TenantFixtureInput {
  seq = 0;
  const alice = 'alice@contoso.com';
  return {
    organization: { id: TENANT_ID, displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] },
    users: [
      { id: 'u-alice', displayName: 'Alice', mail: alice, userPrincipalName: alice, accountEnabled: true },
      { id: 'u-bob', displayName: 'Bob', mail: 'bob@contoso.com', userPrincipalName: 'bob@contoso.com', accountEnabled: true },
      { id: 'u-carol', displayName: 'Carol', mail: 'carol@contoso.com', userPrincipalName: 'carol@contoso.com', accountEnabled: true },
      { id: 'u-dave', displayName: 'Dave', mail: 'dave@contoso.com', userPrincipalName: 'dave@contoso.com', accountEnabled: false },
    ],
    groups: [{ id: 'g-sales', displayName: 'Sales', mail: 'sales@contoso.com', members: ['u-alice', 'u-bob'] }],
    mailboxes: {
      'u-alice': {
        mailFolders: folders,
        messages: [
          message('f-sent', alice, 'jane@fabrikam.com', at(10), 'c-a'),
          message('f-inbox', 'jane@fabrikam.com', alice, at(9), 'c-a'),
          message('f-sent', alice, 'tom@northwind.com', at(90), 'c-b'),
          message('f-sent', alice, 'kim@tailspin.com', at(90), 'c-c'),
          message('f-sent', alice, 'ann@adatum.com', at(200), 'c-e'),
          message('f-sent', alice, 'pat@proseware.com', at(60), 'c-f'),
          message('f-sent', alice, 'sam@wingtip.com', at(61), 'c-g'),
        ],
        events: [meeting('e-b', at(100), 30, 'tom@northwind.com'), meeting('e-c', at(-5), 45, 'kim@tailspin.com'), meeting('e-e', at(30), 60, 'ann@adatum.com')],
      },
      'u-bob': { mailFolders: folders, messages: [], events: [] },
      // u-carol has no mailbox: including her makes a run partial.
    },
  };
}
