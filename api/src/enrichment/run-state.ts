/**
 * What incremental refresh and resumable runs persist (docs/incremental.md):
 *
 *   <dir>/state.json              the root: hash salt, the run journal
 *   <dir>/mailboxes/<id>.json     one mailbox's recent day slices, meetings, mark and folders: its checkpoint
 *   <dir>/settled.bin             settled days as per-account day cells, and the conversation
 *                                 emails later replies can still point to (settled-file.ts)
 *
 * Every file is written atomically (lowdb's steno: a temporary file, then a rename), so a process
 * killed at any point leaves each file either as it was or as it should be. A damaged file is
 * never overwritten. What happens instead depends on `onDamaged`:
 * - `fail` (the CLI): STORE_CORRUPT naming the file, which stays where it is;
 * - `heal` (the API): the file is moved aside (`<name>.corrupt-<time>`) and the run reads again
 *   what it stood for: a damaged settled.bin → every mailbox in full (the checkpoints, partial
 *   without it, are deleted); a damaged mailbox
 *   checkpoint → that mailbox in full (the others refresh on top of what settled, as for a
 *   checkpoint in an outdated format); a damaged state.json → the whole folder is moved aside,
 *   since every stored key is hashed with its salt. Each repair is reported (`takeRepairs`) and
 *   the run service lists it in the run's warnings.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DataFile } from 'lowdb/node';
import { z } from 'zod';
import { deserializePartial, serializePartial, type MailboxPartial } from '../engagement';
import { isAppError, type AppError } from '../errors';
import { LowdbDocument, parseStored, readJsonFile, storeCorrupt } from '../store/lowdb-document';
import type { DocumentStore } from '../store/document-store';
import { moveAside } from '../store/quarantine';
import { decodeSettled, encodeSettled, encodeSettledParts, type SettledState } from './settled-file';

export type { SettledState } from './settled-file';
import { MemoryDocument } from '../store/document-store';

export const RUN_STATE_FORMAT = 'rapport.run-state/1';
/** 2: meeting entries keep what each kind of copy says (rapport.partial/2). */
export const MAILBOX_STATE_FORMAT = 'rapport.mailbox-state/2';
/** Earlier formats: outdated, not corrupt. The mailbox is read again in full and rewritten. */
const OUTDATED_MAILBOX_FORMATS: ReadonlySet<unknown> = new Set(['rapport.mailbox-state/1']);

const journalSchema = z.object({
  id: z.string(),
  /** T of the run, epoch ms. */
  now: z.number(),
  full: z.boolean(),
  startedAt: z.string(),
});
export type RunJournal = z.infer<typeof journalSchema>;

const rootSchema = z.object({
  format: z.literal(RUN_STATE_FORMAT),
  /** RunContext.hashSalt: constant for the life of the directory, so hashed keys match across runs. */
  salt: z.string().min(16),
  /** The run in progress (or interrupted), null when the last run was committed. */
  active: journalSchema.nullable(),
  lastCommitted: z.object({ id: z.string(), now: z.number() }).nullable(),
});
export type RootState = z.infer<typeof rootSchema>;

/** One mailbox's persisted collection. */
export interface MailboxState {
  id: string;
  mail: string;
  /** The run that wrote this state; a resumed run skips mailboxes it already wrote. */
  runId: string;
  /** T of that run, epoch ms. */
  collectedFor: number;
  /** Fingerprint of what reduction depends on (dataset, exclusions, internal domains). */
  reductionKey: string;
  /** memberSetKey of the S this state was reduced under. */
  membersKey: string;
  /** receivedDateTime high-water mark, epoch ms; null when no message was ever read. */
  mark: number | null;
  excludedFolders: string[];
  /** Every folder id seen (excluded ones and the parents of read messages). */
  knownFolders: string[];
  /** UTC day of receivedDateTime → the partial of the messages received that day (recent days only). */
  days: Map<number, MailboxPartial>;
  meetings: MailboxPartial;
}

const mailboxFileSchema = z.object({
  format: z.literal(MAILBOX_STATE_FORMAT),
  id: z.string(),
  mail: z.string(),
  runId: z.string(),
  collectedFor: z.number(),
  reductionKey: z.string(),
  membersKey: z.string(),
  mark: z.number().nullable(),
  excludedFolders: z.array(z.string()),
  knownFolders: z.array(z.string()),
  days: z.array(z.tuple([z.number(), z.unknown()])),
  meetings: z.unknown(),
});

export interface RunStateStore {
  root(): Promise<RootState>;
  updateRoot(change: (draft: RootState) => void): Promise<void>;
  /** Null when the mailbox has no state, or state in an earlier format. Throws STORE_CORRUPT naming the file when unreadable. */
  loadMailbox(id: string): Promise<MailboxState | null>;
  /** Atomic: this is the mailbox's checkpoint. */
  saveMailbox(state: MailboxState): Promise<void>;
  removeMailbox(id: string): Promise<void>;
  storedMailboxIds(): Promise<string[]>;
  /** Null when nothing has settled yet. Throws STORE_CORRUPT naming the file when unreadable. */
  loadSettled(): Promise<SettledState | null>;
  /** Atomic. */
  saveSettled(state: SettledState): Promise<void>;
  /** Damaged files moved aside since the last call (a healing store; otherwise always empty). */
  takeRepairs(): StateRepair[];
}

/** A damaged file a healing store moved aside, and what the run reads again instead. */
export interface StateRepair {
  file: string;
  movedTo: string;
  /** Why it could not be used (from its STORE_CORRUPT). */
  reason: string;
  /** One sentence for the run's warnings. */
  message: string;
}

/** `fail`: STORE_CORRUPT, the file stays (the CLI). `heal`: moved aside and read again (the API). */
export type DamagedStatePolicy = 'fail' | 'heal';

export interface RunStateStoreOptions {
  /** @default 'fail' */
  onDamaged?: DamagedStatePolicy;
  /** Told at once of a repair made while opening (before any run can report it). @default silent */
  logger?: { warn(message: string, fields?: Record<string, unknown>): void };
  /** @default the system clock (the time in a moved copy's name) */
  now?: () => Date;
}

/** A STORE_CORRUPT about the file's content (not an I/O error such as a permission). */
function isDamage(e: unknown): e is AppError {
  return isAppError(e) && e.code === 'STORE_CORRUPT' && e.details?.io !== true;
}

function reasonOf(e: AppError): string {
  return String(e.details?.reason ?? e.message);
}

/**
 * A path as run warnings show it: from the run-state folder's parent (`runs/settled.bin`).
 * Every user can read run history; the server's own folders are for the log.
 */
function shown(dir: string, file: string): string {
  return path.relative(path.dirname(dir), file);
}

export function newRootState(): RootState {
  return { format: RUN_STATE_FORMAT, salt: randomBytes(16).toString('hex'), active: null, lastCommitted: null };
}

/** A short, stable key for a set of member ids. */
export function memberSetKey(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n')).digest('base64url').slice(0, 16);
}

function toFile(state: MailboxState) {
  return {
    format: MAILBOX_STATE_FORMAT,
    id: state.id,
    mail: state.mail,
    runId: state.runId,
    collectedFor: state.collectedFor,
    reductionKey: state.reductionKey,
    membersKey: state.membersKey,
    mark: state.mark,
    excludedFolders: state.excludedFolders,
    knownFolders: state.knownFolders,
    days: [...state.days].sort((a, b) => a[0] - b[0]).map(([day, partial]) => [day, serializePartial(partial)]),
    meetings: serializePartial(state.meetings),
  };
}

function fromFile(file: string, data: unknown): MailboxState | null {
  if (typeof data === 'object' && data !== null && OUTDATED_MAILBOX_FORMATS.has((data as { format?: unknown }).format)) return null;
  const raw = parseStored(file, mailboxFileSchema, data);
  try {
    return {
      ...raw,
      days: new Map(raw.days.map(([day, partial]) => [day, deserializePartial(partial)])),
      meetings: deserializePartial(raw.meetings),
    };
  } catch (e) {
    throw storeCorrupt(file, isAppError(e) ? e.message.replace(/\.$/, '') : String(e), e);
  }
}

/** Compact JSON, written atomically (a temporary file, then a rename). */
async function writeCompact(file: string, data: unknown): Promise<void> {
  await new DataFile(file, { parse: JSON.parse, stringify: (v) => JSON.stringify(v) }).write(data);
}

/** Run state in a directory (the CLI's --data-dir, the API's <DATA_DIR>/runs). */
export class FileRunStateStore implements RunStateStore {
  private repairs: StateRepair[] = [];

  private constructor(
    readonly dir: string,
    private readonly rootDoc: DocumentStore<RootState>,
    private readonly options: RunStateStoreOptions,
  ) {}

  /**
   * Opens (or creates) the state in `dir`. A damaged state.json is STORE_CORRUPT (`fail`), or
   * moves the whole folder aside and starts afresh (`heal`).
   */
  static async open(dir: string, options: RunStateStoreOptions = {}): Promise<FileRunStateStore> {
    const repairs: StateRepair[] = [];
    let rootDoc: DocumentStore<RootState>;
    try {
      rootDoc = await openRoot(dir);
    } catch (e) {
      if (options.onDamaged !== 'heal' || !isDamage(e)) throw e;
      const movedTo = await moveAside(dir, options.now?.() ?? new Date());
      repairs.push({
        file: path.join(dir, 'state.json'),
        movedTo,
        reason: reasonOf(e),
        message: `${shown(dir, path.join(dir, 'state.json'))} was damaged (${reasonOf(e)}); the run state was moved to ${shown(dir, movedTo)} and every mailbox was read again in full.`,
      });
      rootDoc = await openRoot(dir);
      options.logger?.warn('the run state was damaged and was moved aside; the next run reads every mailbox in full', { ...repairs[0]! });
    }
    const store = new FileRunStateStore(dir, rootDoc, options);
    store.repairs = repairs;
    return store;
  }

  takeRepairs(): StateRepair[] {
    const taken = this.repairs;
    this.repairs = [];
    return taken;
  }

  /** `heal`: moves the damaged file aside and records why; `fail`: rethrows. */
  private async setAside(e: unknown, file: string, readAgain: string): Promise<null> {
    if (this.options.onDamaged !== 'heal' || !isDamage(e)) throw e;
    const movedTo = await moveAside(file, this.options.now?.() ?? new Date());
    const reason = reasonOf(e);
    this.repairs.push({ file, movedTo, reason, message: `${shown(this.dir, file)} was damaged (${reason}); it was moved to ${shown(this.dir, movedTo)} and ${readAgain} read again in full.` });
    return null;
  }

  root(): Promise<RootState> {
    return this.rootDoc.read();
  }

  async updateRoot(change: (draft: RootState) => void): Promise<void> {
    await this.rootDoc.update(change);
  }

  private fileOf(id: string): string {
    return path.join(this.dir, 'mailboxes', `${encodeURIComponent(id)}.json`);
  }

  async loadMailbox(id: string): Promise<MailboxState | null> {
    const file = this.fileOf(id);
    try {
      const data = await readJsonFile(file);
      return data === null ? null : fromFile(file, data);
    } catch (e) {
      return this.setAside(e, file, `mailbox ${id} was`);
    }
  }

  async saveMailbox(state: MailboxState): Promise<void> {
    await writeCompact(this.fileOf(state.id), toFile(state));
  }

  private get settledFile(): string {
    return path.join(this.dir, 'settled.bin');
  }

  async loadSettled(): Promise<SettledState | null> {
    const buffer = await readFile(this.settledFile).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw storeCorrupt(this.settledFile, e.message, e);
    });
    if (buffer === null) return null;
    try {
      return decodeSettled(this.settledFile, buffer);
    } catch (e) {
      await this.setAside(e, this.settledFile, 'every mailbox was');
      // The checkpoints hold only what was read after what settled: without it they are
      // incomplete, and one written earlier by this same run would even be skipped. They go, so
      // every mailbox is read in full (the damaged file itself is kept, moved aside).
      for (const id of await this.storedMailboxIds()) await this.removeMailbox(id);
      return null;
    }
  }

  async saveSettled(state: SettledState): Promise<void> {
    // Atomic, like every state file: a temporary file, flushed, then renamed over the old one.
    const temp = path.join(this.dir, `.settled.bin.${process.pid}.tmp`);
    const handle = await open(temp, 'w');
    try {
      for (const part of encodeSettledParts(state)) await handle.writeFile(part); // appended in turn
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.settledFile);
  }

  async removeMailbox(id: string): Promise<void> {
    await unlink(this.fileOf(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async storedMailboxIds(): Promise<string[]> {
    const names = await readdir(path.join(this.dir, 'mailboxes'));
    return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => decodeURIComponent(n.slice(0, -5)));
  }
}

/** The same contract in memory (serialised on save, so tests see what a file would hold). */
export class MemoryRunStateStore implements RunStateStore {
  private readonly rootDoc = new MemoryDocument<RootState>(newRootState());
  private readonly mailboxes = new Map<string, string>();
  private settled: Buffer | null = null;
  /** Mailbox saves, for tests. */
  saves = 0;

  root(): Promise<RootState> {
    return this.rootDoc.read();
  }
  async updateRoot(change: (draft: RootState) => void): Promise<void> {
    await this.rootDoc.update(change);
  }
  async loadMailbox(id: string): Promise<MailboxState | null> {
    const text = this.mailboxes.get(id);
    return text === undefined ? null : fromFile(`memory:${id}`, JSON.parse(text));
  }
  async saveMailbox(state: MailboxState): Promise<void> {
    this.saves += 1;
    this.mailboxes.set(state.id, JSON.stringify(toFile(state)));
  }
  async removeMailbox(id: string): Promise<void> {
    this.mailboxes.delete(id);
  }
  async storedMailboxIds(): Promise<string[]> {
    return [...this.mailboxes.keys()];
  }
  async loadSettled(): Promise<SettledState | null> {
    return this.settled === null ? null : decodeSettled('memory:settled', Buffer.from(this.settled)); // decoded arrays view their buffer
  }
  async saveSettled(state: SettledState): Promise<void> {
    this.settled = encodeSettled(state);
  }
  takeRepairs(): StateRepair[] {
    return [];
  }
}

async function openRoot(dir: string): Promise<DocumentStore<RootState>> {
  await mkdir(path.join(dir, 'mailboxes'), { recursive: true });
  const rootDoc = await LowdbDocument.open<RootState>(path.join(dir, 'state.json'), newRootState, rootSchema as never);
  // The salt must be on disk before any hashed key is: write the defaults once.
  if ((await rootDoc.read()).lastCommitted === null && (await rootDoc.read()).active === null) await rootDoc.update(() => undefined);
  return rootDoc;
}
