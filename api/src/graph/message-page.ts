/**
 * The message page check on the hot path (issue 12): every page of mail — a realistic run reads
 * tens of millions of messages — is checked in place against what `messageSchema` accepts,
 * without zod building a copy of every message and recipient (that copy doubled the garbage per
 * page and cost ~0.8 µs a message). A page the check refuses goes through zod after all, so the
 * error names the same fields as before (paging.ts parsePayload), and message-page.spec.ts
 * proves the check never accepts what zod refuses.
 *
 * What leaves is still stripped to the allow-list (select.ts): a message with other keys (Graph
 * adds `@odata.etag` to each) is copied with the allow-listed ones only; a recipient with other
 * keys, which Graph does not send, sends the page through zod.
 */
import type { GraphMessage } from '../engagement/types';
import { parsePayload } from './paging';
import { messageSchema, pageSchema } from './schemas';
import { MESSAGE_FIELDS } from './select';

const messagePageSchema = pageSchema(messageSchema);

export interface MessagePage {
  value: GraphMessage[];
  '@odata.nextLink'?: string | null;
}

/** The keys a message may keep: the allow-list, and the derived type Graph names. */
const MESSAGE_KEYS: ReadonlySet<string> = new Set(['@odata.type', ...MESSAGE_FIELDS]);

const isNullish = (v: unknown): v is null | undefined => v === null || v === undefined;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullishString = (v: unknown): boolean => isNullish(v) || typeof v === 'string';

// Checked for every recipient of every message: the lists are made once.
const RECIPIENT_KEYS = ['emailAddress'] as const;
const ADDRESS_KEYS = ['name', 'address'] as const;

/** Whether every key of `v` is one of `keys`. */
function onlyKeys(v: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const k in v) if (!keys.includes(k)) return false;
  return true;
}

/** A recipient zod accepts, with no keys zod would strip. */
function isRecipient(v: unknown): boolean {
  if (!isObject(v) || !onlyKeys(v, RECIPIENT_KEYS)) return false;
  const address = v.emailAddress;
  if (isNullish(address)) return true;
  return isObject(address) && onlyKeys(address, ADDRESS_KEYS) && nullishString(address.name) && nullishString(address.address);
}

function isRecipientList(v: unknown): boolean {
  if (isNullish(v)) return true;
  if (!Array.isArray(v)) return false;
  for (const r of v) if (!isRecipient(r)) return false;
  return true;
}

function isMessage(v: Record<string, unknown>): boolean {
  return (
    typeof v.id === 'string' &&
    nullishString(v['@odata.type']) &&
    nullishString(v.conversationId) &&
    nullishString(v.conversationIndex) &&
    nullishString(v.internetMessageId) &&
    nullishString(v.sentDateTime) &&
    nullishString(v.receivedDateTime) &&
    nullishString(v.parentFolderId) &&
    (isNullish(v.isDraft) || typeof v.isDraft === 'boolean') &&
    (isNullish(v.from) || isRecipient(v.from)) &&
    (isNullish(v.sender) || isRecipient(v.sender)) &&
    isRecipientList(v.toRecipients) &&
    isRecipientList(v.ccRecipients) &&
    isRecipientList(v.bccRecipients)
  );
}

/** The message with its allow-listed keys only (the same object when it has no other). */
function stripped(m: Record<string, unknown>): Record<string, unknown> {
  let extra = false;
  for (const k in m) {
    if (!MESSAGE_KEYS.has(k)) {
      extra = true;
      break;
    }
  }
  if (!extra) return m;
  const copy: Record<string, unknown> = {};
  for (const k of MESSAGE_KEYS) if (m[k] !== undefined) copy[k] = m[k];
  return copy;
}

/** A page of messages, checked; throws as `parsePayload(pageSchema(messageSchema), body)` does. */
export function parseMessagePage(body: unknown): MessagePage {
  if (isObject(body) && Array.isArray(body.value) && nullishString(body['@odata.nextLink'])) {
    const value: unknown[] = body.value;
    let valid = true;
    for (let i = 0; i < value.length && valid; i++) {
      const m = value[i];
      if (isObject(m) && isMessage(m)) value[i] = stripped(m);
      else valid = false;
    }
    if (valid) {
      const page: MessagePage = { value: value as GraphMessage[] };
      if (typeof body['@odata.nextLink'] === 'string') page['@odata.nextLink'] = body['@odata.nextLink'];
      return page;
    }
  }
  return parsePayload(messagePageSchema, body);
}
