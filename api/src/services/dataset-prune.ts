/**
 * Which uploaded datasets to delete (docs/api.md "Datasets"). A dataset is *in use* when a
 * configuration version refers to it (every version, not only the current one: a version is a
 * record of what a run used), or when the mapping step or a configuration save read it in the
 * last half hour (a wizard in progress may save it next). In-use datasets are never deleted.
 * Of the others, the newest uploads are kept while both limits hold; everything older goes.
 * The newest unreferenced upload is always kept, even alone above the byte cap: it is the one
 * the admin just sent.
 */
export interface PrunePolicy {
  /** Unreferenced datasets kept, newest first. At least 1. @default 10 */
  keepUnreferenced: number;
  /** Bytes on disk the kept unreferenced datasets may take together. @default 1 GiB */
  maxUnreferencedBytes: number;
}

export const DEFAULT_PRUNE_POLICY: PrunePolicy = { keepUnreferenced: 10, maxUnreferencedBytes: 1024 * 1024 * 1024 };

/** How long a dataset read by the mapping step or a save counts as in use. */
export const IN_USE_AFTER_READ_MS = 30 * 60 * 1000;

export interface PrunableDataset {
  id: string;
  uploadedAt: string;
  bytes: number;
}

/** The ids to delete, oldest last. */
export function datasetsToPrune(datasets: readonly PrunableDataset[], inUse: ReadonlySet<string>, policy: PrunePolicy): string[] {
  const unreferenced = datasets
    .filter((d) => !inUse.has(d.id))
    .sort((a, b) => (a.uploadedAt !== b.uploadedAt ? (a.uploadedAt < b.uploadedAt ? 1 : -1) : a.id < b.id ? -1 : 1));
  const prune: string[] = [];
  let kept = 0;
  let bytes = 0;
  for (const d of unreferenced) {
    const fits = kept < policy.keepUnreferenced && (kept === 0 || bytes + d.bytes <= policy.maxUnreferencedBytes);
    // Once one does not fit, older ones go too: what is kept is always the newest uploads.
    if (fits && prune.length === 0) {
      kept += 1;
      bytes += d.bytes;
    } else {
      prune.push(d.id);
    }
  }
  return prune;
}
