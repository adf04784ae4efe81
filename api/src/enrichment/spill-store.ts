/**
 * The SpillStore of a full run's sharded merge (engagement/sharded-merge.ts): shard files kept in
 * memory up to a budget, then appended to files in a private temporary folder, so a small run
 * never touches the disk and a large one holds at most the budget.
 *
 * The files hold what a checkpoint holds (hashed keys, times, account ids; never a message id,
 * a conversation id or an address in clear text, DESIGN.md §8), live only during the run, and are
 * removed by `dispose` (the run calls it in a finally). Synchronous on purpose: the merge calls
 * it from its bounded work slices, and each write is one append of at most the budget.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SpillStore } from '../engagement/sharded-merge';

export interface SpillStoreOptions {
  /** Bytes held in memory (outside V8's heap) before everything held is written out. @default 32 MiB */
  budgetBytes?: number;
  /** Where the private temporary folder is made. @default os.tmpdir() */
  parentDir?: string;
}

export const DEFAULT_SPILL_BUDGET_BYTES = 32 * 1024 * 1024;

export function createSpillStore(options: SpillStoreOptions = {}): SpillStore {
  const budget = options.budgetBytes ?? DEFAULT_SPILL_BUDGET_BYTES;
  const held = new Map<string, Buffer[]>();
  let heldBytes = 0;
  let dir: string | null = null;

  const fileOf = (name: string): string => path.join(dir!, name);
  const spill = (): void => {
    // mkdtemp makes the folder 0700: only this user reads the run's hashed entries.
    dir ??= mkdtempSync(path.join(options.parentDir ?? os.tmpdir(), 'rapport-spill-'));
    for (const [name, chunks] of held) appendFileSync(fileOf(name), Buffer.concat(chunks));
    held.clear();
    heldBytes = 0;
  };

  return {
    append(name, text) {
      const bytes = Buffer.from(text);
      const chunks = held.get(name);
      if (chunks) chunks.push(bytes);
      else held.set(name, [bytes]);
      heldBytes += bytes.length;
      if (heldBytes > budget) spill();
    },
    take(name) {
      const parts: Buffer[] = [];
      if (dir !== null && existsSync(fileOf(name))) {
        parts.push(readFileSync(fileOf(name)));
        unlinkSync(fileOf(name));
      }
      for (const chunk of held.get(name) ?? []) {
        heldBytes -= chunk.length;
        parts.push(chunk);
      }
      held.delete(name);
      return Buffer.concat(parts);
    },
    dispose() {
      held.clear();
      heldBytes = 0;
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
