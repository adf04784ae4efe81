/**
 * Opens every store the API keeps under DATA_DIR, each with its rule for a damaged file
 * (docs/architecture.md "Stored data"):
 *
 *   state.json   AppState, schema-checked. Damaged → moved aside, and the start fails naming both
 *                files: it holds people's decisions (configuration, consent, segments), which an
 *                empty start would silently undo, and the scheduler would stop.
 *   results/     one folder per committed result set. Damaged → moved aside, start without
 *                results (the next run rebuilds them). results.json of earlier versions is
 *                migrated once.
 *   datasets/    the uploaded tables (store/file-dataset-store.ts).
 *   runs/        checkpoints and settled state of incremental runs. Damaged → moved aside and
 *                read again from Graph, with a warning in the run's history.
 */
import path from 'node:path';
import { FileRunStateStore } from '../enrichment/run-state';
import type { Logger } from '../services/logger';
import { appStateSchema } from '../services/state-schema';
import { emptyAppState, type AppState, type Stores } from '../services/state';
import { openDatasetStore } from './file-dataset-store';
import { FileResultsStore } from './file-results-store';
import { LowdbDocument } from './lowdb-document';

export interface OpenStoresOptions {
  /**
   * Open `<dataDir>/runs` for incremental, resumable runs. Demo mode leaves it out: its tenant is
   * generated anew at every start, so stored partials would mix two tenants.
   * @default true
   */
  runState?: boolean;
  /** @default the system clock */
  now?: () => Date;
}

export interface OpenedStores {
  /** What createServices and createApp take as `stores`. */
  stores: Stores;
  /** What they take as `runState`; absent when not asked for. */
  runState?: FileRunStateStore;
}

/** Throws STORE_CORRUPT (one line, naming the file and where it was moved) when state.json is damaged. */
export async function openStores(dataDir: string, logger: Logger, options: OpenStoresOptions = {}): Promise<OpenedStores> {
  const now = options.now ?? (() => new Date());
  const state = await LowdbDocument.open<AppState>(path.join(dataDir, 'state.json'), emptyAppState, {
    schema: appStateSchema,
    onCorrupt: 'move-aside-and-fail',
    now,
  });
  const results = await FileResultsStore.open(path.join(dataDir, 'results'), { logger, now, legacyFile: path.join(dataDir, 'results.json') });
  const datasets = await openDatasetStore(dataDir, { logger, now });
  const runState = options.runState === false ? undefined : await FileRunStateStore.open(path.join(dataDir, 'runs'), { onDamaged: 'heal', now, logger });
  return { stores: { state, results, datasets }, ...(runState ? { runState } : {}) };
}
