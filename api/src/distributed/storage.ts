/**
 * The Azure Storage account a distributed run uses: one queue for tasks, one blob container for
 * plans and partials. Opened from a connection string (Azurite locally and in tests, a key or
 * SAS in Azure) or from a storage account name with a managed identity (DefaultAzureCredential).
 */
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { AppError } from '../errors';
import { DEFAULT_CONTAINER, DEFAULT_QUEUE } from './protocol';

export interface DistributedStorage {
  queue: QueueClient;
  container: ContainerClient;
  /** For logs: where the queue is, never the key. */
  describe(): string;
}

/** The well-known Azurite account (public, documented by Microsoft); for tests and local runs only. */
export function azuriteConnectionString(blobUrl: string, queueUrl: string): string {
  const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
  return `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=${blobUrl}/devstoreaccount1;QueueEndpoint=${queueUrl}/devstoreaccount1;`;
}

const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

export interface StorageNames {
  queue?: string;
  container?: string;
}

/**
 * `value` is a connection string, or a bare storage account name (3–24 lowercase letters and
 * digits) read with the managed identity (or any DefaultAzureCredential) of the process.
 */
export function openDistributedStorage(value: string, names: StorageNames = {}): DistributedStorage {
  const queueName = names.queue ?? DEFAULT_QUEUE;
  const containerName = names.container ?? DEFAULT_CONTAINER;
  let queues: QueueServiceClient;
  let blobs: BlobServiceClient;
  const trimmed = value.trim();
  if (ACCOUNT_NAME.test(trimmed)) {
    const credential = new DefaultAzureCredential();
    queues = new QueueServiceClient(`https://${trimmed}.queue.core.windows.net`, credential);
    blobs = new BlobServiceClient(`https://${trimmed}.blob.core.windows.net`, credential);
  } else {
    if (!/AccountName=|SharedAccessSignature=|UseDevelopmentStorage=true/i.test(trimmed)) {
      throw new AppError(
        'CONFIG_INVALID',
        'The storage setting is neither a connection string (DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…) nor a storage account name; copy it from the storage account\'s "Access keys" page.',
      );
    }
    try {
      queues = QueueServiceClient.fromConnectionString(trimmed);
      blobs = BlobServiceClient.fromConnectionString(trimmed);
    } catch (e) {
      throw new AppError('CONFIG_INVALID', `The storage connection string cannot be used: ${(e as Error).message}`, undefined, e);
    }
  }
  const queue = queues.getQueueClient(queueName);
  const container = blobs.getContainerClient(containerName);
  return { queue, container, describe: () => `queue ${queue.url}, container ${container.url}` };
}

/** Creates the queue and the container when missing; a clear error when the account cannot be reached. */
export async function ensureStorage(storage: DistributedStorage): Promise<void> {
  try {
    await Promise.all([storage.queue.createIfNotExists(), storage.container.createIfNotExists()]);
  } catch (e) {
    throw storageError(`Azure Storage cannot be reached (${storage.describe()})`, e);
  }
}

/** A storage fault in words: what failed and the service's own reason. */
export function storageError(what: string, e: unknown): AppError {
  const err = e as { statusCode?: number; code?: string; message?: string };
  const reason = err?.code ? `${err.code}${err.statusCode ? ` (HTTP ${err.statusCode})` : ''}` : (err?.message ?? String(e));
  return new AppError('INTERNAL', `${what}: ${reason}. Check the connection string and that the storage account (or Azurite) is running.`, { storage: true }, e);
}

/** True when a storage call failed with this HTTP status. */
export function hasStatus(e: unknown, status: number): boolean {
  return (e as { statusCode?: number })?.statusCode === status;
}
