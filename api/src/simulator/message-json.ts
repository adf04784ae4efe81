/**
 * Message lines of a fixture folder at the byte level, so that neither indexing a mailbox nor
 * serving a page has to build a JavaScript object per message.
 *
 * Why: a full run reads every message of every mailbox once or more, and the simulator shares
 * the machine with the run it serves (`npm run bench:scale`). Parsing each NDJSON line with
 * `JSON.parse`, checking it with zod, projecting it and serialising the page again cost the
 * simulator ~14 µs per message served, most of it objects and garbage that real Graph's CPU would
 * pay for. Here one pass over the line's bytes validates it and finds the allow-listed fields,
 * and a page is written by copying their bytes.
 *
 * The contract, which the tests pin: `MessageLine.scan` returns true only for a line that
 * `JSON.parse` + `messageSchema` accept (less the date checks, done by the caller), and
 * `writeProjectedMessage` then writes exactly `JSON.stringify(projectMessage(JSON.parse(line),
 * select))` as UTF-8. Anything it is not sure of (escapes in a served string, duplicate keys,
 * invalid UTF-8, a field of an unexpected type, deep nesting…) returns false, and the caller takes
 * the general path, which reports bad lines as before.
 */
import { type BufferPool, pagePool } from './buffer-pool';
import { utf8SequenceEnd } from '../enrichment/utf8';
import { MESSAGE_SELECT_ALLOW_LIST } from './odata';

/** Field codes: the message fields the schema checks, in `MESSAGE_FIELD_NAMES` order. */
export const MESSAGE_FIELD_NAMES = ['@odata.type', ...MESSAGE_SELECT_ALLOW_LIST] as const;

const F_TYPE = 0;
export const F_ID = 1;
const F_FROM = 5;
const F_SENDER = 6;
const F_TO = 7;
const F_BCC = 9;
/** Date fields: the schema checks them with Date.parse, which the caller does (see `scan`). */
export const F_SENT = 10;
export const F_RECEIVED = 11;
const F_IS_DRAFT = 12;
export const F_PARENT_FOLDER_ID = 13;
const FIELD_COUNT = MESSAGE_FIELD_NAMES.length;

export const KIND_ABSENT = 0;
export const KIND_NULL = 1;
/** A string without escapes: its bytes (quotes included) are its JSON.stringify text. */
export const KIND_STRING = 2;
export const KIND_TRUE = 3;
export const KIND_FALSE = 4;
export const KIND_OBJECT = 5;
export const KIND_ARRAY = 6;

/** `@odata.type` values the schema allows; index 0 is the plain message, which is not served. */
const MESSAGE_TYPES = ['#microsoft.graph.message', '#microsoft.graph.eventMessage', '#microsoft.graph.eventMessageRequest', '#microsoft.graph.eventMessageResponse'];

/** Nesting this deep inside fields nobody serves is left to JSON.parse (and a recursion limit). */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Top-level keys (their bytes, by code), for matching without making a string per key. */
const FIELD_BYTES = MESSAGE_FIELD_NAMES.map(ascii);
/** Codes of the keys of each byte length (most lengths have none or one). */
const CODES_BY_LENGTH: number[][] = Array.from({ length: 32 }, () => []);
MESSAGE_FIELD_NAMES.forEach((name, code) => CODES_BY_LENGTH[name.length]!.push(code));
const TYPE_BYTES = MESSAGE_TYPES.map((t) => ascii(JSON.stringify(t)));
const K_EMAIL_ADDRESS = ascii('emailAddress');
const K_NAME = ascii('name');
const K_ADDRESS = ascii('address');
/** `{"emailAddress":{"name":` + `,"address":` + `}}`: a canonical recipient's bytes besides its two strings. */
const CANONICAL_RECIPIENT_BYTES = '{"emailAddress":{"name":,"address":}}'.length;

/** Bytes the writers emit. */
const NULL = ascii('null');
const FALSE = ascii('false');
const TRUE = ascii('true');
const EMPTY_ARRAY = ascii('[]');
const OPEN_ID = ascii('{"id":');
const OPEN_TYPE = ascii('{"@odata.type":');
const THEN_ID = ascii(',"id":');
const EMAIL_NAME = ascii('{"emailAddress":{"name":');
const EMAIL_ADDRESS = ascii(',"address":');
const CLOSE_EMAIL = ascii('}}');
/** `,"<field>":` by field code. */
const MEMBER = MESSAGE_FIELD_NAMES.map((f) => ascii(`,${JSON.stringify(f)}:`));
/** A projected message's bytes besides its values' own: braces, names, defaults (`false` at most 5). */
const WRITE_OVERHEAD = OPEN_TYPE.length + THEN_ID.length + MEMBER.reduce((n, m) => n + m.length + 5, 0) + 1;

/** Bytes that stand for themselves inside a JSON string: ASCII but for controls, quote and backslash. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * One message line, scanned: where each known field's value is, and its kind. Reused from line
 * to line (its arrays are state, not results to keep).
 */
export class MessageLine {
  buf: Buffer = Buffer.alloc(0);
  readonly kind = new Uint8Array(FIELD_COUNT);
  readonly start = new Int32Array(FIELD_COUNT);
  readonly end = new Int32Array(FIELD_COUNT);
  /** Where each field's key (its opening quote) is. */
  private readonly keyAt = new Int32Array(FIELD_COUNT);
  /** Per recipient field: its recipients are `rec[4·first .. 4·last)`. */
  readonly recFirst = new Int32Array(FIELD_COUNT);
  readonly recLast = new Int32Array(FIELD_COUNT);
  /** Per recipient: name start, name end, address start, address end (−1 for null or absent). */
  rec = new Int32Array(4 * 64);
  recCount = 0;
  /**
   * Per recipient field: 1 when its bytes are already what the projection writes (every member
   * exactly `{"emailAddress":{"name":"…","address":"…"}}`, no spaces), so it is copied whole.
   */
  readonly canonical = new Uint8Array(FIELD_COUNT);
  /** Index in MESSAGE_TYPES of `@odata.type`, or 0 when absent. */
  typeIndex = 0;
  /** By previous member (see `scan`), the code of the key that came next last time (−1: none). */
  private readonly next = new Int8Array(FIELD_COUNT + 2).fill(-1);
  private lim = 0;
  /** The recipient being read: spans of its name and address, −1 when null or absent. */
  private name = -1;
  private nameEnd = -1;
  private address = -1;
  private addressEnd = -1;
  /** Whether the recipient just read is canonical (see `canonical`). */
  private recipientCanonical = false;

  /**
   * Scans `buf[from, to)`. True when the line is a JSON object that `messageSchema` accepts,
   * but for the schema's Date.parse checks of `receivedDateTime` and `sentDateTime` (`F_RECEIVED`,
   * `F_SENT`: the caller's, as only indexing needs them), and whose served fields can be copied
   * byte for byte.
   */
  scan(buf: Buffer, from: number, to: number): boolean {
    this.buf = buf;
    this.lim = to;
    this.kind.fill(KIND_ABSENT);
    this.recCount = 0;
    this.typeIndex = 0;
    let i = this.ws(from);
    if (i >= to || buf[i] !== 0x7b) return false;
    i = this.ws(i + 1);
    if (i < to && buf[i] === 0x7d) return false; // `{}` has no id: the schema says which.
    // Where the previous member was: 0 the object's start, 1 after a key that is no field, else its field code + 2.
    let previous = 0;
    for (;;) {
      if (i >= to || buf[i] !== QUOTE) return false;
      const keyQuote = i;
      // Lines of one file mostly list their keys in the same order: try the key that followed
      // the previous one last time before reading the key in full.
      let code = this.next[previous]!;
      const name = code >= 0 ? FIELD_BYTES[code]! : undefined;
      if (name && i + name.length + 1 < to && buf[i + name.length + 1] === QUOTE && this.matches(i + 1, i + 1 + name.length, name)) i += name.length + 2;
      else {
        const keyStart = i + 1;
        i = this.str(i);
        if (i < 0) return false; // an escaped key is left to JSON.parse
        code = this.fieldCode(keyStart, i - 1);
        this.next[previous] = code;
      }
      previous = code + 2;
      i = this.ws(i);
      if (i >= to || buf[i] !== 0x3a) return false;
      i = this.ws(i + 1);
      if (code >= 0) this.keyAt[code] = keyQuote;
      i = code < 0 ? this.value(i, 1) : this.field(code, i);
      if (i < 0) return false;
      i = this.ws(i);
      if (i >= to) return false;
      if (buf[i] === 0x2c) {
        i = this.ws(i + 1);
        continue;
      }
      if (buf[i] !== 0x7d) return false;
      break;
    }
    if (this.ws(i + 1) !== to) return false;
    return this.kind[F_ID] === KIND_STRING && this.end[F_ID] - this.start[F_ID] > 2 && this.kind[F_RECEIVED] === KIND_STRING;
  }

  /**
   * Date.parse of a string field (NaN when null or absent), computed from the bytes for the
   * usual `YYYY-MM-DDTHH:MM:SS[.fff]Z` form, else by Date.parse itself.
   */
  dateMs(code: number): number {
    if (this.kind[code] !== KIND_STRING) return NaN;
    const ms = isoUtcMs(this.buf, this.start[code]! + 1, this.end[code]! - 1);
    return Number.isNaN(ms) ? Date.parse(this.text(code)!) : ms;
  }

  /** The text of a string field (quotes stripped), or undefined when it is null or absent. */
  text(code: number): string | undefined {
    if (this.kind[code] !== KIND_STRING) return undefined;
    return this.buf.toString('utf8', this.start[code]! + 1, this.end[code]! - 1);
  }

  /**
   * Records the line last scanned (true) as a layout at `out[at, at + LAYOUT_WORDS)`, for
   * `writeLayoutMessage`: per field, the offset (from `lineStart`) of the bytes that are already
   * its projected value, and a word with their length (0: write the default instead) and
   * LAYOUT_MEMBER_BEFORE when `,"<field>":` sits right before them. False (nothing usable
   * written) when the line has none: a recipient not in canonical form, or a line of 64 KiB.
   */
  layout(out: Uint16Array, at: number, lineStart: number): boolean {
    if (this.lim - lineStart > 0xffff) return false;
    const b = this.buf;
    for (let code = 0; code < FIELD_COUNT; code++) {
      const kind = this.kind[code]!;
      // The value's bytes are its projection when they are a plain string, the null a scalar
      // or from/sender projects to, isDraft's literal, or canonical recipients.
      let copy: boolean;
      if (code === F_TYPE) copy = this.typeIndex > 0;
      else if (code >= F_FROM && code <= F_BCC) {
        if (kind === KIND_OBJECT || kind === KIND_ARRAY) {
          if (this.canonical[code] !== 1) return false;
          copy = true;
        } else copy = kind === KIND_NULL && code <= F_SENDER;
      } else if (code === F_IS_DRAFT) copy = kind === KIND_TRUE || kind === KIND_FALSE;
      else copy = kind === KIND_STRING || kind === KIND_NULL;
      const start = this.start[code]!;
      const length = copy ? this.end[code]! - start : 0;
      if (length >= LAYOUT_MEMBER_BEFORE) return false;
      // `,"<name>":` right before the value: a comma before the key, nothing between key and value.
      const key = this.keyAt[code]!;
      const memberBefore = copy && key > lineStart && b[key - 1] === 0x2c && start === key + MEMBER[code]!.length - 1;
      out[at + 2 * code] = copy ? start - lineStart : 0;
      out[at + 2 * code + 1] = length | (memberBefore ? LAYOUT_MEMBER_BEFORE : 0);
    }
    return true;
  }

  private fieldCode(from: number, to: number): number {
    if (to - from >= CODES_BY_LENGTH.length) return -1;
    const codes = CODES_BY_LENGTH[to - from]!;
    for (let k = 0; k < codes.length; k++) if (this.matches(from, to, FIELD_BYTES[codes[k]!]!)) return codes[k]!;
    return -1;
  }

  private matches(from: number, to: number, name: Uint8Array): boolean {
    if (to - from !== name.length) return false;
    for (let k = 0; k < name.length; k++) if (this.buf[from + k] !== name[k]) return false;
    return true;
  }

  /** A known field's value at i: records it; −1 when its type is not the schema's or a duplicate. */
  private field(code: number, i: number): number {
    if (this.kind[code] !== KIND_ABSENT) return -1; // JSON.parse keeps the last: rare, left to it.
    const b = this.buf;
    const c = b[i];
    let end: number;
    let kind: number;
    if (c === QUOTE) {
      if (code >= F_FROM && code <= F_BCC) return -1;
      if (code === F_IS_DRAFT) return -1;
      end = this.str(i);
      if (end < 0) return -1;
      kind = KIND_STRING;
      if (code === F_TYPE) {
        this.typeIndex = -1;
        for (let t = 0; t < TYPE_BYTES.length && this.typeIndex < 0; t++) if (this.matches(i, end, TYPE_BYTES[t]!)) this.typeIndex = t;
        if (this.typeIndex < 0) return -1;
      }
    } else if (c === 0x6e) {
      if (code === F_TYPE || code === F_ID || code === F_RECEIVED) return -1;
      end = this.literal(i, 'null');
      kind = KIND_NULL;
    } else if (c === 0x74 || c === 0x66) {
      if (code !== F_IS_DRAFT) return -1;
      end = this.literal(i, c === 0x74 ? 'true' : 'false');
      kind = c === 0x74 ? KIND_TRUE : KIND_FALSE;
    } else if (c === 0x7b) {
      if (code !== F_FROM && code !== F_SENDER) return -1;
      this.recFirst[code] = this.recCount;
      end = this.recipient(i);
      this.recLast[code] = this.recCount;
      this.canonical[code] = this.recipientCanonical ? 1 : 0;
      kind = KIND_OBJECT;
    } else if (c === 0x5b) {
      if (code < F_TO || code > F_BCC) return -1;
      this.recFirst[code] = this.recCount;
      end = this.recipients(i, code);
      this.recLast[code] = this.recCount;
      kind = KIND_ARRAY;
    } else return -1;
    if (end < 0) return -1;
    this.kind[code] = kind;
    this.start[code] = i;
    this.end[code] = end;
    return end;
  }

  /** `[recipient, …]` at i for field `code`: every element an object (the schema refuses null members). */
  private recipients(i: number, code: number): number {
    const b = this.buf;
    const open = i;
    // Canonical when every member is and nothing but commas sits between them.
    let canonical = true;
    let members = 0;
    let memberBytes = 0;
    i = this.ws(i + 1);
    if (i < this.lim && b[i] === 0x5d) {
      this.canonical[code] = i === open + 1 ? 1 : 0;
      return i + 1;
    }
    for (;;) {
      if (i >= this.lim || b[i] !== 0x7b) return -1;
      const from = i;
      i = this.recipient(i);
      if (i < 0) return -1;
      canonical &&= this.recipientCanonical;
      members++;
      memberBytes += i - from;
      i = this.ws(i);
      if (i >= this.lim) return -1;
      if (b[i] === 0x5d) {
        this.canonical[code] = canonical && i + 1 - open === 2 + memberBytes + members - 1 ? 1 : 0;
        return i + 1;
      }
      if (b[i] !== 0x2c) return -1;
      i = this.ws(i + 1);
    }
  }

  /** `{"emailAddress": {"name": …, "address": …} | null, …}` at i; pushes one recipient. */
  private recipient(i: number): number {
    const fast = this.canonicalRecipient(i);
    if (fast > 0) return fast;
    const b = this.buf;
    const open = i;
    this.name = -1;
    this.nameEnd = -1;
    this.address = -1;
    this.addressEnd = -1;
    let sawEmail = false;
    i = this.ws(i + 1);
    if (i < this.lim && b[i] === 0x7d) i++;
    else {
      for (;;) {
        if (i >= this.lim || b[i] !== QUOTE) return -1;
        const k = i + 1;
        i = this.str(i);
        if (i < 0) return -1;
        const isEmail = this.matches(k, i - 1, K_EMAIL_ADDRESS);
        i = this.ws(i);
        if (i >= this.lim || b[i] !== 0x3a) return -1;
        i = this.ws(i + 1);
        if (isEmail) {
          if (sawEmail) return -1;
          sawEmail = true;
          i = b[i] === 0x6e ? this.literal(i, 'null') : this.emailAddress(i);
        } else i = this.value(i, 3);
        if (i < 0) return -1;
        i = this.ws(i);
        if (i >= this.lim) return -1;
        if (b[i] === 0x7d) {
          i++;
          break;
        }
        if (b[i] !== 0x2c) return -1;
        i = this.ws(i + 1);
      }
    }
    this.pushRecipient(this.name, this.nameEnd, this.address, this.addressEnd);
    // Parsed, with both strings, name first, and no byte beyond the minimal text: nothing else
    // (no other member, no space) can be in it.
    this.recipientCanonical =
      this.name >= 0 &&
      this.address > this.name &&
      i - open === CANONICAL_RECIPIENT_BYTES + (this.nameEnd - this.name) + (this.addressEnd - this.address);
    return i;
  }

  /**
   * The recipient at i when it is exactly `{"emailAddress":{"name":"…","address":"…"}}` with
   * plain ASCII strings (what generated fixtures hold): read in one pass and pushed as
   * canonical; else 0, and `recipient` reads it in full.
   */
  private canonicalRecipient(i: number): number {
    const b = this.buf;
    const lim = this.lim;
    if (i + CANONICAL_RECIPIENT_BYTES + 4 > lim) return 0;
    for (let k = 0; k < EMAIL_NAME.length; k++) if (b[i + k] !== EMAIL_NAME[k]) return 0;
    const name = i + EMAIL_NAME.length;
    if (b[name] !== QUOTE) return 0;
    let j = name + 1;
    while (j < lim && PLAIN[b[j]!] === 1) j++;
    if (j >= lim || b[j] !== QUOTE) return 0;
    const nameEnd = j + 1;
    if (nameEnd + EMAIL_ADDRESS.length >= lim) return 0;
    for (let k = 0; k < EMAIL_ADDRESS.length; k++) if (b[nameEnd + k] !== EMAIL_ADDRESS[k]) return 0;
    const address = nameEnd + EMAIL_ADDRESS.length;
    if (b[address] !== QUOTE) return 0;
    j = address + 1;
    while (j < lim && PLAIN[b[j]!] === 1) j++;
    if (j >= lim || b[j] !== QUOTE) return 0;
    const addressEnd = j + 1;
    if (addressEnd + 2 > lim || b[addressEnd] !== 0x7d || b[addressEnd + 1] !== 0x7d) return 0;
    this.pushRecipient(name, nameEnd, address, addressEnd);
    this.recipientCanonical = true;
    return addressEnd + 2;
  }

  private pushRecipient(name: number, nameEnd: number, address: number, addressEnd: number): void {
    if (this.rec.length < 4 * (this.recCount + 1)) {
      const grown = new Int32Array(this.rec.length * 2);
      grown.set(this.rec);
      this.rec = grown;
    }
    const r = 4 * this.recCount++;
    this.rec[r] = name;
    this.rec[r + 1] = nameEnd;
    this.rec[r + 2] = address;
    this.rec[r + 3] = addressEnd;
  }

  /** The `emailAddress` object at i: sets name and address (strings or null). */
  private emailAddress(i: number): number {
    const b = this.buf;
    if (b[i] !== 0x7b) return -1;
    let sawName = false;
    let sawAddress = false;
    i = this.ws(i + 1);
    if (i < this.lim && b[i] === 0x7d) return i + 1;
    for (;;) {
      if (i >= this.lim || b[i] !== QUOTE) return -1;
      const k = i + 1;
      i = this.str(i);
      if (i < 0) return -1;
      const which = this.matches(k, i - 1, K_NAME) ? 1 : this.matches(k, i - 1, K_ADDRESS) ? 2 : 0;
      i = this.ws(i);
      if (i >= this.lim || b[i] !== 0x3a) return -1;
      i = this.ws(i + 1);
      if (which === 0) i = this.value(i, 4);
      else {
        if (which === 1 ? sawName : sawAddress) return -1;
        if (which === 1) sawName = true;
        else sawAddress = true;
        if (b[i] === 0x6e) i = this.literal(i, 'null');
        else if (b[i] === QUOTE) {
          const s = i;
          i = this.str(i);
          if (i < 0) return -1;
          if (which === 1) {
            this.name = s;
            this.nameEnd = i;
          } else {
            this.address = s;
            this.addressEnd = i;
          }
        } else return -1;
      }
      if (i < 0) return -1;
      i = this.ws(i);
      if (i >= this.lim) return -1;
      if (b[i] === 0x7d) return i + 1;
      if (b[i] !== 0x2c) return -1;
      i = this.ws(i + 1);
    }
  }

  private ws(i: number): number {
    while (i < this.lim && isWs(this.buf[i]!)) i++;
    return i;
  }

  private literal(i: number, word: 'null' | 'true' | 'false'): number {
    if (i + word.length > this.lim) return -1;
    for (let k = 0; k < word.length; k++) if (this.buf[i + k] !== word.charCodeAt(k)) return -1;
    return i + word.length;
  }

  /** Any JSON value at i (fields nobody serves); its end, or −1. */
  private value(i: number, depth: number): number {
    if (i >= this.lim) return -1;
    const b = this.buf;
    const c = b[i]!;
    if (c === QUOTE) {
      const end = this.str(i);
      return end < -1 ? ~end : end;
    }
    if (c === 0x6e) return this.literal(i, 'null');
    if (c === 0x74) return this.literal(i, 'true');
    if (c === 0x66) return this.literal(i, 'false');
    if (c === 0x2d || isDigit(c)) return this.num(i);
    if (depth > MAX_DEPTH) return -1;
    if (c === 0x7b) {
      i = this.ws(i + 1);
      if (i < this.lim && b[i] === 0x7d) return i + 1;
      for (;;) {
        if (i >= this.lim || b[i] !== QUOTE) return -1;
        i = this.str(i);
        if (i < -1) i = ~i;
        else if (i < 0) return -1;
        i = this.ws(i);
        if (i >= this.lim || b[i] !== 0x3a) return -1;
        i = this.value(this.ws(i + 1), depth + 1);
        if (i < 0) return -1;
        i = this.ws(i);
        if (i >= this.lim) return -1;
        if (b[i] === 0x7d) return i + 1;
        if (b[i] !== 0x2c) return -1;
        i = this.ws(i + 1);
      }
    }
    if (c === 0x5b) {
      i = this.ws(i + 1);
      if (i < this.lim && b[i] === 0x5d) return i + 1;
      for (;;) {
        i = this.value(i, depth + 1);
        if (i < 0) return -1;
        i = this.ws(i);
        if (i >= this.lim) return -1;
        if (b[i] === 0x5d) return i + 1;
        if (b[i] !== 0x2c) return -1;
        i = this.ws(i + 1);
      }
    }
    return -1;
  }

  /** `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?` at i. */
  private num(i: number): number {
    const b = this.buf;
    const lim = this.lim;
    if (b[i] === 0x2d) i++;
    if (i >= lim) return -1;
    if (b[i] === 0x30) i++;
    else if (b[i]! >= 0x31 && b[i]! <= 0x39) while (i < lim && isDigit(b[i]!)) i++;
    else return -1;
    if (i < lim && b[i] === 0x2e) {
      i++;
      if (i >= lim || !isDigit(b[i]!)) return -1;
      while (i < lim && isDigit(b[i]!)) i++;
    }
    if (i < lim && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < lim && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= lim || !isDigit(b[i]!)) return -1;
      while (i < lim && isDigit(b[i]!)) i++;
    }
    return i;
  }

  /**
   * The string whose opening quote is at i: its end (after the closing quote); `~end` (< −1)
   * when it has backslash escapes; −1 when it is not valid JSON or not valid UTF-8 (Buffer
   * decoding would then substitute U+FFFD, which a byte copy would not).
   */
  private str(i: number): number {
    const b = this.buf;
    const lim = this.lim;
    i++;
    while (i < lim && PLAIN[b[i]!] === 1) i++;
    if (i < lim && b[i] === QUOTE) return i + 1;
    return this.strRest(i);
  }

  /** `str` past its plain ASCII prefix: escapes and UTF-8. */
  private strRest(i: number): number {
    const b = this.buf;
    const lim = this.lim;
    let escaped = false;
    for (;;) {
      while (i < lim && PLAIN[b[i]!] === 1) i++;
      if (i >= lim) return -1;
      const c = b[i]!;
      if (c === QUOTE) return escaped ? ~(i + 1) : i + 1;
      if (c < 0x20) return -1;
      if (c === BACKSLASH) {
        escaped = true;
        const e = b[i + 1];
        if (e === 0x75) {
          if (i + 5 >= lim || !isHex(b[i + 2]!) || !isHex(b[i + 3]!) || !isHex(b[i + 4]!) || !isHex(b[i + 5]!)) return -1;
          i += 6;
        } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i += 2;
        else return -1;
        continue;
      }
      // UTF-8, as in RFC 3629 §4 (no overlongs, no surrogates, ≤ U+10FFFF).
      const end = utf8SequenceEnd(b, i, lim);
      if (end < 0) return -1;
      i = end;
    }
  }
}

/** The decimal digit at b[i], or NaN. (Module-level: an inner closure per call costs more than the parse.) */
function digit(b: Uint8Array, i: number): number {
  const c = b[i]! - 0x30;
  return c >= 0 && c <= 9 ? c : NaN;
}

/**
 * Epoch ms of `b[from, to)` when it reads `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.fffZ`
 * with fields in range (year ≥ 1970: Date.UTC maps years below 100 to 19xx), the value
 * Date.parse gives; NaN for anything else, which the caller leaves to Date.parse.
 */
export function isoUtcMs(b: Uint8Array, from: number, to: number): number {
  const n = to - from;
  if ((n !== 20 && n !== 24) || b[to - 1] !== 0x5a) return NaN;
  if (b[from + 4] !== 0x2d || b[from + 7] !== 0x2d || b[from + 10] !== 0x54 || b[from + 13] !== 0x3a || b[from + 16] !== 0x3a) return NaN;
  const year = digit(b, from) * 1000 + digit(b, from + 1) * 100 + digit(b, from + 2) * 10 + digit(b, from + 3);
  const month = digit(b, from + 5) * 10 + digit(b, from + 6);
  const day = digit(b, from + 8) * 10 + digit(b, from + 9);
  const hour = digit(b, from + 11) * 10 + digit(b, from + 12);
  const minute = digit(b, from + 14) * 10 + digit(b, from + 15);
  const second = digit(b, from + 17) * 10 + digit(b, from + 18);
  let ms = 0;
  if (n === 24) {
    if (b[from + 19] !== 0x2e) return NaN;
    ms = digit(b, from + 20) * 100 + digit(b, from + 21) * 10 + digit(b, from + 22);
  }
  // NaN digits fail every comparison below.
  if (!(year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && ms >= 0)) return NaN;
  // Days since 1970-01-01 of the first of the month, plus the day: Date.UTC's arithmetic (a day
  // past the month's end rolls over, as Date.parse does), without its call.
  return (daysFromCivil(year, month) + day - 1) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

/** Days from 1970-01-01 to the first of `month` (1–12) of `year` ≥ 1970 (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5);
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

// ---------------------------------------------------------------------------
// Writing projected messages
// ---------------------------------------------------------------------------

/** A growing byte buffer for a response body, on pooled memory (buffer-pool.ts). */
export class JsonBytes {
  buf: Buffer;
  length = 0;

  constructor(
    capacity = 1 << 16,
    private readonly pool: BufferPool = pagePool,
  ) {
    this.buf = pool.take(capacity);
  }

  /** Makes room for n more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = this.pool.take(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.pool.give(this.buf);
    this.buf = grown;
  }

  bytes(src: Uint8Array, from = 0, to = src.length): void {
    const n = to - from;
    this.reserve(n);
    const out = this.buf;
    let p = this.length;
    // Short spans (most of them) are cheaper copied here than through a native call.
    if (n < 64) for (let k = from; k < to; k++) out[p++] = src[k]!;
    else {
      out.set(src.subarray(from, to), p);
      p += n;
    }
    this.length = p;
  }

  text(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.reserve(n);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.length++] = c;
  }

  /** The body written so far (a view of the buffer, not a copy). */
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Gives the memory back to the pool: no view from `result` may be used after this. */
  release(): void {
    this.pool.give(this.buf);
    this.buf = Buffer.alloc(0);
    this.length = 0;
  }
}

/** `$select` compiled for `writeProjectedMessage`: field codes, in order, without `id`. */
export type MessageProjection = Uint8Array;


/** Compiles a `$select` (names from the message allow-list) for `writeProjectedMessage`. */
export function compileMessageProjection(select: readonly string[]): MessageProjection {
  const codes: number[] = [];
  for (const name of select) {
    const code = (MESSAGE_FIELD_NAMES as readonly string[]).indexOf(name);
    if (code < 0 || code === F_TYPE) throw new Error(`not a servable message field: ${name}`);
    if (code !== F_ID) codes.push(code);
  }
  return Uint8Array.from(codes);
}

/** Words per message of a layout (`MessageLine.layout`): per field, an offset and a length word. */
export const LAYOUT_WORDS = FIELD_COUNT * 2;
/** Flag of a layout's length word: the field's `,"<name>":` precedes its bytes in the line. */
const LAYOUT_MEMBER_BEFORE = 0x8000;
const LAYOUT_LENGTH = 0x7fff;

/** Whether `layout[at…)` holds a layout (a message always has an id; length 0 marks none). */
export function hasLayout(layout: Uint16Array, at: number): boolean {
  return (layout[at + 2 * F_ID + 1]! & LAYOUT_LENGTH) > 0;
}

/** Marks `layout[at…)` as holding no layout. */
export function clearLayout(layout: Uint16Array, at: number): void {
  layout[at + 2 * F_ID + 1] = 0;
}

/**
 * Writes a message from its layout (`MessageLine.layout`) and its line at `buf[lineStart…)`:
 * the same bytes as `writeProjectedMessage` after a scan, without scanning. Fields whose
 * `,"<name>":value` is already in the line, one after the other as selected, are copied as one
 * run (in generated fixtures the whole message is four or five runs).
 */
export function writeLayoutMessage(buf: Buffer, lineStart: number, layout: Uint16Array, at: number, projection: MessageProjection, out: JsonBytes): void {
  // One bound check per message, then unchecked writes.
  let size = WRITE_OVERHEAD + (layout[at + 2 * F_TYPE + 1]! & LAYOUT_LENGTH) + (layout[at + 2 * F_ID + 1]! & LAYOUT_LENGTH);
  for (let p = 0; p < projection.length; p++) size += layout[at + 2 * projection[p]! + 1]! & LAYOUT_LENGTH;
  out.reserve(size);
  const o = out.buf;
  let n = out.length;
  const typeLength = layout[at + 2 * F_TYPE + 1]! & LAYOUT_LENGTH;
  if (typeLength > 0) {
    n = put(o, n, OPEN_TYPE, 0, OPEN_TYPE.length);
    const s = lineStart + layout[at + 2 * F_TYPE]!;
    n = put(o, n, buf, s, s + typeLength);
    n = put(o, n, THEN_ID, 0, THEN_ID.length);
  } else n = put(o, n, OPEN_ID, 0, OPEN_ID.length);
  const id = lineStart + layout[at + 2 * F_ID]!;
  n = put(o, n, buf, id, id + (layout[at + 2 * F_ID + 1]! & LAYOUT_LENGTH));
  // The run of line bytes not yet copied: [runFrom, runTo).
  let runFrom = 0;
  let runTo = 0;
  for (let p = 0; p < projection.length; p++) {
    const code = projection[p]!;
    const word = layout[at + 2 * code + 1]!;
    const length = word & LAYOUT_LENGTH;
    const s = lineStart + layout[at + 2 * code]!;
    if (word & LAYOUT_MEMBER_BEFORE) {
      const from = s - MEMBER[code]!.length;
      if (from !== runTo) {
        n = put(o, n, buf, runFrom, runTo);
        runFrom = from;
      }
      runTo = s + length;
      continue;
    }
    n = put(o, n, buf, runFrom, runTo);
    runFrom = runTo = 0;
    const member = MEMBER[code]!;
    n = put(o, n, member, 0, member.length);
    if (length > 0) n = put(o, n, buf, s, s + length);
    else {
      const value = code === F_IS_DRAFT ? FALSE : code >= F_TO && code <= F_BCC ? EMPTY_ARRAY : NULL;
      n = put(o, n, value, 0, value.length);
    }
  }
  n = put(o, n, buf, runFrom, runTo);
  o[n++] = 0x7d;
  out.length = n;
}

/** Copies `src[from, to)` to `out` at n (room already reserved); returns the new end. */
function put(out: Buffer, n: number, src: Buffer, from: number, to: number): number {
  // A native copy costs ~25 ns whatever its size; a loop ~0.7 ns a byte.
  if (to - from > 40) return n + src.copy(out, n, from, to);
  for (let k = from; k < to; k++) out[n++] = src[k]!;
  return n;
}

/**
 * Writes the line last scanned (true) as `projectMessage` + `JSON.stringify` would: `@odata.type`
 * for derived types, `id`, then the selected fields in `$select` order, recipients normalised.
 */
export function writeProjectedMessage(line: MessageLine, projection: MessageProjection, out: JsonBytes): void {
  const b = line.buf;
  if (line.typeIndex > 0) {
    out.bytes(OPEN_TYPE);
    out.bytes(b, line.start[F_TYPE], line.end[F_TYPE]);
    out.bytes(THEN_ID);
  } else out.bytes(OPEN_ID);
  out.bytes(b, line.start[F_ID], line.end[F_ID]);
  for (let p = 0; p < projection.length; p++) {
    const code = projection[p]!;
    out.bytes(MEMBER[code]!);
    const kind = line.kind[code];
    if (code >= F_FROM && code <= F_BCC) {
      if ((kind === KIND_OBJECT || kind === KIND_ARRAY) && line.canonical[code] === 1) out.bytes(b, line.start[code], line.end[code]);
      else if (kind === KIND_OBJECT || kind === KIND_ARRAY) {
        if (kind === KIND_ARRAY) out.byte(0x5b);
        for (let r = line.recFirst[code]!; r < line.recLast[code]!; r++) {
          if (r > line.recFirst[code]!) out.byte(0x2c);
          writeRecipient(line, r, out);
        }
        if (kind === KIND_ARRAY) out.byte(0x5d);
      } else out.bytes(code >= F_TO ? EMPTY_ARRAY : NULL);
    } else if (code === F_IS_DRAFT) out.bytes(kind === KIND_TRUE ? TRUE : FALSE);
    else if (kind === KIND_STRING) out.bytes(b, line.start[code], line.end[code]);
    else out.bytes(NULL);
  }
  out.byte(0x7d);
}

/** `{ emailAddress: { name: name ?? address ?? null, address: address ?? null } }`. */
function writeRecipient(line: MessageLine, r: number, out: JsonBytes): void {
  const rec = line.rec;
  const b = line.buf;
  const name = rec[4 * r]!;
  const address = rec[4 * r + 2]!;
  out.bytes(EMAIL_NAME);
  if (name >= 0) out.bytes(b, name, rec[4 * r + 1]);
  else if (address >= 0) out.bytes(b, address, rec[4 * r + 3]);
  else out.bytes(NULL);
  out.bytes(EMAIL_ADDRESS);
  if (address >= 0) out.bytes(b, address, rec[4 * r + 3]);
  else out.bytes(NULL);
  out.bytes(CLOSE_EMAIL);
}
