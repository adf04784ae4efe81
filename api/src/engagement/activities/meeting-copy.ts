/**
 * One calendar instance → the compact facts the partial keeps (DESIGN.md §3 "Meetings").
 */
import type { AddressClassifier } from '../address-classifier';
import { parseGraphDateTime } from '../buckets';
import { hashId } from '../hashing';
import { sortUnique, type MeetingEntry } from '../partial';
import type { GraphEvent, SelectedMailbox } from '../types';

export interface MeetingCopy {
  /** Logical key: hash of iCalUId (each occurrence has its own), or of mailbox id + event id. */
  key: string;
  entry: MeetingEntry;
  /** Address hash → account id for the hashes in `entry`. */
  contacts: [string, string][];
}

export interface MeetingCopyContext {
  mailbox: SelectedMailbox;
  classify: AddressClassifier;
  salt: string;
}

const isDeclined = (response: string | null | undefined): boolean => (response ?? '').toLowerCase() === 'declined';

/**
 * Null when the instance is excluded (cancelled, all-day, a series master, excluded organizer,
 * unparseable start) or cannot matter to any account: an organizer that is neither internal nor
 * an account, or an internal organizer with no account attendee listed on this copy.
 *
 * Responses (DESIGN.md §3): an attendee's `status` is read only on the organizer's copy (on an
 * attendee's copy Graph shows every attendee as `none`,
 * https://learn.microsoft.com/graph/api/resources/attendee); the holder's own answer is the
 * copy's `responseStatus` (https://learn.microsoft.com/graph/api/resources/responsestatus).
 */
export function normaliseEvent(event: GraphEvent, context: MeetingCopyContext): MeetingCopy | null {
  const { mailbox, classify, salt } = context;
  if (event.isCancelled === true || event.isAllDay === true || event.type === 'seriesMaster') return null;
  const organizer = classify(event.organizer?.emailAddress?.address);
  if (organizer === null || organizer.excluded) return null;
  const organizerAccount = organizer.internal ? null : organizer.accountId;
  if (!organizer.internal && organizerAccount === null) return null;
  const st = parseGraphDateTime(event.start?.dateTime);
  if (Number.isNaN(st)) return null;
  const parsedEnd = parseGraphDateTime(event.end?.dateTime);
  const en = Number.isNaN(parsedEnd) || parsedEnd < st ? st : parsedEnd;

  const ownResponse = (event.responseStatus?.response ?? '').toLowerCase();
  const organizersCopy = ownResponse === 'organizer' || (organizer.memberId !== null && organizer.memberId === mailbox.id);

  const listed: string[] = [];
  const declined: string[] = [];
  const contacts: [string, string][] = [];
  const listedMembers: string[] = [];
  const declinedMembers: string[] = [];
  if (organizerAccount !== null && organizer.hash !== null) {
    listed.push(organizer.hash);
    contacts.push([organizer.hash, organizerAccount]);
  }
  for (const attendee of event.attendees ?? []) {
    if ((attendee.type ?? '').toLowerCase() === 'resource') continue;
    const info = classify(attendee.emailAddress?.address);
    if (info === null || info.excluded) continue;
    // Only the organizer's copy shows other attendees' answers.
    const declinedHere = organizersCopy && isDeclined(attendee.status?.response);
    if (info.memberId !== null) {
      listedMembers.push(info.memberId);
      if (declinedHere) declinedMembers.push(info.memberId);
    }
    const relevantAccount = info.accountId !== null && (organizerAccount === null || info.accountId === organizerAccount);
    if (relevantAccount && info.hash !== null && info.accountId !== null) {
      listed.push(info.hash);
      contacts.push([info.hash, info.accountId]);
      if (declinedHere) declined.push(info.hash);
    }
  }

  // An internal meeting matters only when an account is listed; whether that account declined
  // is settled after the merge, when the organizer's copy is known.
  if (organizerAccount === null && listed.length === 0) return null;
  const holders: string[] = [];
  if (organizer.memberId !== null) holders.push(organizer.memberId);
  const holderDeclined = !organizersCopy && isDeclined(ownResponse);
  if (!holderDeclined) holders.push(mailbox.id);
  const key = event.iCalUId ? hashId(salt, 'ical', event.iCalUId) : hashId(salt, 'mbxevt', mailbox.id, event.id);
  const o = organizerAccount !== null && organizer.hash !== null ? organizer.hash : 'i';
  return {
    key,
    entry: {
      st,
      en,
      o,
      p: sortUnique(listed),
      pd: sortUnique(declined),
      m: sortUnique(holders),
      mx: sortUnique(holderDeclined ? [mailbox.id] : []),
      ma: sortUnique(listedMembers),
      md: sortUnique(declinedMembers),
    },
    contacts,
  };
}
