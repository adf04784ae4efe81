/**
 * `settled.bin`: what settled (run-state.ts, SettledState), in columns. A year of 60 busy
 * mailboxes holds ~100k day cells and ~600k conversation tails; as JSON that was ~1 s to read and
 * check, as typed arrays (views of the file where aligned) it is under 0.1 s.
 *
 * Layout: the 8 bytes `RAPPORT\x01`, a u32 (LE) header length, the header (JSON: the scalar
 * fields, the CRC-32 of the body and each section's kind and length), zero padding to 8 bytes,
 * then the sections, each padded to 8 bytes. Sections are f64, i32 or u32 arrays (little-endian),
 * or string lists as JSON. Anything that does not add up is STORE_CORRUPT naming the file.
 */
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { CellTables, emptyThreads, KEY_WORDS, LISTS, NUM_FIELDS, type CellColumns, type SettledThreads } from '../engagement';
import { storeCorrupt } from '../store/lowdb-document';

const FORMAT_FAMILY = 'rapport.settled/';
export const SETTLED_STATE_FORMAT = `${FORMAT_FAMILY}3`;
const MAGIC = Buffer.from('RAPPORT\u0001', 'latin1');

/**
 * What settled: the emails sent before `emailBoundary` and the meetings starting before
 * `meetingBoundary`, as day cells, plus the conversation emails later replies can point to
 * (docs/incremental.md).
 */
export interface SettledState {
  /** Reduction and member-set keys of the runs that settled it; a run with other keys starts over. */
  reductionKey: string;
  membersKey: string;
  /** T of the run that wrote it, epoch ms. */
  now: number;
  /** UTC day starts, epoch ms. */
  emailBoundary: number;
  meetingBoundary: number;
  /** The mailboxes whose mail and calendars the cells include. */
  contributors: string[];
  tables: CellTables;
  cells: CellColumns;
  threads: SettledThreads;
}

type Section = { kind: 'f64'; data: Float64Array } | { kind: 'i32'; data: Int32Array } | { kind: 'u32'; data: Uint32Array } | { kind: 'str'; data: string[] };

const SECTION_NAMES = [
  'members',
  'contacts',
  'accounts',
  'account',
  'day',
  'nums',
  'listOffsets',
  'lists',
  'replyOffsets',
  'replies',
  'dayTotals',
  'threadKeys',
  'threadEnc',
  'threadUntil',
] as const;
type SectionName = (typeof SECTION_NAMES)[number];

const headerSchema = z.object({
  format: z.literal(SETTLED_STATE_FORMAT),
  reductionKey: z.string(),
  membersKey: z.string(),
  now: z.number(),
  emailBoundary: z.number(),
  meetingBoundary: z.number(),
  contributors: z.array(z.string()),
  crc32: z.number().int(),
  sections: z.array(z.object({ name: z.enum(SECTION_NAMES), kind: z.enum(['f64', 'i32', 'u32', 'str']), bytes: z.number().int().nonnegative() })),
});

const pad8 = (n: number): number => (8 - (n % 8)) % 8;

/** The file's bytes. */
export function encodeSettled(state: SettledState): Buffer {
  return Buffer.concat(encodeSettledParts(state));
}

/** The file's bytes in order, in parts: the typed-array sections are views, not copies. */
export function encodeSettledParts(state: SettledState): Buffer[] {
  const { cells, threads, tables } = state;
  const sections: Record<SectionName, Section> = {
    members: { kind: 'str', data: tables.members },
    contacts: { kind: 'str', data: tables.contacts },
    accounts: { kind: 'str', data: cells.accounts },
    account: { kind: 'i32', data: cells.account },
    day: { kind: 'f64', data: cells.day },
    nums: { kind: 'f64', data: cells.nums },
    listOffsets: { kind: 'i32', data: cells.listOffsets },
    lists: { kind: 'i32', data: cells.lists },
    replyOffsets: { kind: 'i32', data: cells.replyOffsets },
    replies: { kind: 'f64', data: cells.replies },
    dayTotals: { kind: 'f64', data: cells.dayTotals },
    threadKeys: { kind: 'u32', data: threads.keys },
    threadEnc: { kind: 'f64', data: threads.enc },
    threadUntil: { kind: 'f64', data: threads.until },
  };
  const parts: Buffer[] = [];
  const specs: { name: SectionName; kind: Section['kind']; bytes: number }[] = [];
  for (const name of SECTION_NAMES) {
    const section = sections[name];
    const bytes =
      section.kind === 'str' ? Buffer.from(JSON.stringify(section.data), 'utf8') : Buffer.from(section.data.buffer, section.data.byteOffset, section.data.byteLength);
    specs.push({ name, kind: section.kind, bytes: bytes.length });
    parts.push(bytes, Buffer.alloc(pad8(bytes.length)));
  }
  let checksum = 0;
  // Empty parts are skipped: zlib.crc32 of an empty buffer returns 0, whatever the running value.
  for (const part of parts) if (part.length > 0) checksum = crc32(part, checksum);
  const header = Buffer.from(
    JSON.stringify({
      format: SETTLED_STATE_FORMAT,
      reductionKey: state.reductionKey,
      membersKey: state.membersKey,
      now: state.now,
      emailBoundary: state.emailBoundary,
      meetingBoundary: state.meetingBoundary,
      contributors: [...state.contributors].sort(),
      crc32: checksum,
      sections: specs,
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return [MAGIC, length, header, Buffer.alloc(pad8(MAGIC.length + 4 + header.length)), ...parts];
}

/**
 * The inverse of encodeSettled; throws STORE_CORRUPT naming `file` when anything is off. A file
 * in an earlier format of this one is outdated, not damaged: null, and the run starts over.
 */
export function decodeSettled(file: string, buffer: Buffer): SettledState | null {
  const corrupt = (why: string): never => {
    throw storeCorrupt(file, why);
  };
  if (buffer.length < MAGIC.length + 4 || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) corrupt('it is not a Rapport settled-state file');
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > buffer.length) corrupt('it is truncated');
  let raw: unknown;
  try {
    raw = JSON.parse(buffer.subarray(MAGIC.length + 4, headerEnd).toString('utf8'));
  } catch {
    corrupt('its header is not valid JSON');
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format === 'string' && format !== SETTLED_STATE_FORMAT && format.startsWith(FORMAT_FAMILY)) return null;
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) corrupt(`its header does not match ${SETTLED_STATE_FORMAT}`);
  const header = parsed.data!;
  const body = buffer.subarray(headerEnd + pad8(headerEnd));
  const expected = header.sections.reduce((n, s) => n + s.bytes + pad8(s.bytes), 0);
  if (body.length !== expected) corrupt(`it is ${body.length < expected ? 'truncated' : 'longer than its header says'}`);
  if (crc32(body) !== header.crc32) corrupt('its checksum does not match (the file was changed or damaged)');

  const sections = new Map<SectionName, Section>();
  let offset = 0;
  for (const spec of header.sections) {
    const bytes = body.subarray(offset, offset + spec.bytes);
    offset += spec.bytes + pad8(spec.bytes);
    if (spec.kind === 'str') {
      let list: unknown;
      try {
        list = JSON.parse(bytes.toString('utf8'));
      } catch {
        corrupt(`section ${spec.name} is not valid`);
      }
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) corrupt(`section ${spec.name} is not a list of strings`);
      sections.set(spec.name, { kind: 'str', data: list as string[] });
    } else {
      const width = spec.kind === 'f64' ? 8 : 4;
      if (spec.bytes % width !== 0) corrupt(`section ${spec.name} has a partial value`);
      // A view when the section is aligned in memory (sections are 8-aligned in the file, and a
      // file read whole starts a fresh allocation); a copy otherwise.
      const aligned = bytes.byteOffset % width === 0 ? bytes : new Uint8Array(bytes);
      const [buffer, offset, count] = [aligned.buffer, aligned.byteOffset, spec.bytes / width];
      sections.set(
        spec.name,
        spec.kind === 'f64'
          ? { kind: 'f64', data: new Float64Array(buffer, offset, count) }
          : spec.kind === 'u32'
            ? { kind: 'u32', data: new Uint32Array(buffer, offset, count) }
            : { kind: 'i32', data: new Int32Array(buffer, offset, count) },
      );
    }
  }
  function get(name: SectionName, kind: 'str'): string[];
  function get(name: SectionName, kind: 'f64'): Float64Array;
  function get(name: SectionName, kind: 'i32'): Int32Array;
  function get(name: SectionName, kind: 'u32'): Uint32Array;
  function get(name: SectionName, kind: Section['kind']): Section['data'] {
    const section = sections.get(name);
    if (!section || section.kind !== kind) return corrupt(`section ${name} is missing`);
    return section.data;
  }

  const tables = new CellTables(get('members', 'str'), get('contacts', 'str'));
  const cells: CellColumns = {
    accounts: get('accounts', 'str'),
    account: get('account', 'i32'),
    day: get('day', 'f64'),
    nums: get('nums', 'f64'),
    listOffsets: get('listOffsets', 'i32'),
    lists: get('lists', 'i32'),
    replyOffsets: get('replyOffsets', 'i32'),
    replies: get('replies', 'f64'),
    dayTotals: get('dayTotals', 'f64'),
  };
  checkCells(cells, tables, corrupt);
  const threads: SettledThreads = { keys: get('threadKeys', 'u32'), enc: get('threadEnc', 'f64'), until: get('threadUntil', 'f64') };
  const entries = threads.enc.length;
  if (threads.until.length !== entries || threads.keys.length !== entries * KEY_WORDS) corrupt('its conversation sections differ in length');
  const keys = threads.keys;
  const w = KEY_WORDS; // three words; a local, as imported bindings can be getters
  for (let o = 0; o + 2 * w <= keys.length; o += w) {
    if ((keys[o] - keys[o + w] || keys[o + 1] - keys[o + w + 1] || keys[o + 2] - keys[o + w + 2]) > 0) corrupt('its conversations are not sorted');
  }
  const { format: _format, crc32: _crc, sections: _sections, ...scalars } = header;
  return { ...scalars, tables, cells, threads: entries > 0 ? threads : emptyThreads() };
}

/** Every offset and index in range: a file that passes its checksum but was written wrong still fails here. */
function checkCells(c: CellColumns, tables: CellTables, corrupt: (why: string) => never): void {
  const n = c.account.length;
  const lists = LISTS; // a local in the loops below
  if (c.day.length !== n || c.nums.length !== n * NUM_FIELDS || c.listOffsets.length !== n * LISTS + 1 || c.replyOffsets.length !== n + 1 || c.replies.length % 3 !== 0) {
    corrupt('its cell sections differ in length');
  }
  if (c.dayTotals.length % 4 !== 0) corrupt('its day totals are incomplete');
  for (let i = 0; i < n; i++) if (c.account[i] < 0 || c.account[i] >= c.accounts.length) corrupt('a cell names an unknown account');
  const monotone = (offsets: Int32Array, end: number): boolean => {
    if (offsets[0] !== 0 || offsets[offsets.length - 1] !== end) return false;
    for (let i = 1; i < offsets.length; i++) if (offsets[i] < offsets[i - 1]) return false;
    return true;
  };
  if (!monotone(c.listOffsets, c.lists.length) || !monotone(c.replyOffsets, c.replies.length / 3)) corrupt('its cell offsets are not valid');
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < lists; k++) {
      const limit = k % 2 === 0 ? tables.members.length : tables.contacts.length;
      for (let x = c.listOffsets[i * lists + k], end = c.listOffsets[i * lists + k + 1]; x < end; x++) if (c.lists[x] < 0 || c.lists[x] >= limit) corrupt('a cell names an unknown member or contact');
    }
  }
}
