/**
 * Zod schemas for the Graph payloads Rapport reads, at the edge (STYLE.md §9).
 *
 * They are tolerant in what they accept (allow-listed fields may be missing or null) and strict
 * in what they let through: `z.object` strips every key it does not name, at every level, so a
 * parsed message or event holds allow-listed fields only, whatever Graph sent.
 */
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { z } from 'zod';
import type { GraphEvent, GraphMessage } from '../engagement/types';
import type { EVENT_FIELDS, MESSAGE_FIELDS } from './select';

const emailAddress = z.object({ name: z.string().nullish(), address: z.string().nullish() });
const recipient = z.object({ emailAddress: emailAddress.nullish() });
const recipients = z.array(recipient).nullish();

export const messageSchema = z.object({
  /**
   * Graph names a derived type on the item, even under `$select`: meeting invitations, responses
   * and cancellations are `#microsoft.graph.eventMessage*` and are not emails (DESIGN.md §3).
   * https://learn.microsoft.com/graph/api/resources/eventmessage
   */
  '@odata.type': z.string().nullish(),
  id: z.string(),
  conversationId: z.string().nullish(),
  conversationIndex: z.string().nullish(),
  internetMessageId: z.string().nullish(),
  from: recipient.nullish(),
  sender: recipient.nullish(),
  toRecipients: recipients,
  ccRecipients: recipients,
  bccRecipients: recipients,
  sentDateTime: z.string().nullish(),
  receivedDateTime: z.string().nullish(),
  isDraft: z.boolean().nullish(),
  parentFolderId: z.string().nullish(),
});

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().nullish() });

export const eventSchema = z.object({
  id: z.string(),
  iCalUId: z.string().nullish(),
  type: z.string().nullish(),
  seriesMasterId: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  isAllDay: z.boolean().nullish(),
  organizer: recipient.nullish(),
  attendees: z
    .array(
      z.object({
        type: z.string().nullish(),
        status: z.object({ response: z.string().nullish(), time: z.string().nullish() }).nullish(),
        emailAddress: emailAddress.nullish(),
      }),
    )
    .nullish(),
  responseStatus: z.object({ response: z.string().nullish(), time: z.string().nullish() }).nullish(),
  start: dateTimeTimeZone.nullish(),
  end: dateTimeTimeZone.nullish(),
});

export const userSchema = z.object({
  id: z.string(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  accountEnabled: z.boolean().nullish(),
  displayName: z.string().nullish(),
  userType: z.string().nullish(),
});

/** A group member as `transitiveMembers` lists it: any directory object, typed by `@odata.type`. */
export const memberSchema = userSchema.extend({ '@odata.type': z.string().nullish() });

export const groupSchema = z.object({ id: z.string(), displayName: z.string().nullish(), mail: z.string().nullish() });

export const folderSchema = z.object({ id: z.string(), childFolderCount: z.number().nullish(), isHidden: z.boolean().nullish() });

export const organizationSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  verifiedDomains: z.array(z.object({ name: z.string() })).nullish(),
});

/** A collection page: items plus, unless it is the last page, the link to the next. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ value: z.array(item), '@odata.nextLink': z.string().nullish() });
}

// The parsed shapes must fit the domain's contracts; these fail to compile if they drift.
export const _messageFits: (m: z.infer<typeof messageSchema>) => GraphMessage = (m) => m;
export const _eventFits: (e: z.infer<typeof eventSchema>) => GraphEvent = (e) => e;

// What Graph's own types say these fields hold must fit the domain's contracts as well (the id is
// always present on a returned item, so it is required here).
type Selected<T, K extends keyof T> = Pick<T, K> & { id: string };
export const _officialMessageFits: (m: Selected<MicrosoftGraph.Message, (typeof MESSAGE_FIELDS)[number]>) => GraphMessage = (m) => m;
export const _officialEventFits: (e: Selected<MicrosoftGraph.Event, (typeof EVENT_FIELDS)[number]>) => GraphEvent = (e) => e;
