/**
 * Tenant fixture format (DESIGN.md §6): zod schemas, and a loader for both forms.
 *
 * - One JSON file: parsed and validated at once (meant for small tenants and tests).
 * - A folder: `tenant.json` is read at once; each mailbox's NDJSON files are read only when
 *   that mailbox is first requested, and then only indexed (byte offsets and sort keys in
 *   typed arrays), so a 500-mailbox tenant with ~1.5M messages costs tens of MB, not GB.
 *   Pages are read back from disk by offset. Message lines are validated once, while indexing,
 *   by a byte scan (message-json.ts) that leaves only unusual lines to JSON.parse and zod; pages
 *   are then served from the lines' bytes (`readMessageLines`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { pagePool } from './buffer-pool';
import { clearLayout, F_ID, F_PARENT_FOLDER_ID, F_RECEIVED, F_SENT, KIND_STRING, LAYOUT_WORDS, MessageLine } from './message-json';

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'not an ISO 8601 date-time' });

export const emailAddressSchema = z.looseObject({ name: z.string().nullish(), address: z.string().nullish() });
export const recipientSchema = z.looseObject({ emailAddress: emailAddressSchema.nullish() });

export const organizationSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  verifiedDomains: z.array(z.looseObject({ name: z.string().min(1), isDefault: z.boolean().optional() })).min(1),
});

export const userSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().min(1),
  accountEnabled: z.boolean().default(true),
  proxyAddresses: z.array(z.string()).optional(),
});

export const groupSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  mail: z.string().nullish(),
  mailEnabled: z.boolean().optional(),
  securityEnabled: z.boolean().optional(),
  groupTypes: z.array(z.string()).optional(),
  proxyAddresses: z.array(z.string()).optional(),
  members: z.array(z.string()).default([]),
});

/**
 * Org contacts (mail contacts in the directory): they may be group members, and
 * `transitiveMembers` lists them with `@odata.type` `#microsoft.graph.orgContact`. They never
 * have a mailbox. https://learn.microsoft.com/graph/api/group-list-transitivemembers
 */
export const contactSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
});

export const mailFolderSchema = z.looseObject({
  id: z.string().min(1),
  displayName: z.string(),
  wellKnownName: z.string().nullish(),
  parentFolderId: z.string().nullish(),
  isHidden: z.boolean().optional(),
});

/**
 * Derived message types Graph lists among `/users/{id}/messages`: meeting invitations,
 * responses and cancellations. Graph returns `@odata.type` on such items even under `$select`.
 * https://learn.microsoft.com/graph/api/resources/eventmessage
 */
export const MEETING_MESSAGE_TYPES = [
  '#microsoft.graph.eventMessage',
  '#microsoft.graph.eventMessageRequest',
  '#microsoft.graph.eventMessageResponse',
] as const;

/** A stored message. `subject`/`body` may be present: they are never served. */
export const messageSchema = z.looseObject({
  '@odata.type': z.enum(['#microsoft.graph.message', ...MEETING_MESSAGE_TYPES]).optional(),
  id: z.string().min(1),
  parentFolderId: z.string().nullish(),
  conversationId: z.string().nullish(),
  conversationIndex: z.string().nullish(),
  internetMessageId: z.string().nullish(),
  isDraft: z.boolean().nullish(),
  from: recipientSchema.nullish(),
  sender: recipientSchema.nullish(),
  toRecipients: z.array(recipientSchema).nullish(),
  ccRecipients: z.array(recipientSchema).nullish(),
  bccRecipients: z.array(recipientSchema).nullish(),
  sentDateTime: isoDate.nullish(),
  receivedDateTime: isoDate,
});

export const dateTimeTimeZoneSchema = z.looseObject({ dateTime: z.string().min(10), timeZone: z.string().nullish() });

export const eventSchema = z.looseObject({
  id: z.string().min(1),
  iCalUId: z.string().nullish(),
  type: z.enum(['singleInstance', 'occurrence', 'exception', 'seriesMaster']).nullish(),
  seriesMasterId: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  isAllDay: z.boolean().nullish(),
  organizer: recipientSchema.nullish(),
  attendees: z
    .array(
      z.looseObject({
        type: z.string().nullish(),
        status: z.looseObject({ response: z.string().nullish(), time: z.string().nullish() }).nullish(),
        emailAddress: emailAddressSchema.nullish(),
      }),
    )
    .nullish(),
  /**
   * The holder's own answer on this copy: `organizer` on the organizer's copy. On an attendee's
   * copy every attendee's `status.response` reads `none`; only this field tells the holder's.
   * https://learn.microsoft.com/graph/api/resources/event (responseStatus, attendees)
   */
  responseStatus: z.looseObject({ response: z.string().nullish(), time: z.string().nullish() }).nullish(),
  start: dateTimeTimeZoneSchema,
  end: dateTimeTimeZoneSchema,
});

export const mailboxSchema = z.object({
  mailFolders: z.array(mailFolderSchema).default([]),
  messages: z.array(messageSchema).default([]),
  events: z.array(eventSchema).default([]),
});

export const directorySchema = z.object({
  organization: organizationSchema,
  users: z.array(userSchema).default([]),
  groups: z.array(groupSchema).default([]),
  contacts: z.array(contactSchema).default([]),
});

export const fixtureSchema = directorySchema.extend({
  mailboxes: z.record(z.string(), mailboxSchema).default({}),
});

export type FixtureOrganization = z.infer<typeof organizationSchema>;
export type FixtureUser = z.infer<typeof userSchema>;
export type FixtureGroup = z.infer<typeof groupSchema>;
export type FixtureContact = z.infer<typeof contactSchema>;
export type FixtureMailFolder = z.infer<typeof mailFolderSchema>;
export type FixtureMessage = z.infer<typeof messageSchema>;
export type FixtureEvent = z.infer<typeof eventSchema>;
export type FixtureMailbox = z.infer<typeof mailboxSchema>;
export type TenantDirectory = z.infer<typeof directorySchema>;
export type TenantFixture = z.infer<typeof fixtureSchema>;
/** What callers may pass in (defaults not yet applied). */
export type TenantFixtureInput = z.input<typeof fixtureSchema>;

// ---------------------------------------------------------------------------
// Store: what the server reads
// ---------------------------------------------------------------------------

/** One mailbox, indexed: sort keys in memory, items read on demand. */
export interface MailboxIndex {
  readonly userId: string;
  readonly mailFolders: readonly FixtureMailFolder[];
  /** Messages per parentFolderId. */
  readonly folderItemCounts: ReadonlyMap<string, number>;
  readonly messageCount: number;
  /** receivedDateTime in epoch ms, ascending; ties are ordered by message id. */
  readonly messageReceived: Float64Array;
  /** Messages at sorted positions [from, to). */
  readMessages(from: number, to: number): Promise<FixtureMessage[]>;
  /**
   * The NDJSON lines of the messages at sorted positions [from, to), to be served without
   * parsing them (message-json.ts). Absent when the store holds objects rather than lines.
   */
  readMessageLines?(from: number, to: number): Promise<MessageLines>;
  readonly eventCount: number;
  /** Event start and end in epoch ms (UTC), sorted by start then id. */
  readonly eventStart: Float64Array;
  readonly eventEnd: Float64Array;
  readEvents(positions: readonly number[]): Promise<FixtureEvent[]>;
}

/**
 * Lines read back from a mailbox file: line k is `buf[start[k], end[k])`, in the order asked.
 * `buf` is pooled scratch memory (buffer-pool.ts): call `release` once done with it.
 */
export interface MessageLines {
  readonly buf: Buffer;
  /** Bytes of `buf` in use. */
  readonly bytes: number;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  /**
   * When the store still has them, the lines' layouts (message-json.ts `MessageLine.layout`):
   * LAYOUT_WORDS words per line, in the same order; a line whose id length is 0 has none.
   */
  readonly layout?: Uint16Array;
  release(): void;
}

export interface TenantStore extends TenantDirectory {
  /** Where it came from, for messages. */
  readonly source: string;
  hasMailbox(userId: string): boolean;
  /** Indexes the mailbox on first use; rejects with AppError('FIXTURE_INVALID') naming file and line. */
  mailbox(userId: string): Promise<MailboxIndex>;
  mailboxIds(): string[];
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function formatIssues(error: z.ZodError, prefix: string): string {
  const first = error.issues.slice(0, 3).map((i) => `${prefix}${formatPath(i.path)}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return first.join('; ') + more;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function invalid(message: string, details: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError('FIXTURE_INVALID', message, details, cause);
}

/** JSON.parse with an error naming the file and the line. */
function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : jsonErrorOffset(text);
    const line = at === undefined ? undefined : text.slice(0, at).split('\n').length;
    throw invalid(`${file}${line ? `:${line}` : ''}: not valid JSON (${msg})`, { file, line }, e);
  }
}

/** Offset of the first JSON syntax error (V8 on Node 20 does not always say), or undefined. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') str();
    else {
      const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!m) fail();
      i += m![0].length;
    }
  };
  const str = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : undefined;
  }
}

const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'coordinated universal time', 'z']);

/** Epoch ms of a Graph dateTimeTimeZone. UTC or an IANA zone; Windows zone names other than UTC are not supported. */
export function dateTimeTimeZoneToMs(v: { dateTime: string; timeZone?: string | null }): number {
  const tz = (v.timeZone ?? 'UTC').trim();
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(v.dateTime);
  if (hasOffset) return Date.parse(v.dateTime);
  const asUtc = Date.parse(`${v.dateTime}Z`);
  if (UTC_NAMES.has(tz.toLowerCase())) return asUtc;
  // IANA zone: find the offset at that wall-clock time (two passes settle DST edges).
  let guess = asUtc;
  for (let i = 0; i < 2; i++) guess = asUtc - zoneOffsetMs(tz, guess);
  return guess;
}

function zoneOffsetMs(timeZone: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(atMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(atMs / 1000) * 1000;
}

function eventTimes(e: FixtureEvent, where: string): [number, number] {
  let start: number;
  let end: number;
  try {
    start = dateTimeTimeZoneToMs(e.start);
    end = dateTimeTimeZoneToMs(e.end);
  } catch (err) {
    throw invalid(`${where}: unsupported timeZone (${(err as Error).message})`, { where }, err);
  }
  if (Number.isNaN(start) || Number.isNaN(end)) throw invalid(`${where}: start or end is not a date-time`, { where });
  if (end < start) throw invalid(`${where}: end is before start`, { where });
  return [start, end];
}

/** `to` with `from` copied in: a column grown. */
function grown<T extends Float64Array | Uint32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function sortedOrder(keys: Float64Array, ids: readonly string[]): Uint32Array {
  const before = (a: number, b: number): boolean => keys[a]! < keys[b]! || (keys[a] === keys[b] && ids[a]! < ids[b]!);
  // Files usually come sorted (the generator writes them so): then the order is the file's.
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = before(i - 1, i);
  if (sorted) return Uint32Array.from({ length: keys.length }, (_, i) => i);
  const order = Array.from({ length: keys.length }, (_, i) => i);
  order.sort((a, b) => keys[a]! - keys[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  return Uint32Array.from(order);
}

function validateDirectory(dir: TenantDirectory, file: string): void {
  const ids = new Set<string>();
  dir.users.forEach((u, i) => {
    if (ids.has(u.id)) throw invalid(`${file}: users[${i}].id: duplicate id "${u.id}"`, { file, path: `users[${i}].id` });
    ids.add(u.id);
  });
  dir.groups.forEach((g, i) => {
    if (ids.has(g.id)) throw invalid(`${file}: groups[${i}].id: duplicate id "${g.id}"`, { file, path: `groups[${i}].id` });
    ids.add(g.id);
  });
  dir.contacts.forEach((c, i) => {
    if (ids.has(c.id)) throw invalid(`${file}: contacts[${i}].id: duplicate id "${c.id}"`, { file, path: `contacts[${i}].id` });
    ids.add(c.id);
  });
  dir.groups.forEach((g, i) =>
    g.members.forEach((m, j) => {
      if (!ids.has(m)) {
        throw invalid(`${file}: groups[${i}].members[${j}]: unknown user, group or contact id "${m}"`, {
          file,
          path: `groups[${i}].members[${j}]`,
        });
      }
    }),
  );
}

function countFolders(messages: Iterable<{ parentFolderId?: string | null }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) if (m.parentFolderId) counts.set(m.parentFolderId, (counts.get(m.parentFolderId) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------
// In-memory form
// ---------------------------------------------------------------------------

class MemoryMailbox implements MailboxIndex {
  readonly messageCount: number;
  readonly messageReceived: Float64Array;
  readonly eventCount: number;
  readonly eventStart: Float64Array;
  readonly eventEnd: Float64Array;
  readonly folderItemCounts: Map<string, number>;
  readonly mailFolders: FixtureMailFolder[];
  private readonly messages: FixtureMessage[];
  private readonly events: FixtureEvent[];

  constructor(
    readonly userId: string,
    data: FixtureMailbox,
    where: string,
  ) {
    this.mailFolders = data.mailFolders;
    const received = Float64Array.from(data.messages, (m) => Date.parse(m.receivedDateTime));
    const mOrder = sortedOrder(received, data.messages.map((m) => m.id));
    this.messages = Array.from(mOrder, (i) => data.messages[i]!);
    this.messageReceived = Float64Array.from(mOrder, (i) => received[i]!);
    this.messageCount = this.messages.length;
    const times = data.events.map((e, i) => eventTimes(e, `${where}.events[${i}]`));
    const starts = Float64Array.from(times, (t) => t[0]);
    const eOrder = sortedOrder(starts, data.events.map((e) => e.id));
    this.events = Array.from(eOrder, (i) => data.events[i]!);
    this.eventStart = Float64Array.from(eOrder, (i) => times[i]![0]);
    this.eventEnd = Float64Array.from(eOrder, (i) => times[i]![1]);
    this.eventCount = this.events.length;
    this.folderItemCounts = countFolders(this.messages);
  }

  readMessages(from: number, to: number): Promise<FixtureMessage[]> {
    return Promise.resolve(this.messages.slice(from, to));
  }

  readEvents(positions: readonly number[]): Promise<FixtureEvent[]> {
    return Promise.resolve(positions.map((p) => this.events[p]!));
  }
}

/** Builds a store from an object (validated here). */
export function tenantStoreFromObject(input: unknown, source = '<in-memory fixture>'): TenantStore {
  const parsed = fixtureSchema.safeParse(input);
  if (!parsed.success) throw invalid(`${source}: ${formatIssues(parsed.error, '')}`, { file: source, issues: parsed.error.issues });
  const fx = parsed.data;
  validateDirectory(fx, source);
  const userIds = new Set(fx.users.map((u) => u.id));
  for (const id of Object.keys(fx.mailboxes)) {
    if (!userIds.has(id)) throw invalid(`${source}: mailboxes.${id}: no user with this id`, { file: source, path: `mailboxes.${id}` });
  }
  const cache = new Map<string, MemoryMailbox>();
  return {
    source,
    organization: fx.organization,
    users: fx.users,
    groups: fx.groups,
    contacts: fx.contacts,
    hasMailbox: (id) => Object.hasOwn(fx.mailboxes, id),
    mailboxIds: () => Object.keys(fx.mailboxes),
    mailbox: (id) => {
      const data = fx.mailboxes[id];
      if (!data) return Promise.reject(invalid(`${source}: no mailbox for user ${id}`, { userId: id }));
      let mb = cache.get(id);
      try {
        if (!mb) cache.set(id, (mb = new MemoryMailbox(id, data, `${source}: mailboxes.${id}`)));
      } catch (e) {
        return Promise.reject(e);
      }
      return Promise.resolve(mb);
    },
  };
}

// ---------------------------------------------------------------------------
// Folder form (lazy, indexed)
// ---------------------------------------------------------------------------

/**
 * Calls `onLine(buf, start, end, lineNo, offset)` for each line that is not blank: `buf[start,
 * end)` is the line without its line break (and CR), `offset` where it starts in the file. Reads
 * in 1 MiB blocks into one pooled buffer (no allocation per block or line), so `buf` is only
 * valid during the call.
 */
async function scanLines(file: string, onLine: (buf: Buffer, start: number, end: number, lineNo: number, offset: number) => void): Promise<void> {
  const fh = await open(file, 'r');
  let buf = pagePool.take(1 << 20);
  try {
    let filled = 0; // bytes of buf holding file data
    let base = 0; // file offset of buf[0]
    let lineNo = 0;
    const emit = (view: Buffer, start: number, end: number): void => {
      lineNo++;
      if (end > start && view[end - 1] === 0x0d) end--;
      if (end === start) return;
      // Blank means what String#trim says (any Unicode space); a line that opens an object is not.
      if (view[start] !== 0x7b && view.toString('utf8', start, end).trim() === '') return;
      onLine(view, start, end, lineNo, base + start);
    };
    for (;;) {
      if (filled === buf.length) {
        // A line longer than the buffer: grow it.
        const grown = pagePool.take(buf.length * 2);
        buf.copy(grown, 0, 0, filled);
        pagePool.give(buf);
        buf = grown;
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, base + filled);
      filled += bytesRead;
      const view = buf.subarray(0, filled);
      let start = 0;
      for (let nl = view.indexOf(0x0a, start); nl !== -1; nl = view.indexOf(0x0a, start)) {
        emit(view, start, nl);
        start = nl + 1;
      }
      if (bytesRead === 0) {
        if (start < filled) emit(view, start, filled);
        return;
      }
      // Keep the unfinished line at the front for the next block.
      buf.copy(buf, 0, start, filled);
      base += start;
      filled -= start;
    }
  } finally {
    pagePool.give(buf);
    await fh.close();
  }
}

function parseLine<T>(schema: z.ZodType<T>, text: string, file: string, lineNo: number): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(`${file}:${lineNo}: not valid JSON (${(e as Error).message})`, { file, line: lineNo }, e);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw invalid(`${file}:${lineNo}: ${formatIssues(r.error, '')}`, { file, line: lineNo });
  return r.data;
}

/** How long an unused mailbox file stays open, and how many may stay open unused. */
const IDLE_OPEN_MS = 1000;
const MAX_IDLE_OPEN = 128;

/**
 * A store's mailbox files, kept open between pages: opening and closing the file for every page
 * cost about as much CPU as reading it. A file unused for IDLE_OPEN_MS is closed by an unref'd
 * timer, so nothing stays open after a run or keeps the process alive. One per store, so a
 * store loaded afresh never reads through a handle opened on a file since replaced.
 */
class OpenFiles {
  private readonly files = new Map<string, { handle: Promise<FileHandle>; users: number; timer?: NodeJS.Timeout }>();

  async use<T>(file: string, f: (fh: FileHandle) => Promise<T>): Promise<T> {
    let entry = this.files.get(file);
    if (!entry) {
      const opened = { handle: open(file, 'r'), users: 0 };
      // A failed open is not kept: the next page tries again.
      opened.handle.catch(() => {
        if (this.files.get(file) === opened) this.files.delete(file);
      });
      this.files.set(file, (entry = opened));
    }
    const e = entry;
    clearTimeout(e.timer);
    e.users++;
    try {
      return await f(await e.handle);
    } finally {
      if (--e.users === 0) {
        const close = (): void => {
          if (e.users > 0 || this.files.get(file) !== e) return;
          this.files.delete(file);
          void e.handle.then((h) => h.close()).catch(() => undefined);
        };
        if (this.files.size > MAX_IDLE_OPEN) close();
        else (e.timer = setTimeout(close, IDLE_OPEN_MS)).unref();
      }
    }
  }
}

/** Reads lines by offset and length into one buffer, coalescing runs of adjacent lines into one read. */
async function readLines(files: OpenFiles, file: string, offsets: ArrayLike<number>, lengths: ArrayLike<number>): Promise<MessageLines> {
  const n = offsets.length;
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  if (n === 0) return { buf: Buffer.alloc(0), bytes: 0, start, end, release: () => undefined };
  // Runs of adjacent lines: [first, last] per run.
  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && offsets[j + 1] === offsets[j]! + lengths[j]! + 1) j++;
    runs.push(i, j);
    total += offsets[j]! + lengths[j]! - offsets[i]!;
    i = j + 1;
  }
  const buf = pagePool.take(total);
  const release = (): void => pagePool.give(buf);
  const read = async (fh: FileHandle): Promise<void> => {
    let at = 0;
    for (let r = 0; r < runs.length; r += 2) {
      const i = runs[r]!;
      const j = runs[r + 1]!;
      const from = offsets[i]!;
      const size = offsets[j]! + lengths[j]! - from;
      let got = 0;
      while (got < size) {
        const { bytesRead } = await fh.read(buf, at + got, size - got, from + got);
        if (bytesRead === 0) throw invalid(`${file}: changed while served (ends before byte ${from + size})`, { file });
        got += bytesRead;
      }
      for (let k = i; k <= j; k++) {
        start[k] = at + offsets[k]! - from;
        end[k] = start[k]! + lengths[k]!;
      }
      at += size;
    }
  };
  try {
    await files.use(file, read);
  } catch (e) {
    release();
    throw e;
  }
  return { buf, bytes: total, start, end, release };
}

function parseLines<T>(lines: MessageLines): T[] {
  try {
    const out: T[] = [];
    for (let k = 0; k < lines.start.length; k++) out.push(JSON.parse(lines.buf.toString('utf8', lines.start[k], lines.end[k])) as T);
    return out;
  } finally {
    lines.release();
  }
}

/** What keeps layouts: a mailbox, which the budget asks to drop them. */
export interface LayoutHolder {
  dropLayouts(): void;
}

/**
 * Message layouts kept across mailboxes, least recently read dropped first.
 *
 * Why: indexing scans every line anyway; keeping where each served field lies lets a page be
 * written without scanning its lines again, which was half the CPU of serving. A layout is 56
 * bytes a message, so a bound is needed: 64 MiB holds ~1.2 M messages, several times the
 * mailboxes a run reads at once (Graph allows 4 requests per mailbox, so a run spreads over
 * many mailboxes, each read soon after it is indexed). Without its layouts a mailbox is served
 * by scanning, as before.
 */
export class LayoutBudget {
  private readonly held = new Map<LayoutHolder, number>();
  private bytes = 0;

  constructor(readonly maxBytes = 64 << 20) {}

  /** Keeps `mb`'s layouts (of `size` bytes) if they fit, dropping the least recently read. */
  admit(mb: LayoutHolder, size: number): boolean {
    if (size > this.maxBytes) return false;
    for (const [old, oldSize] of this.held) {
      if (this.bytes + size <= this.maxBytes) break;
      old.dropLayouts();
      this.held.delete(old);
      this.bytes -= oldSize;
    }
    this.held.set(mb, size);
    this.bytes += size;
    return true;
  }

  /** Marks `mb` as just read. */
  touch(mb: LayoutHolder): void {
    const size = this.held.get(mb);
    if (size === undefined) return;
    this.held.delete(mb);
    this.held.set(mb, size);
  }

  get heldBytes(): number {
    return this.bytes;
  }
}

class FileMailbox implements MailboxIndex, LayoutHolder {
  messageCount = 0;
  messageReceived = new Float64Array(0);
  eventCount = 0;
  eventStart = new Float64Array(0);
  eventEnd = new Float64Array(0);
  folderItemCounts = new Map<string, number>();
  mailFolders: FixtureMailFolder[] = [];
  private msgOffset = new Float64Array(0);
  private msgLength = new Uint32Array(0);
  private evOffset = new Float64Array(0);
  private evLength = new Uint32Array(0);
  /** Layouts of the messages in sorted order, while the budget keeps them. */
  private layouts: Uint16Array | undefined;

  private constructor(
    readonly userId: string,
    private readonly messagesFile: string,
    private readonly eventsFile: string,
    private readonly budget: LayoutBudget,
    private readonly files: OpenFiles,
  ) {}

  static async load(userId: string, dir: string, budget: LayoutBudget, files: OpenFiles): Promise<FileMailbox> {
    const mb = new FileMailbox(userId, join(dir, 'messages.ndjson'), join(dir, 'events.ndjson'), budget, files);
    const foldersFile = join(dir, 'mailFolders.json');
    if (existsSync(foldersFile)) {
      const raw = parseJsonFile(foldersFile, readFileSync(foldersFile, 'utf8'));
      const r = z.array(mailFolderSchema).safeParse(raw);
      if (!r.success) throw invalid(`${foldersFile}: ${formatIssues(r.error, '')}`, { file: foldersFile });
      mb.mailFolders = r.data;
    }
    if (existsSync(mb.messagesFile)) await mb.indexMessages();
    if (existsSync(mb.eventsFile)) await mb.indexEvents();
    return mb;
  }

  private async indexMessages(): Promise<void> {
    // Columns sized from the file (generated lines are ~750 bytes), grown if that was short.
    let capacity = Math.max(1024, Math.ceil(statSync(this.messagesFile).size / 400));
    let keys = new Float64Array(capacity);
    let offs = new Float64Array(capacity);
    let lens = new Uint32Array(capacity);
    let layouts = new Uint16Array(LAYOUT_WORDS * capacity);
    const ids: string[] = [];
    let n = 0;
    const line = new MessageLine();
    await scanLines(this.messagesFile, (buf, start, end, lineNo, offset) => {
      if (n === capacity) {
        capacity *= 2;
        keys = grown(keys, new Float64Array(capacity));
        offs = grown(offs, new Float64Array(capacity));
        lens = grown(lens, new Uint32Array(capacity));
        layouts = grown(layouts, new Uint16Array(LAYOUT_WORDS * capacity));
      }
      const at = LAYOUT_WORDS * n;
      let received = NaN;
      let id: string;
      let folder: string | null | undefined;
      // The byte scan vouches for everything the schema checks but the dates; anything it is
      // unsure of goes to JSON.parse and zod, which name the line and the field as before.
      if (line.scan(buf, start, end) && !Number.isNaN((received = line.dateMs(F_RECEIVED))) && (line.kind[F_SENT] !== KIND_STRING || !Number.isNaN(line.dateMs(F_SENT)))) {
        id = line.text(F_ID)!;
        folder = line.text(F_PARENT_FOLDER_ID);
        if (!line.layout(layouts, at, start)) clearLayout(layouts, at);
      } else {
        const m = parseLine(messageSchema, buf.toString('utf8', start, end), this.messagesFile, lineNo);
        received = Date.parse(m.receivedDateTime);
        id = m.id;
        folder = m.parentFolderId;
        clearLayout(layouts, at); // served by the general path
      }
      keys[n] = received;
      offs[n] = offset;
      lens[n] = end - start;
      ids.push(id);
      n++;
      if (folder) this.folderItemCounts.set(folder, (this.folderItemCounts.get(folder) ?? 0) + 1);
    });
    const order = sortedOrder(keys.subarray(0, n), ids);
    let inFileOrder = true;
    for (let i = 0; i < n && inFileOrder; i++) inFileOrder = order[i] === i;
    let sorted: Uint16Array;
    if (inFileOrder) {
      this.messageReceived = keys.slice(0, n);
      this.msgOffset = offs.slice(0, n);
      this.msgLength = lens.slice(0, n);
      sorted = layouts.slice(0, LAYOUT_WORDS * n);
    } else {
      this.messageReceived = Float64Array.from(order, (i) => keys[i]!);
      this.msgOffset = Float64Array.from(order, (i) => offs[i]!);
      this.msgLength = Uint32Array.from(order, (i) => lens[i]!);
      sorted = new Uint16Array(LAYOUT_WORDS * n);
      for (let i = 0; i < n; i++) sorted.set(layouts.subarray(LAYOUT_WORDS * order[i]!, LAYOUT_WORDS * (order[i]! + 1)), LAYOUT_WORDS * i);
    }
    this.messageCount = n;
    if (this.budget.admit(this, sorted.byteLength)) this.layouts = sorted;
  }

  /** Called by the budget: pages are then written by scanning their lines. */
  dropLayouts(): void {
    this.layouts = undefined;
  }

  private async indexEvents(): Promise<void> {
    const starts: number[] = [];
    const ends: number[] = [];
    const ids: string[] = [];
    const offs: number[] = [];
    const lens: number[] = [];
    await scanLines(this.eventsFile, (buf, start, end, lineNo, offset) => {
      const e = parseLine(eventSchema, buf.toString('utf8', start, end), this.eventsFile, lineNo);
      const [s, en] = eventTimes(e, `${this.eventsFile}:${lineNo}`);
      starts.push(s);
      ends.push(en);
      ids.push(e.id);
      offs.push(offset);
      lens.push(end - start);
    });
    const s = Float64Array.from(starts);
    const order = sortedOrder(s, ids);
    this.eventStart = Float64Array.from(order, (i) => s[i]!);
    this.eventEnd = Float64Array.from(order, (i) => ends[i]!);
    this.evOffset = Float64Array.from(order, (i) => offs[i]!);
    this.evLength = Uint32Array.from(order, (i) => lens[i]!);
    this.eventCount = order.length;
  }

  async readMessages(from: number, to: number): Promise<FixtureMessage[]> {
    return parseLines<FixtureMessage>(await this.readMessageLines(from, to));
  }

  async readMessageLines(from: number, to: number): Promise<MessageLines> {
    const lines = await readLines(this.files, this.messagesFile, this.msgOffset.subarray(from, to), this.msgLength.subarray(from, to));
    // Taken after the read: the budget may have dropped them meanwhile.
    const layouts = this.layouts;
    if (!layouts) return lines;
    this.budget.touch(this);
    return { ...lines, layout: layouts.subarray(LAYOUT_WORDS * from, LAYOUT_WORDS * to) };
  }

  async readEvents(positions: readonly number[]): Promise<FixtureEvent[]> {
    const lines = await readLines(
      this.files,
      this.eventsFile,
      positions.map((p) => this.evOffset[p]!),
      positions.map((p) => this.evLength[p]!),
    );
    return parseLines<FixtureEvent>(lines);
  }
}

function folderStore(dir: string, options: LoadOptions): TenantStore {
  const tenantFile = join(dir, 'tenant.json');
  if (!existsSync(tenantFile)) throw invalid(`${dir}: tenant.json is missing (expected a fixture folder)`, { file: tenantFile });
  const raw = parseJsonFile(tenantFile, readFileSync(tenantFile, 'utf8'));
  const parsed = directorySchema.safeParse(raw);
  if (!parsed.success) throw invalid(`${tenantFile}: ${formatIssues(parsed.error, '')}`, { file: tenantFile });
  const directory = parsed.data;
  validateDirectory(directory, tenantFile);
  const mailboxesDir = join(dir, 'mailboxes');
  const userIds = new Set(directory.users.map((u) => u.id));
  const ids = existsSync(mailboxesDir)
    ? readdirSync(mailboxesDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];
  for (const id of ids) {
    if (!userIds.has(id)) throw invalid(`${join(mailboxesDir, id)}: no user with id "${id}" in tenant.json`, { file: join(mailboxesDir, id) });
  }
  const present = new Set(ids);
  const loading = new Map<string, Promise<FileMailbox>>();
  const budget = new LayoutBudget(options.layoutBytes);
  const files = new OpenFiles();
  return {
    source: dir,
    ...directory,
    hasMailbox: (id) => present.has(id),
    mailboxIds: () => [...present],
    mailbox: (id) => {
      if (!present.has(id)) return Promise.reject(invalid(`${dir}: no mailbox for user ${id}`, { userId: id }));
      let p = loading.get(id);
      if (!p) {
        p = FileMailbox.load(id, join(mailboxesDir, id), budget, files);
        loading.set(id, p);
      }
      return p;
    },
  };
}

export interface LoadOptions {
  /** Bytes of message layouts a folder store keeps (see LayoutBudget). @default 64 MiB */
  layoutBytes?: number;
}

/**
 * Loads a fixture: a `.json` file, or a folder with `tenant.json` and `mailboxes/<userId>/…`.
 * Throws AppError('FIXTURE_INVALID') naming the file and the line or path.
 */
export function loadFixture(path: string, options: LoadOptions = {}): TenantStore {
  if (!existsSync(path)) throw invalid(`${path}: no such file or folder`, { file: path });
  if (statSync(path).isDirectory()) return folderStore(path, options);
  return tenantStoreFromObject(parseJsonFile(path, readFileSync(path, 'utf8')), path);
}

/** Indexes every mailbox now, so that a bad line fails at startup rather than on first request. */
export async function validateAllMailboxes(store: TenantStore): Promise<void> {
  for (const id of store.mailboxIds()) await store.mailbox(id);
}
