import { ALICE, BOB, CAROL, evt, makeContext, makeDirectory } from '../__tests__/builders';
import { createAddressClassifier } from '../address-classifier';
import { hashId } from '../hashing';
import { normaliseEvent, type MeetingCopyContext } from './meeting-copy';

const classify = createAddressClassifier(makeContext(), makeDirectory());
const contextOf = (mailbox = ALICE): MeetingCopyContext => ({ mailbox, classify, salt: '' });
const START = '2026-01-02T09:00:00Z';
const jane = hashId('', 'addr', 'jane@fabrikam.com');

describe('normaliseEvent', () => {
  it.each([
    ['cancelled', evt({ cancelled: true, attendees: [['jane@fabrikam.com']], start: START })],
    ['all-day', evt({ allDay: true, attendees: [['jane@fabrikam.com']], start: START })],
    ['organised by an excluded address', evt({ organizer: 'postmaster@contoso.com', attendees: [['jane@fabrikam.com']], start: START })],
    ['organised by an outsider', evt({ organizer: 'a@adatum.com', attendees: [['jane@fabrikam.com']], start: START })],
    ['internal with no account attendee', evt({ attendees: [[BOB.mail]], start: START })],
    ['internal with only a customer room', evt({ attendees: [['room@fabrikam.com', 'accepted', 'resource']], start: START })],
  ])('when the instance is %s, then it is dropped', (_label, event) => {
    expect(normaliseEvent(event, contextOf())).toBeNull();
  });

  it('when start and end come as Graph UTC local times, then they are read as UTC', () => {
    const copy = normaliseEvent(evt({ attendees: [['jane@fabrikam.com']], start: START, minutes: 45 }), contextOf());
    expect(copy?.entry).toMatchObject({ st: Date.parse(START), en: Date.parse(START) + 45 * 60_000 });
  });

  it('when the organizer holds its copy, then every attendee status is believed: decliners are listed and marked declined', () => {
    const event = evt({ ical: 'k', response: 'organizer', attendees: [['jane@fabrikam.com', 'tentativelyAccepted'], [BOB.mail, 'declined'], [CAROL.mail, 'none'], ['room@contoso.com', 'accepted', 'resource']], start: START });
    expect(normaliseEvent(event, contextOf())).toEqual({
      key: hashId('', 'ical', 'k'),
      entry: { st: Date.parse(START), en: Date.parse(START) + 30 * 60_000, o: 'i', p: [jane], pd: [], m: [ALICE.id], mx: [], ma: [BOB.id, CAROL.id].sort(), md: [BOB.id] },
      contacts: [[jane, 'FAB']],
    });
  });

  it.each([
    ['declined', { m: [ALICE.id], mx: [BOB.id] }],
    ['accepted', { m: [ALICE.id, BOB.id].sort(), mx: [] }],
    ['none', { m: [ALICE.id, BOB.id].sort(), mx: [] }],
  ])('when the holder answered %s on its own copy, then the holder is a member unless it declined', (response, expected) => {
    const event = evt({ attendees: [['jane@fabrikam.com', 'none'], [BOB.mail, 'none']], response, start: START });
    expect(normaliseEvent(event, contextOf(BOB))?.entry).toMatchObject({ ...expected, ma: [BOB.id], md: [] });
  });

  it("when an attendee's copy shows others as declined, then those statuses are ignored", () => {
    const event = evt({ attendees: [['jane@fabrikam.com', 'declined'], [CAROL.mail, 'declined'], [BOB.mail, 'none']], response: 'accepted', start: START });
    expect(normaliseEvent(event, contextOf(BOB))?.entry).toMatchObject({ p: [jane], pd: [], md: [] });
  });

  it('when the iCalUId is missing, then the key is the hash of mailbox id and event id', () => {
    const event = evt({ id: 'AAMkE', ical: null, attendees: [['jane@fabrikam.com']], start: START });
    expect(normaliseEvent(event, contextOf())?.key).toBe(hashId('', 'mbxevt', ALICE.id, 'AAMkE'));
  });

  it('when the only customer declined on the organizer\'s copy, then it is listed and marked declined, for the merge to settle', () => {
    const event = evt({ attendees: [['jane@fabrikam.com', 'declined']], response: 'organizer', start: START });
    expect(normaliseEvent(event, contextOf())?.entry).toMatchObject({ o: 'i', p: [jane], pd: [jane], m: [ALICE.id] });
  });

  it('when Jane organises, then the organizer hash is the direction and a participant', () => {
    const event = evt({ organizer: 'jane@fabrikam.com', attendees: [[ALICE.mail], ['bob@northwind.com']], start: START });
    expect(normaliseEvent(event, contextOf())?.entry).toMatchObject({ o: jane, p: [jane], m: [ALICE.id] });
  });
});
