import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { type z, type ZodType } from 'zod';
import { AppError } from '../errors';
import { BaseDocument } from './document-store';

/**
 * A document persisted by lowdb. lowdb's JSONFile writes through steno: a temporary file,
 * then a rename, so a crash never leaves a half-written file. A file that cannot be parsed
 * is reported with `STORE_CORRUPT` and left exactly as it is: nothing ever overwrites it.
 */
export class LowdbDocument<T> extends BaseDocument<T> {
  private constructor(
    private readonly db: Low<T>,
    readonly file: string,
  ) {
    super(db.data);
  }

  static async open<T>(file: string, defaults: () => T, schema?: ZodType<T>): Promise<LowdbDocument<T>> {
    await mkdir(path.dirname(file), { recursive: true });
    const value = await readDocument(file, defaults, schema);
    const db = new Low<T>(new JSONFile<T>(file), value);
    return new LowdbDocument(db, file);
  }

  protected async persist(value: T): Promise<void> {
    this.db.data = value;
    await this.db.write();
  }
}

async function readDocument<T>(file: string, defaults: () => T, schema?: ZodType<T>): Promise<T> {
  const parsed = await readJsonFile(file);
  if (parsed === null) return defaults();
  return schema ? parseStored(file, schema, parsed) : (parsed as T);
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
    throw storeCorrupt(file, (e as Error).message, e);
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
  if (!result.success) {
    const issue = result.error.issues[0];
    throw storeCorrupt(file, `it does not have the expected shape (${issue?.path.join('.') || '(root)'}: ${issue?.message})`);
  }
  return result.data;
}

export function storeCorrupt(file: string, reason: string, cause?: unknown): AppError {
  return new AppError(
    'STORE_CORRUPT',
    `The data file ${file} cannot be read: ${reason}. It was left untouched; move it away or restore a backup, then start again.`,
    { file },
    cause,
  );
}
