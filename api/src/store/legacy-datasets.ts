/**
 * Until issue 14 every uploaded table lived in one lowdb document, `<DATA_DIR>/datasets.json`
 * (`{ format: "rapport.datasets/1", datasets: { [id]: { meta, rows } } }`), rewritten whole on
 * each upload. At the first start with the file store it is read once and each dataset is
 * written as files of its own; the old file is then renamed, never deleted:
 * - `datasets.json.migrated-<time>` when every dataset moved (delete it when you are satisfied);
 * - `datasets.json.corrupt-<time>` when the file, or some dataset in it, could not be read:
 *   STORE_CORRUPT is logged naming the file and those datasets; the others are migrated.
 *
 * It runs before the server listens, so reading the file whole (the old format cannot be read
 * any other way) blocks nobody. A migration interrupted by a crash is simply done again: datasets
 * already in the store are skipped.
 */
import { readFile, rename } from 'node:fs/promises';
import { z } from 'zod';
import type { Logger } from '../services/logger';
import { checkRow } from './dataset-rows-file';
import { isDatasetId, type DatasetStore } from './dataset-store';
import { shapeProblem, storeCorrupt } from './lowdb-document';
import { fileStamp, moveAside } from './quarantine';

const legacyMetaSchema = z.object({
  id: z.string().refine(isDatasetId, 'not a dataset id (ds_ and a UUID)'),
  kind: z.enum(['contacts', 'accounts']),
  fileName: z.string().min(1),
  rows: z.number().int().min(0),
  columns: z.array(z.string()).min(1),
  uploadedAt: z.string().min(1),
  uploadedBy: z.string(),
});
// Entries are checked one by one below: one bad dataset must not stop the others, and a
// schema walk over a million rows would only be slower than the loop.
const legacyDocumentSchema = z.object({
  format: z.literal('rapport.datasets/1'),
  datasets: z.record(z.string(), z.unknown()),
});

export interface MigrationOutcome {
  migrated: string[];
  /** Already in the store: a migration interrupted earlier. */
  skipped: string[];
  /** Datasets that could not be read, with why. */
  damaged: { id: string; reason: string }[];
  /** Where the legacy file went; null when there was none. */
  movedTo: string | null;
}

export async function migrateLegacyDatasets(
  file: string,
  store: DatasetStore,
  options: { logger?: Pick<Logger, 'info' | 'error'>; now?: () => Date } = {},
): Promise<MigrationOutcome> {
  const outcome: MigrationOutcome = { migrated: [], skipped: [], damaged: [], movedTo: null };
  const now = options.now ?? (() => new Date());
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return outcome;
    // Not damage (permissions, a folder in its place): refuse to start rather than guess.
    throw storeCorrupt(file, (e as Error).message, e, { io: true });
  }
  let entries: [string, unknown][];
  try {
    const value: unknown = JSON.parse(text);
    const parsed = legacyDocumentSchema.safeParse(value);
    if (!parsed.success) throw new Error(shapeProblem(parsed.error.issues));
    // The parsed JSON's own keys, not the schema's copy: a "__proto__" key must be reported, not dropped.
    entries = Object.entries((value as { datasets: Record<string, unknown> }).datasets);
  } catch (e) {
    const reason = e instanceof SyntaxError ? `it is not valid JSON (${e.message})` : (e as Error).message;
    outcome.movedTo = await moveAside(file, now());
    options.logger?.error('STORE_CORRUPT: the legacy datasets file cannot be read; it was moved aside and no dataset was migrated', { file, movedTo: outcome.movedTo, reason });
    return outcome;
  }
  text = '';
  for (const [key, entry] of entries) {
    const problem = await migrateOne(key, entry, store);
    if (problem === 'skipped') outcome.skipped.push(key);
    else if (problem === null) outcome.migrated.push(key);
    else outcome.damaged.push({ id: key.slice(0, 100), reason: problem });
  }
  if (outcome.damaged.length > 0) {
    outcome.movedTo = await moveAside(file, now());
    options.logger?.error('STORE_CORRUPT: some datasets of the legacy datasets file cannot be read; the others were migrated and the file was moved aside', {
      file,
      movedTo: outcome.movedTo,
      damaged: outcome.damaged,
      migrated: outcome.migrated.length,
    });
  } else {
    outcome.movedTo = `${file}.migrated-${fileStamp(now())}`;
    await rename(file, outcome.movedTo);
    options.logger?.info('legacy datasets file migrated to one file per dataset; the old file can be deleted', {
      file,
      movedTo: outcome.movedTo,
      migrated: outcome.migrated.length,
      skipped: outcome.skipped.length,
    });
  }
  return outcome;
}

/** null when migrated, 'skipped' when already stored, otherwise why it cannot be. */
async function migrateOne(key: string, value: unknown, store: DatasetStore): Promise<string | null | 'skipped'> {
  const entry = (typeof value === 'object' && value !== null ? value : {}) as { meta?: unknown; rows?: unknown };
  const meta = legacyMetaSchema.safeParse(entry.meta);
  if (!meta.success) return `meta: ${shapeProblem(meta.error.issues)}`;
  if (meta.data.id !== key) return `it is stored under ${JSON.stringify(key.slice(0, 100))} but its meta says ${meta.data.id}`;
  const rows = entry.rows;
  if (!Array.isArray(rows)) return 'rows: not a list';
  const badRow = rows.findIndex((row) => !checkRow(row, meta.data.columns.length));
  if (badRow >= 0) return `rows: row ${badRow + 1} is not ${meta.data.columns.length} text cells`;
  if (rows.length !== meta.data.rows) return `it holds ${rows.length} rows, its meta says ${meta.data.rows}`;
  try {
    if (await store.get(key)) return 'skipped';
  } catch (e) {
    return `the store holds a damaged copy of it (${(e as Error).message})`;
  }
  const { rows: _count, ...described } = meta.data;
  // Before delimiter detection every upload was read as comma-separated.
  await store.create({ ...described, delimiter: 'comma' }, rows as string[][]);
  return null;
}
