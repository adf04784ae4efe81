/**
 * One message copy → the compact facts the partial keeps (DESIGN.md §3 "Emails").
 * Nothing of the Graph object survives except hashes, times and resolved classes.
 */
import type { AddressClassifier, AddressInfo } from '../address-classifier';
import { parseGraphDateTime } from '../buckets';
import { hashId } from '../hashing';
import { sortUnique, type EmailEntry } from '../partial';
import type { GraphMessage, GraphRecipient, SelectedMailbox } from '../types';

export interface EmailCopy {
  /**
   * Logical key: hash of internetMessageId, or of mailbox id + message id when it is missing.
   * '' when `entry` is null: the key is hashed only for copies that keep an entry (a third of
   * them in a generated tenant), because hashing is the reduction's largest cost.
   */
  key: string;
  sentAt: number;
  /** True when the copy has a conversationId: its time goes into the conversation's timeline. */
  threaded: boolean;
  senderInternal: boolean;
  /** What this copy adds to the account-level data; null when only the thread timeline needs it. */
  entry: EmailEntry | null;
  /** Address hash → account id for the hashes in `entry`. */
  contacts: [string, string][];
}

export interface EmailCopyContext {
  mailbox: SelectedMailbox;
  excludedFolderIds: ReadonlySet<string>;
  classify: AddressClassifier;
  salt: string;
  /**
   * Hashes a conversationId; the mailbox reducer memoises it, since a conversation's emails
   * share it. @default hashId(salt, 'conv', id)
   */
  conversationHash?: (conversationId: string) => string;
}

const addressOf = (recipient: GraphRecipient | null | undefined): string | null | undefined => recipient?.emailAddress?.address;

/** `from`, falling back to `sender` when `from` carries no valid address. */
export function senderOf(message: GraphMessage, classify: AddressClassifier): AddressInfo | null {
  return classify(addressOf(message.from)) ?? classify(addressOf(message.sender));
}

/** What the recipient lists of one copy add up to (one object per copy, no closure per copy). */
interface RecipientScan {
  mailbox: string;
  senderAccount: string | null;
  members: string[];
  recipientHashes: string[];
  contacts: [string, string][];
  holderVisible: boolean;
}

function scanRecipients(list: readonly GraphRecipient[] | null | undefined, classify: AddressClassifier, into: RecipientScan): void {
  if (!list) return;
  for (const recipient of list) {
    const info = classify(addressOf(recipient));
    if (info === null || info.excluded) continue;
    if (info.memberId !== null) {
      into.members.push(info.memberId);
      if (info.memberId === into.mailbox) into.holderVisible = true;
    }
    if (info.hash !== null && info.accountId !== null && (into.senderAccount === null || info.accountId === into.senderAccount)) {
      into.recipientHashes.push(info.hash);
      into.contacts.push([info.hash, info.accountId]);
    }
  }
}

/**
 * True for meeting invitations, responses and cancellations, which Graph lists among messages
 * as derived types (https://learn.microsoft.com/graph/api/resources/eventmessage). Meetings
 * are counted from calendars alone (DESIGN.md §3).
 */
export function isMeetingMessage(message: GraphMessage): boolean {
  return (message['@odata.type'] ?? '').toLowerCase().startsWith('#microsoft.graph.eventmessage');
}

/**
 * Null when the copy is not an email: a meeting message, a draft, in an excluded folder (Junk
 * Email, Drafts, Outbox, Sync Issues, Conversation History, hidden folders where Teams chats
 * live, and their subfolders; the collector resolves the ids), with an excluded or missing
 * sender, or without a parseable sentDateTime.
 */
export function normaliseMessage(message: GraphMessage, context: EmailCopyContext): EmailCopy | null {
  const { mailbox, classify, salt } = context;
  if (message.isDraft === true || isMeetingMessage(message)) return null;
  if (message.parentFolderId && context.excludedFolderIds.has(message.parentFolderId)) return null;
  const sender = senderOf(message, classify);
  if (sender === null || sender.excluded) return null;
  const sentAt = parseGraphDateTime(message.sentDateTime);
  if (Number.isNaN(sentAt)) return null;

  const copy: EmailCopy = { key: '', sentAt, threaded: Boolean(message.conversationId), senderInternal: sender.internal, entry: null, contacts: [] };
  const senderAccount = sender.internal ? null : sender.accountId;
  if (!sender.internal && senderAccount === null) return copy; // any other sender: timeline only

  const members: string[] = [mailbox.id];
  if (sender.memberId !== null) members.push(sender.memberId);
  const seen: RecipientScan = { mailbox: mailbox.id, senderAccount, members, recipientHashes: [], contacts: copy.contacts, holderVisible: sender.memberId === mailbox.id };
  scanRecipients(message.toRecipients, classify, seen);
  scanRecipients(message.ccRecipients, classify, seen);
  scanRecipients(message.bccRecipients, classify, seen);
  const { recipientHashes, holderVisible } = seen;

  if (senderAccount !== null && sender.hash !== null) {
    copy.contacts.push([sender.hash, senderAccount]);
    // The conversation of an inbound email, for its reply latency; hashed only here.
    const id = message.conversationId;
    const c = id ? (context.conversationHash?.(id) ?? hashId(salt, 'conv', id)) : '';
    copy.entry = { t: sentAt, s: sender.hash, r: sortUnique(recipientHashes), m: sortUnique(members), c };
  } else if (recipientHashes.length > 0) {
    copy.entry = { t: sentAt, s: 'i', r: sortUnique(recipientHashes), m: sortUnique(members), c: '' };
  } else if (sender.memberId !== null && sender.memberId !== mailbox.id && !holderVisible) {
    // Pending holder: a Bcc'd customer shows only on the sender's copy, which is in S.
    copy.entry = { t: sentAt, s: 'i', r: [], m: [mailbox.id], c: '' };
  }
  if (copy.entry !== null) {
    copy.key = message.internetMessageId ? hashId(salt, 'msg', message.internetMessageId) : hashId(salt, 'mbxmsg', mailbox.id, message.id);
  }
  return copy;
}
