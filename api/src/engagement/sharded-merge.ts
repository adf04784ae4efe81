/**
 * The merge of a full run's mailbox partials without holding the merged partial (issue 12,
 * "flat memory"). Merging everything into one partial keeps every logical email of the tenant in
 * memory until scoring: ~400 bytes each, so memory grew with message volume. Instead:
 *
 * 1. `add` cuts each finished mailbox partial into shards by the hash of each key (emails,
 *    meetings) and of each conversation (thread timelines), and hands the shards to a
 *    `SpillStore` as lines of JSON; the store keeps them in memory up to a budget and spills to
 *    disk beyond it. Only the contacts (address hash → account, bounded by the customer data)
 *    stay merged in memory.
 * 2. `resultsSlices` merges one key shard at a time (every copy of a logical email or meeting has
 *    the same key, so dedupe is complete within its shard) and counts it into day cells, exactly
 *    as `accumulateCells` does for the whole merged partial, except reply latency: an inbound
 *    email's conversation timeline lives in a conversation shard, so the email is handed out as a
 *    `DeferredReply` line, by conversation shard.
 * 3. Then each conversation shard merges its timelines and adds its deferred replies' chains to
 *    the same cells. Cells add up (counts, sums, set unions, min/max), so the cells, and the rows,
 *    equal those of the single merged partial (sharded-merge.spec.ts proves it).
 *
 * Peak memory is then one shard's entries (1/64 of the tenant's), the cells (accounts × days)
 * and the store's budget, whatever the message volume.
 */
import type { AccountDirectory } from './account-directory';
import { windowStartOf } from './buckets';
import { CellTables, toColumnsSlices } from './cell-columns';
import { accumulateCellsSlices, addDeferredReply, finalizeResultsSlices, type CountedEntries, type DeferredReply, type EngagementResults } from './compute-results';
import { collectedTimeline, emptyCellSet } from './day-cells';
import { mergeEmailEntry, mergeMeetingEntry, unionSorted, type EmailEntry, type MailboxPartial, type MeetingEntry } from './partial';
import type { SerializedEmail, SerializedMeeting } from './partial-serialization';
import type { RunContext } from './types';
import { SLICE_ITEMS, type Slices } from './work-slices';

/**
 * Where the shards wait between `add` and `resultsSlices`: named files of newline-ended UTF-8
 * lines. Held as Buffers, outside V8's heap: a shard read back as one large string went straight
 * to the old generation and stayed there as garbage until a full GC, so peak RSS grew with the
 * volume read (~2× the live heap) although the live data did not.
 */
export interface SpillStore {
  /** Appends text (whole lines, each ending with '\n') to a file. */
  append(file: string, text: string): void;
  /** Everything appended to a file so far, in order; the file is forgotten. */
  take(file: string): Buffer;
  /** Frees everything, on disk too. */
  dispose(): void;
}

/** A store that never spills: for tests and for partials known to be small. */
export function memorySpillStore(): SpillStore {
  const files = new Map<string, Buffer[]>();
  return {
    append(file, text) {
      const chunks = files.get(file);
      if (chunks) chunks.push(Buffer.from(text));
      else files.set(file, [Buffer.from(text)]);
    },
    take(file) {
      const bytes = Buffer.concat(files.get(file) ?? []);
      files.delete(file);
      return bytes;
    },
    dispose() {
      files.clear();
    },
  };
}

export const SHARDS = 64;

/** The shard of a hashed key: FNV-1a over its first 8 characters (hashes are uniform). */
export function shardOf(key: string, shards: number = SHARDS): number {
  let h = 0x811c9dc5;
  const n = Math.min(key.length, 8);
  for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

const emailOf = ([, t, s, r, m, c]: SerializedEmail): EmailEntry => ({ t, s, r, m, c });
const meetingOf = ([, st, en, o, p, pd, m, mx, ma, md]: SerializedMeeting): MeetingEntry => ({ st, en, o, p, pd, m, mx, ma, md });

/**
 * The lines of a shard file grouped by key (each line is a JSON array whose first element is its
 * key). The lines are sorted where they lie, as offsets into the Buffer, so a key's lines are
 * adjacent; each line becomes a string only when parsed, and each group is handed on and dropped
 * at once. Nothing of a shard outlives a young-generation GC: a map of the shard's entries kept
 * ~350 bytes per logical email in the old generation until a full GC.
 */
function* keyRuns(bytes: Buffer): Generator<[string, ...unknown[]][]> {
  let lines = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  const starts = new Uint32Array(lines + 1);
  for (let i = 0, n = 0; n < lines; n++) {
    starts[n] = i;
    i = bytes.indexOf(10, i) + 1;
  }
  starts[lines] = bytes.length;
  const ends = (n: number): number => starts[n + 1]! - 1; // without its '\n'
  // Sorted by the line's bytes after `["`, i.e. by key first: any order that puts equal keys
  // side by side will do. The first 6 bytes, read as a number, decide almost every comparison
  // (hashes are uniform); only equal prefixes compare the bytes. No string per line: strings
  // alive through the sort would reach the old generation and stay there as garbage.
  const prefix = new Float64Array(lines);
  for (let n = 0; n < lines; n++) {
    let v = 0;
    for (let k = starts[n]! + 2; k < starts[n]! + 8; k++) v = v * 256 + (k < ends(n) ? bytes[k]! : 0);
    prefix[n] = v;
  }
  const order = new Uint32Array(lines)
    .map((_, n) => n)
    .sort((a, b) => prefix[a]! - prefix[b]! || bytes.compare(bytes, starts[a]! + 2, ends(a), starts[b]! + 2, ends(b)));
  let run: [string, ...unknown[]][] = [];
  for (const n of order) {
    const line = JSON.parse(bytes.toString('utf8', starts[n]!, ends(n))) as [string, ...unknown[]];
    if (run.length > 0 && line[0] !== run[0]![0]) {
      yield run;
      run = [];
    }
    run.push(line);
  }
  if (run.length > 0) yield run;
}

/** The entries of a shard file, each key once with its copies merged. */
function* mergedRuns<L extends [string, ...unknown[]], E>(bytes: Buffer, entryOf: (line: L) => E, merge: (target: E, source: E) => void): Generator<E> {
  for (const run of keyRuns(bytes) as Generator<L[]>) {
    const entry = entryOf(run[0]!);
    for (let i = 1; i < run.length; i++) merge(entry, entryOf(run[i]!));
    yield entry;
  }
}

type SerializedReply = [conversation: string, sentAt: number, accounts: string[]];

export class ShardedMerge {
  private readonly contacts = new Map<string, string>();

  constructor(
    private readonly store: SpillStore,
    private readonly shards: number = SHARDS,
  ) {}

  /** Cuts a mailbox partial into the shards; the partial may be dropped afterwards. */
  add(partial: MailboxPartial): void {
    for (const [hash, accountId] of partial.contacts) {
      const existing = this.contacts.get(hash);
      // The smaller account id wins, as in mergeInto, so the order of mailboxes never matters.
      if (existing === undefined || accountId < existing) this.contacts.set(hash, accountId);
    }
    const emails = this.buffers();
    for (const [k, e] of partial.emails) emails[shardOf(k, this.shards)]!.push(JSON.stringify([k, e.t, e.s, e.r, e.m, e.c] satisfies SerializedEmail));
    this.flush('e', emails);
    const meetings = this.buffers();
    for (const [k, e] of partial.meetings) {
      meetings[shardOf(k, this.shards)]!.push(JSON.stringify([k, e.st, e.en, e.o, e.p, e.pd, e.m, e.mx, e.ma, e.md] satisfies SerializedMeeting));
    }
    this.flush('m', meetings);
    const threads = this.buffers();
    for (const [k, t] of partial.threads) threads[shardOf(k, this.shards)]!.push(JSON.stringify([k, t]));
    this.flush('t', threads);
  }

  /** The results of every partial added, as `computeResultsSlices` gives them for their merge. */
  *resultsSlices(ctx: RunContext, directory: AccountDirectory, previousScores?: ReadonlyMap<string, number>): Slices<EngagementResults> {
    const cells = emptyCellSet();
    const windowStart = windowStartOf(ctx.now);
    for (let k = 0; k < this.shards; k++) {
      const part: CountedEntries = {
        emails: { values: () => mergedRuns<SerializedEmail, EmailEntry>(this.store.take(`e${k}`), emailOf, mergeEmailEntry) },
        meetings: { values: () => mergedRuns<SerializedMeeting, MeetingEntry>(this.store.take(`m${k}`), meetingOf, mergeMeetingEntry) },
        contacts: this.contacts,
      };
      yield;
      const replies = this.buffers();
      const deferReply = (reply: DeferredReply): void => {
        replies[shardOf(reply.conversation, this.shards)]!.push(JSON.stringify([reply.conversation, reply.sentAt, reply.accounts] satisfies SerializedReply));
      };
      yield* accumulateCellsSlices(cells, ctx, directory, part, { timelines: () => undefined, deferReply });
      this.flush('r', replies);
    }
    for (let j = 0; j < this.shards; j++) {
      // A conversation's timeline lines and its replies' lines are adjacent once sorted.
      let done = 0;
      for (const run of keyRuns(Buffer.concat([this.store.take(`t${j}`), this.store.take(`r${j}`)]))) {
        let enc: number[] = [];
        const replies: SerializedReply[] = [];
        for (const line of run as ([string, number[]] | SerializedReply)[]) {
          if (line.length === 2) enc = unionSorted(enc, line[1]);
          else replies.push(line);
        }
        const timeline = enc.length > 0 ? collectedTimeline(enc) : undefined;
        for (const [conversation, sentAt, accounts] of replies) addDeferredReply(cells, { conversation, sentAt, accounts }, timeline, windowStart);
        if (++done % SLICE_ITEMS === 0) yield;
      }
      yield;
    }
    const tables = new CellTables();
    const columns = yield* toColumnsSlices(cells, tables, true);
    return yield* finalizeResultsSlices(ctx, directory, columns, tables, cells.nextMeeting, previousScores);
  }

  private buffers(): string[][] {
    return Array.from({ length: this.shards }, () => []);
  }

  private flush(kind: string, buffers: string[][]): void {
    buffers.forEach((lines, shard) => {
      if (lines.length > 0) this.store.append(`${kind}${shard}`, `${lines.join('\n')}\n`);
    });
  }
}
