import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { type z, type ZodType } from 'zod';
import { AppError, isAppError } from '../errors';
import type { Logger } from '../services/logger';
import { BaseDocument } from './document-store';
import { moveAside } from './quarantine';

/**
 * What happens when a stored file cannot be read or has the wrong shape. In every case the file
 * is reported with STORE_CORRUPT naming it, and nothing ever overwrites it:
 * - `keep`: it stays where it is and the open fails (the CLI, the run state's default);
 * - `move-aside-and-fail`: it is renamed `<name>.corrupt-<time>` and the open fails, naming both
 *   (documents holding people's decisions: the API's state.json);
 * - `move-aside-and-start-empty`: it is renamed and the document starts from its defaults, with
 *   a warning in the log (documents a run rebuilds).
 */
export type CorruptFilePolicy = 'keep' | 'move-aside-and-fail' | 'move-aside-and-start-empty';

export interface OpenOptions<T> {
  /** Checked on every read from disk; a mismatch is STORE_CORRUPT naming the field. */
  schema?: ZodType<T, unknown>;
  /** @default 'keep' */
  onCorrupt?: CorruptFilePolicy;
  /** Receives the warning of `move-aside-and-start-empty`. */
  logger?: Pick<Logger, 'warn'>;
  /** @default the system clock (the time in the moved copy's name) */
  now?: () => Date;
}

/**
 * A document persisted by lowdb. lowdb's JSONFile writes through steno: a temporary file,
 * then a rename, so a crash never leaves a half-written file. A file that cannot be parsed
 * or has the wrong shape is handled by the `onCorrupt` policy; nothing ever overwrites it.
 */
export class LowdbDocument<T> extends BaseDocument<T> {
  private constructor(
    private readonly db: Low<T>,
    readonly file: string,
  ) {
    super(db.data);
  }

  /** `schema` as the third argument is the short form of `{ schema }`. */
  static async open<T>(file: string, defaults: () => T, options?: ZodType<T, unknown> | OpenOptions<T>): Promise<LowdbDocument<T>> {
    const opts: OpenOptions<T> = isSchema(options) ? { schema: options } : (options ?? {});
    await mkdir(path.dirname(file), { recursive: true });
    const value = await readDocument(file, defaults, opts);
    const db = new Low<T>(new JSONFile<T>(file), value);
    return new LowdbDocument(db, file);
  }

  protected async persist(value: T): Promise<void> {
    this.db.data = value;
    await this.db.write();
  }
}

function isSchema<T>(options: ZodType<T, unknown> | OpenOptions<T> | undefined): options is ZodType<T, unknown> {
  return typeof (options as { safeParse?: unknown } | undefined)?.safeParse === 'function';
}

async function readDocument<T>(file: string, defaults: () => T, opts: OpenOptions<T>): Promise<T> {
  try {
    const parsed = await readJsonFile(file);
    if (parsed === null) return defaults();
    return opts.schema ? parseStored(file, opts.schema, parsed) : (parsed as T);
  } catch (e) {
    // An I/O error (permissions, a folder in the file's place) is not damage: nothing is moved.
    if (!isAppError(e) || e.code !== 'STORE_CORRUPT' || e.details?.io === true || (opts.onCorrupt ?? 'keep') === 'keep') throw e;
    const movedTo = await moveAside(file, opts.now?.() ?? new Date());
    const reason = String(e.details?.reason ?? e.message);
    if (opts.onCorrupt === 'move-aside-and-fail') throw movedAsideError(file, movedTo, reason, e);
    opts.logger?.warn('a damaged data file was moved aside; starting from empty', { file, movedTo, reason });
    return defaults();
  }
}

/**
 * A stored JSON file's value, or null when the file does not exist. A file that cannot be read
 * or parsed is reported with STORE_CORRUPT naming it; it is never touched.
 */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw storeCorrupt(file, (e as Error).message, e, { io: true });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw storeCorrupt(file, `it is not valid JSON (${(e as Error).message})`, e);
  }
}

/** Checks a stored value's shape; a mismatch is STORE_CORRUPT naming the file and the field. */
export function parseStored<S extends ZodType>(file: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw storeCorrupt(file, shapeProblem(result.error.issues));
  return result.data;
}

/** The first issue of a failed parse, as "it does not have the expected shape (runs: …)". */
export function shapeProblem(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  return `it does not have the expected shape (${issue?.path.map(String).join('.') || '(root)'}: ${issue?.message})`;
}

export function storeCorrupt(file: string, reason: string, cause?: unknown, extra: Record<string, unknown> = {}): AppError {
  return new AppError(
    'STORE_CORRUPT',
    `The data file ${file} cannot be read: ${reason}. It was left untouched; move it away or restore a backup, then start again.`,
    { file, reason, ...extra },
    cause,
  );
}

/** The one-line error of a damaged file that was moved aside and must be dealt with before starting. */
export function movedAsideError(file: string, movedTo: string, reason: string, cause?: unknown): AppError {
  return new AppError(
    'STORE_CORRUPT',
    `The data file ${file} cannot be read: ${reason}. It was moved to ${movedTo} and nothing was overwritten; repair that copy and move it back, or start again to begin without it.`,
    { file, movedTo, reason },
    cause,
  );
}
