/** A distributed run on Azure Storage queues and blobs (DESIGN.md §1 "Scale-out path", docs/architecture.md). */
export { queueCollection, type QueueCollectionOptions } from './coordinator';
export { runWorker, DEFAULT_MAX_ATTEMPTS, DEFAULT_TASKS, DEFAULT_VISIBILITY_TIMEOUT_S, type WorkerLogEntry, type WorkerOptions, type WorkerSummary } from './worker';
export { azuriteConnectionString, ensureStorage, openDistributedStorage, type DistributedStorage, type StorageNames } from './storage';
export { DEFAULT_CONTAINER, DEFAULT_QUEUE, mailboxKey } from './protocol';
