/**
 * The `Office` table on the wire: every column typed and described, once. The engine's
 * `OfficeRow` type (engagement/types.ts) is inferred from this schema, and the OpenAPI
 * document's `OfficeRow` is generated from it, so the three cannot drift.
 */
import { z } from 'zod';
import { KEPT_COLUMNS, MAX_MINIMUM_COLLEAGUES, type OfficeRowView } from '../engagement/row-privacy';
import { AGGREGATION_LEVELS, ENGAGEMENT_BANDS, OFFICE_COLUMNS, type OfficeColumn } from '../engagement/types';

const isoDate = (what: string) => z.string().describe(`${what} (ISO 8601 date-time, UTC).`);
const count = (what: string) => z.number().int().min(0).describe(what);

export const aggregationLevelSchema = z.enum(AGGREGATION_LEVELS).describe('year: the whole window W (12 months back from the run); month and week: one calendar bucket.');
export const engagementBandSchema = z.enum(ENGAGEMENT_BANDS).describe('High (score ≥ 67), Medium (≥ 34) or Low.');

/** Column → schema, in output order. `satisfies` makes a missing or unknown column a type error. */
const officeRowShape = {
  AccountId: z.string().describe('The account id from the customer dataset.'),
  EngagementScore: z.number().min(0).max(100).describe('0–100: the weighted percentile score of emails, meetings, breadth, recency and reciprocity in the bucket.'),
  NoOfEmails_ToAccount: count('Emails sent by the selected mailboxes to the account’s contacts.'),
  NoOfEmails_FromAccount: count('Emails the account’s contacts sent to the selected mailboxes.'),
  NoOfMeetings_FromAccount: count('Meetings organized by the account’s contacts with the selected mailboxes (past meetings only).'),
  NoOfMeetings_ToAccount: count('Meetings organized by the selected mailboxes with the account’s contacts (past meetings only).'),
  NoOfContactsInvolved_Meetings: count('Distinct selected mailboxes (colleagues) in the account’s meetings.'),
  NoOfContactsInvolved_Emails: count('Distinct selected mailboxes (colleagues) in the account’s emails.'),
  NoOfAccountContactsInvolved_Meetings: count('Distinct contacts of the account in its meetings.'),
  NoOfAccountContactsInvolved_Emails: count('Distinct contacts of the account in its emails.'),
  EngagementStartdate: isoDate('The first counted email or meeting with the account in the bucket').nullable(),
  DaysSinceLastemail: z.number().min(0).nullable().describe('Whole days from the last email with the account to the run (T); null: none in the window.'),
  DaysSinceLastMeeting: z.number().min(0).nullable().describe('Whole days from the last past meeting with the account to the run (T); null: none in the window.'),
  AverageDuration_Of_Meetings: z.number().min(0).nullable().describe('Average meeting length in minutes, one decimal; null: no meeting.'),
  AverageDuration_Of_AccountEmailReplies: z.number().min(0).nullable().describe('Average time the account took to reply to an email from a selected mailbox, in hours, one decimal; null: no reply.'),
  AggregationStartdate: isoDate('Start of the bucket (start of W for the year level)'),
  AggregationLevel: aggregationLevelSchema,
  AccountName: z.string().nullable().describe('Extra: the account’s name, when the dataset maps one.'),
  LastInboundDate: isoDate('Extra: the last email or meeting from the account').nullable(),
  LastOutboundDate: isoDate('Extra: the last email or meeting to the account').nullable(),
  NextMeetingDate: isoDate('Extra: the next scheduled meeting with the account; only on year rows (it looks forward from T), null on month and week rows').nullable(),
  EngagementBand: engagementBandSchema,
  EngagementScoreChange: z.number().nullable().describe('Extra: this run’s score minus the previous run’s for the same account, level and bucket; null: no previous score.'),
} satisfies Record<OfficeColumn, z.ZodType>;

/** A complete row, as the engine computes it and stores it. */
export const officeRowSchema = z.object(officeRowShape);
export type OfficeRow = z.infer<typeof officeRowSchema>;

export const rowPrivacySchema = z
  .object({
    hidden: z.literal(true),
    minimumColleagues: z.number().int().min(2).max(MAX_MINIMUM_COLLEAGUES).describe('The configured threshold (rules.minimumColleagues) the row falls below.'),
  })
  .meta({ id: 'RowPrivacy', description: 'Set on a row hidden by the privacy threshold: its activity columns are null because of it.' });

const KEPT: ReadonlySet<OfficeColumn> = new Set(KEPT_COLUMNS);
/**
 * A row as a caller receives it (the wire `OfficeRow`). For a caller who is not an admin, a row
 * under the privacy threshold keeps only its kept columns (row-privacy.ts KEPT_COLUMNS); its
 * activity columns are null and it carries `privacy`. Built from the same shape, so a column
 * is described once.
 */
export const officeRowViewSchema = z
  .object({
    ...(Object.fromEntries(
      OFFICE_COLUMNS.map((c) => {
        const column: z.ZodType = officeRowShape[c];
        return [c, KEPT.has(c) || column instanceof z.ZodNullable ? column : column.nullable().describe(`${column.description ?? ''} Null on a row hidden by the privacy threshold.`)];
      }),
    ) as Record<OfficeColumn, z.ZodType>),
    privacy: rowPrivacySchema.optional(),
  })
  .meta({
    id: 'OfficeRow',
    description:
      'One row of the Office table: AccountId, the 16 seed columns and the extra columns. For a caller who is not an admin, a row under the privacy threshold (rules.minimumColleagues) has every activity column null and carries `privacy`.',
  }) as unknown as z.ZodType<OfficeRowView>;

export const officeUserRowSchema = z.object({ ObjectId: z.string().describe('Directory object id of a configured mailbox.') }).meta({ id: 'OfficeUserRow' });
