/**
 * Per account and bucket: the accumulator the finaliser fills from day cells, and the
 * `Office` row it turns into (DESIGN.md §3, every count restricted to the bucket).
 */
import { DAY_MS, toIso } from './buckets';
import { NUM, NUM_FIELDS, type CellColumns } from './cell-columns';

// Module-level copies: this file's hot loop reads them ~300k times per run, and some loaders
// turn imported bindings into getters.
const F = { ...NUM };
const FIELDS = NUM_FIELDS;
import { reciprocityOf, type ScoreSignals } from './score';
import type { AggregationLevel, OfficeRow } from './types';

export interface BucketMetrics {
  emailsTo: number;
  emailsFrom: number;
  meetingsTo: number;
  meetingsFrom: number;
  /** Distinct counts: members of S and account contacts of the bucket's emails and meetings. */
  emailMembers: number;
  emailContacts: number;
  meetingMembers: number;
  meetingContacts: number;
  /** Epoch ms; −Infinity / +Infinity when none. */
  lastEmail: number;
  lastMeeting: number;
  first: number;
  lastInbound: number;
  lastOutbound: number;
  /** Year bucket only: the first upcoming meeting. */
  nextMeeting: number;
  replyMsSum: number;
  replyCount: number;
  meetingMsSum: number;
  meetingCount: number;
}

export function emptyMetrics(): BucketMetrics {
  return {
    emailsTo: 0,
    emailsFrom: 0,
    meetingsTo: 0,
    meetingsFrom: 0,
    emailMembers: 0,
    emailContacts: 0,
    meetingMembers: 0,
    meetingContacts: 0,
    lastEmail: -Infinity,
    lastMeeting: -Infinity,
    first: Infinity,
    lastInbound: -Infinity,
    lastOutbound: -Infinity,
    nextMeeting: Infinity,
    replyMsSum: 0,
    replyCount: 0,
    meetingMsSum: 0,
    meetingCount: 0,
  };
}

/**
 * Folds the numeric fields of cell i of `c` into a bucket; the cell's replies are given as
 * evaluated for this run's W. Distinct counts are the caller's (finalizeResults).
 */
export function addCell(m: BucketMetrics, c: CellColumns, i: number, replyMsSum: number, replyCount: number): void {
  const v = c.nums;
  const n = i * FIELDS;
  m.emailsTo += v[n + F.emailsTo];
  m.emailsFrom += v[n + F.emailsFrom];
  m.meetingsTo += v[n + F.meetingsTo];
  m.meetingsFrom += v[n + F.meetingsFrom];
  m.lastEmail = Math.max(m.lastEmail, v[n + F.lastEmail]);
  m.lastMeeting = Math.max(m.lastMeeting, v[n + F.lastMeeting]);
  m.first = Math.min(m.first, v[n + F.first]);
  m.lastInbound = Math.max(m.lastInbound, v[n + F.lastInbound]);
  m.lastOutbound = Math.max(m.lastOutbound, v[n + F.lastOutbound]);
  m.meetingMsSum += v[n + F.meetingMsSum];
  m.meetingCount += v[n + F.meetingCount];
  m.replyMsSum += replyMsSum;
  m.replyCount += replyCount;
}

/** At least one counted email or past meeting in the bucket. */
export function isActive(m: BucketMetrics): boolean {
  return m.emailsTo + m.emailsFrom + m.meetingsTo + m.meetingsFrom > 0;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const isoOrNull = (t: number): string | null => (Number.isFinite(t) ? toIso(t) : null);
/** floor((E − last) / 1 day); null when there is no last. */
const daysSince = (end: number, last: number): number | null => (Number.isFinite(last) ? Math.floor((end - last) / DAY_MS) : null);

export interface RowIdentity {
  accountId: string;
  accountName: string | null;
  level: AggregationLevel;
  bucketStart: number;
  /** E: the bucket end clipped to T. */
  effectiveEnd: number;
}

/** The row without its score columns (EngagementScore, EngagementBand, EngagementScoreChange). */
export function toUnscoredRow(id: RowIdentity, m: BucketMetrics): OfficeRow {
  return {
    AccountId: id.accountId,
    AccountName: id.accountName,
    EngagementScore: 0,
    NoOfEmails_ToAccount: m.emailsTo,
    NoOfEmails_FromAccount: m.emailsFrom,
    NoOfMeetings_FromAccount: m.meetingsFrom,
    NoOfMeetings_ToAccount: m.meetingsTo,
    NoOfContactsInvolved_Meetings: m.meetingMembers,
    NoOfContactsInvolved_Emails: m.emailMembers,
    NoOfAccountContactsInvolved_Meetings: m.meetingContacts,
    NoOfAccountContactsInvolved_Emails: m.emailContacts,
    EngagementStartdate: isoOrNull(m.first),
    DaysSinceLastemail: daysSince(id.effectiveEnd, m.lastEmail),
    DaysSinceLastMeeting: daysSince(id.effectiveEnd, m.lastMeeting),
    AverageDuration_Of_Meetings: m.meetingCount > 0 ? round1(m.meetingMsSum / m.meetingCount / 60_000) : null,
    AverageDuration_Of_AccountEmailReplies: m.replyCount > 0 ? round1(m.replyMsSum / m.replyCount / 3_600_000) : null,
    AggregationStartdate: toIso(id.bucketStart),
    AggregationLevel: id.level,
    LastInboundDate: isoOrNull(m.lastInbound),
    LastOutboundDate: isoOrNull(m.lastOutbound),
    NextMeetingDate: id.level === 'year' ? isoOrNull(m.nextMeeting) : null,
    EngagementBand: 'Low',
    EngagementScoreChange: null,
  };
}

export function signalsOf(row: OfficeRow): ScoreSignals {
  const days = [row.DaysSinceLastemail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null);
  return {
    emails: row.NoOfEmails_ToAccount + row.NoOfEmails_FromAccount,
    meetings: row.NoOfMeetings_ToAccount + row.NoOfMeetings_FromAccount,
    breadth:
      row.NoOfContactsInvolved_Emails +
      row.NoOfContactsInvolved_Meetings +
      row.NoOfAccountContactsInvolved_Emails +
      row.NoOfAccountContactsInvolved_Meetings,
    recency: days.length > 0 ? 0 - Math.min(...days) : 0, // `0 -` avoids −0
    reciprocity: reciprocityOf(row.NoOfEmails_FromAccount, row.NoOfEmails_ToAccount),
  };
}
