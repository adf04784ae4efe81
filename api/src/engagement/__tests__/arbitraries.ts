/** fast-check arbitraries for small tenants whose copies collide on purpose (partial.spec, sharded-merge.spec). */
import fc from 'fast-check';
import type { GraphEvent, GraphMessage } from '../types';
import { ALICE, BOB, CAROL, evt, msg } from './builders';

const PEOPLE = [ALICE.mail, BOB.mail, CAROL.mail, 'dave@contoso.com', 'jane@fabrikam.com', 'joe@eu.fabrikam.com', 'bob@northwind.com', 'stranger@adatum.com', 'noreply@fabrikam.com', 'x@litware.com'];
const TIMES = ['2025-01-14T23:00:00Z', '2025-03-01T10:00:00Z', '2025-12-29T09:00:00Z', '2026-01-02T10:00:00Z', '2026-01-02T11:30:00Z', '2026-01-15T11:00:00Z', '2026-02-01T09:00:00Z'];

const person = fc.constantFrom(...PEOPLE);
const messageArb: fc.Arbitrary<GraphMessage> = fc
  .record({
    imid: fc.option(fc.constantFrom('<1@x>', '<2@x>', '<3@x>', '<4@x>', '<5@x>'), { nil: null }),
    from: person,
    to: fc.uniqueArray(person, { maxLength: 3 }),
    cc: fc.uniqueArray(person, { maxLength: 2 }),
    bcc: fc.uniqueArray(person, { maxLength: 2 }),
    sent: fc.constantFrom(...TIMES),
    conv: fc.constantFrom('c1', 'c2', 'c3'),
    folder: fc.constantFrom('inbox', 'inbox', 'deleted', 'junk'),
    draft: fc.constantFrom(false, false, false, true),
    odataType: fc.constantFrom(undefined, undefined, undefined, '#microsoft.graph.eventMessageRequest', '#microsoft.graph.eventMessageResponse'),
  })
  .map(({ odataType, ...spec }) => msg({ ...spec, id: 'same-id', ...(odataType ? { odataType } : {}) }));

const eventArb: fc.Arbitrary<GraphEvent> = fc
  .record({
    ical: fc.option(fc.constantFrom('i1', 'i2', 'i3'), { nil: null }),
    organizer: person,
    attendees: fc.uniqueArray(
      fc.tuple(person, fc.constantFrom('accepted', 'declined', 'none'), fc.constantFrom('required', 'resource')),
      { maxLength: 4, selector: (a) => a[0] },
    ),
    start: fc.constantFrom(...TIMES),
    minutes: fc.constantFrom(15, 30, 60),
    cancelled: fc.boolean(),
    response: fc.constantFrom(undefined, 'organizer', 'accepted', 'declined', 'none'),
  })
  .map(({ response, ...spec }) => evt({ ...spec, id: 'same-event', ...(response ? { response } : {}) }));

export const mailboxArb = fc.record({ messages: fc.array(messageArb, { maxLength: 8 }), events: fc.array(eventArb, { maxLength: 4 }) });
/** Three mailboxes' worth of messages and events that share ids, conversations and people. */
export const tenantArb = fc.tuple(mailboxArb, mailboxArb, mailboxArb);
