/**
 * Damaged stored files are moved aside, never overwritten or deleted (shared/DESIGN.md §8): the
 * copy keeps the evidence and whatever can still be recovered by hand, and the original name is
 * free for a fresh file.
 */
import { access, rename } from 'node:fs/promises';

/** `2026-03-01T10:15:00.123Z` → `20260301T101500123Z`: sortable, and legal in every file system's names. */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/**
 * Renames `file` (a file or a folder) to `<file>.corrupt-<stamp>` and returns the new path.
 * A second damaged copy within the same millisecond gets a counter rather than replacing the first.
 */
export async function moveAside(file: string, at: Date = new Date()): Promise<string> {
  const base = `${file}.corrupt-${fileStamp(at)}`;
  for (let n = 0; ; n += 1) {
    const target = n === 0 ? base : `${base}-${n}`;
    try {
      await renameIfFree(file, target);
      return target;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw e;
    }
  }
}

/** rename(2) replaces an existing file silently; the copy of an earlier damage must survive. */
async function renameIfFree(from: string, to: string): Promise<void> {
  const taken = await access(to).then(
    () => true,
    () => false,
  );
  if (taken) throw Object.assign(new Error(`${to} exists`), { code: 'EEXIST' });
  await rename(from, to);
}
