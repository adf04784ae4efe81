/**
 * A MailboxPartial as JSON-safe plain data, for checkpoints, incremental refresh and shipping
 * partials between workers. Keys are hashes; nothing in it is a clear-text message id,
 * conversation id, subject or customer address. Entries are sorted by key so equal partials
 * serialise identically.
 */
import { AppError } from '../errors';
import { compareIds } from './account-directory';
import { emptyPartial, type MailboxPartial } from './partial';

export const PARTIAL_FORMAT = 'rapport.partial/2';

/** [key, sentMs, sender, recipientHashes, memberIds, conversationHash] */
export type SerializedEmail = [string, number, string, string[], string[], string];
/** [key, startMs, endMs, organizer, p, pd, m, mx, ma, md] (MeetingEntry's sets, in that order) */
export type SerializedMeeting = [string, number, number, string, string[], string[], string[], string[], string[], string[]];

export interface SerializedPartial {
  format: typeof PARTIAL_FORMAT;
  mailboxes: string[];
  emails: SerializedEmail[];
  meetings: SerializedMeeting[];
  threads: [string, number[]][];
  contacts: [string, string][];
}

const byKey = <T extends [string, ...unknown[]]>(a: T, b: T): number => compareIds(a[0], b[0]);

export function serializePartial(partial: MailboxPartial): SerializedPartial {
  return {
    format: PARTIAL_FORMAT,
    mailboxes: [...partial.mailboxes],
    emails: [...partial.emails].map(([k, e]): SerializedEmail => [k, e.t, e.s, [...e.r], [...e.m], e.c]).sort(byKey),
    meetings: [...partial.meetings].map(([k, e]): SerializedMeeting => [k, e.st, e.en, e.o, [...e.p], [...e.pd], [...e.m], [...e.mx], [...e.ma], [...e.md]]).sort(byKey),
    threads: [...partial.threads].map(([k, t]): [string, number[]] => [k, [...t]]).sort(byKey),
    contacts: [...partial.contacts].sort(byKey),
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function invalid(what: string): never {
  throw new AppError('STORE_CORRUPT', `The stored partial aggregate is not valid: ${what}.`);
}

/** The inverse of serializePartial. Throws a STORE_CORRUPT AppError on malformed input. */
export function deserializePartial(data: unknown): MailboxPartial {
  const raw = data as Partial<SerializedPartial> | null;
  if (raw === null || typeof raw !== 'object' || raw.format !== PARTIAL_FORMAT) invalid(`format is not ${PARTIAL_FORMAT}`);
  const { mailboxes, emails, meetings, threads, contacts } = raw;
  if (!isStringArray(mailboxes)) invalid('mailboxes');
  if (!Array.isArray(emails) || !Array.isArray(meetings) || !Array.isArray(threads) || !Array.isArray(contacts)) invalid('missing sections');
  const partial = emptyPartial();
  partial.mailboxes = [...mailboxes];
  for (const e of emails) {
    if (!Array.isArray(e) || e.length !== 6 || !isString(e[0]) || !isFiniteNumber(e[1]) || !isString(e[2]) || !isStringArray(e[3]) || !isStringArray(e[4]) || !isString(e[5])) {
      invalid('an email entry');
    }
    partial.emails.set(e[0], { t: e[1], s: e[2], r: [...e[3]], m: [...e[4]], c: e[5] });
  }
  for (const e of meetings) {
    if (!Array.isArray(e) || e.length !== 10 || !isString(e[0]) || !isFiniteNumber(e[1]) || !isFiniteNumber(e[2]) || !isString(e[3]) || !e.slice(4).every(isStringArray)) {
      invalid('a meeting entry');
    }
    const [key, st, en, o, p, pd, m, mx, ma, md] = e as SerializedMeeting;
    partial.meetings.set(key, { st, en, o, p: [...p], pd: [...pd], m: [...m], mx: [...mx], ma: [...ma], md: [...md] });
  }
  for (const t of threads) {
    if (!Array.isArray(t) || t.length !== 2 || !isString(t[0]) || !Array.isArray(t[1]) || !t[1].every(isFiniteNumber)) invalid('a thread');
    partial.threads.set(t[0], [...t[1]]);
  }
  for (const c of contacts) {
    if (!Array.isArray(c) || c.length !== 2 || !isString(c[0]) || !isString(c[1])) invalid('a contact');
    partial.contacts.set(c[0], c[1]);
  }
  return partial;
}
