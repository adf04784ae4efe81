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
 * an account, or an internal organizer with no account attendee at all on this copy.
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

  const participantHashes: string[] = [];
  const contacts: [string, string][] = [];
  const members: string[] = [];
  if (organizer.memberId !== null) members.push(organizer.memberId);
  if (organizerAccount !== null && organizer.hash !== null) {
    participantHashes.push(organizer.hash);
    contacts.push([organizer.hash, organizerAccount]);
  }
  // A holder missing from the attendee list (invited through a group) counts as not declined.
  let holderDeclined = false;
  let declinedAccountAttendee = false;
  for (const attendee of event.attendees ?? []) {
    if ((attendee.type ?? '').toLowerCase() === 'resource') continue;
    const info = classify(attendee.emailAddress?.address);
    if (info === null || info.excluded) continue;
    const declined = isDeclined(attendee.status?.response);
    if (info.memberId === mailbox.id && organizer.memberId !== mailbox.id) holderDeclined = declined;
    const relevantAccount = info.accountId !== null && (organizerAccount === null || info.accountId === organizerAccount);
    if (declined) {
      if (relevantAccount) declinedAccountAttendee = true;
      continue;
    }
    if (info.memberId !== null) members.push(info.memberId);
    if (relevantAccount && info.hash !== null && info.accountId !== null) {
      participantHashes.push(info.hash);
      contacts.push([info.hash, info.accountId]);
    }
  }
  if (!holderDeclined) members.push(mailbox.id);

  // An internal meeting matters when an account participates. When this copy shows account
  // attendees only as declined, another copy may show them otherwise (participants are a
  // union over copies), so the copy is kept as pending, with no participants of its own.
  if (organizerAccount === null && participantHashes.length === 0 && !declinedAccountAttendee) return null;
  const key = event.iCalUId ? hashId(salt, 'ical', event.iCalUId) : hashId(salt, 'mbxevt', mailbox.id, event.id);
  const o = organizerAccount !== null && organizer.hash !== null ? organizer.hash : 'i';
  return { key, entry: { st, en, o, p: sortUnique(participantHashes), m: sortUnique(members) }, contacts };
}
