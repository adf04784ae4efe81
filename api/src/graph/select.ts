/**
 * The allow-lists of fields Rapport ever asks Microsoft Graph for (DESIGN.md §5).
 *
 * Every mail and calendar request builds its `$select` from these lists, and every page is
 * stripped down to them before it leaves `graph/`, so nothing else can reach the domain.
 * `select.spec.ts` pins the exact lists and checks that no forbidden field appears. The lists are
 * typed against `@microsoft/microsoft-graph-types`, so a field Graph does not have fails the build.
 */
import type { Event, MailFolder, Message, User } from '@microsoft/microsoft-graph-types';

/** Message fields: what the engagement domain needs, and nothing that carries content. */
export const MESSAGE_FIELDS = [
  'id',
  'conversationId',
  'conversationIndex',
  'internetMessageId',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'sentDateTime',
  'receivedDateTime',
  'isDraft',
  'parentFolderId',
] as const satisfies readonly (keyof Message)[];

/** Calendar instance fields. */
export const EVENT_FIELDS = [
  'id',
  'iCalUId',
  'type',
  'seriesMasterId',
  'isCancelled',
  'isAllDay',
  'organizer',
  'attendees',
  // The holder's own answer: on an attendee's copy every attendee's status reads `none`.
  'responseStatus',
  'start',
  'end',
] as const satisfies readonly (keyof Event)[];

/** Mail folder fields: enough to walk the tree and find hidden folders. */
export const FOLDER_FIELDS = ['id', 'childFolderCount', 'isHidden'] as const satisfies readonly (keyof MailFolder)[];

/** Directory fields of a user, for mailbox resolution. */
export const USER_FIELDS = ['id', 'mail', 'userPrincipalName', 'accountEnabled', 'displayName'] as const satisfies readonly (keyof User)[];

/** Fields that carry content. They are never requested, whatever the permission allows. */
export const FORBIDDEN_FIELDS = ['subject', 'body', 'bodyPreview', 'uniqueBody', 'internetMessageHeaders'] as const satisfies readonly (keyof Message)[];

/** The `$select` value for a list of fields. */
export function selectParam(fields: readonly string[]): string {
  return fields.join(',');
}
