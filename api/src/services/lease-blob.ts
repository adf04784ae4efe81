/**
 * The scheduler lease in Azure Storage (issue 15 §4): a blob lease on `rapport-leases/scheduler`,
 * for instances that share a storage account but not necessarily a file system (App Service
 * scale-out, a second web app, a slot swap). Azure keeps the lease's clock, so unlike the lock
 * file (lease.ts) there is no window in which a stalled holder can overwrite a takeover: once
 * another instance acquires, the old lease id is refused.
 */
import { randomUUID } from 'node:crypto';
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient, type BlobLeaseClient, type BlockBlobClient, type ContainerClient } from '@azure/storage-blob';
import { AppError } from '../errors';
import { newHolderId, type Lease } from './lease';

export const LEASE_CONTAINER = 'rapport-leases';
export const SCHEDULER_LEASE_BLOB = 'scheduler';

/** Where the lease blob lives: a connection string (a key, a SAS, Azurite) or an account reached with a managed identity. */
export type StorageSetting = { connectionString: string } | { accountName: string; managedIdentityClientId?: string };

export interface BlobLeaseOptions {
  /** The container that holds lease blobs; created when missing. */
  container: ContainerClient;
  /** @default 'scheduler' */
  blobName?: string;
  /** Seconds a taken or renewed lease lasts: Azure accepts 15 to 60. @default 60 */
  durationSeconds?: number;
  /** @default a third of the duration (20 s for 60 s): two renewals may fail before the lease lapses. */
  renewEveryMs?: number;
  /** Written to the blob's metadata when taken, so an operator sees which process schedules. @default newHolderId() */
  holder?: string;
}

/**
 * One lease id per instance (a GUID Azure requires), proposed at every acquisition: the holder
 * renews with it, and after a crash a restarted process gets a new one, so it cannot renew the
 * lease of its dead predecessor and waits for the expiry like any standby.
 */
export class BlobLease implements Lease {
  readonly renewEveryMs: number;
  readonly description: string;
  private readonly blob: BlockBlobClient;
  private readonly lease: BlobLeaseClient;
  private readonly durationSeconds: number;
  private readonly holder: string;
  /** True after this instance acquired the lease and until it is released or found lost. */
  private holding = false;

  constructor(private readonly options: BlobLeaseOptions) {
    this.durationSeconds = options.durationSeconds ?? 60;
    if (!Number.isInteger(this.durationSeconds) || this.durationSeconds < 15 || this.durationSeconds > 60) {
      throw new AppError('CONFIG_INVALID', `A blob lease lasts 15 to 60 seconds (Azure's limits); ${this.durationSeconds} was asked for.`);
    }
    this.renewEveryMs = options.renewEveryMs ?? Math.floor((this.durationSeconds * 1000) / 3);
    this.holder = options.holder ?? newHolderId();
    this.blob = options.container.getBlockBlobClient(options.blobName ?? SCHEDULER_LEASE_BLOB);
    this.lease = this.blob.getBlobLeaseClient(randomUUID());
    this.description = `the blob lease on ${withoutQuery(this.blob.url)}`;
  }

  async acquire(): Promise<boolean> {
    if (this.holding) {
      try {
        await this.lease.renewLease();
        return true;
      } catch (e) {
        // 409: another instance acquired it after ours lapsed, or it was broken; 404: the blob was deleted.
        if (!hasStatus(e, 409) && !hasStatus(e, 412) && !hasStatus(e, 404)) throw leaseError('Renewing', this.description, e);
        this.holding = false;
      }
    }
    return this.take(true);
  }

  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    try {
      await this.lease.releaseLease();
    } catch (e) {
      // Already lost (taken over, broken, or the blob deleted): nothing of ours to give up.
      if (!hasStatus(e, 409) && !hasStatus(e, 412) && !hasStatus(e, 404)) throw leaseError('Releasing', this.description, e);
    }
  }

  private async take(createIfMissing: boolean): Promise<boolean> {
    try {
      await this.lease.acquireLease(this.durationSeconds);
    } catch (e) {
      if (hasStatus(e, 409) && errorCode(e) === 'LeaseAlreadyPresent') return false;
      if (hasStatus(e, 404) && createIfMissing) {
        await this.createBlob();
        return this.take(false);
      }
      throw leaseError('Taking', this.description, e);
    }
    this.holding = true;
    // For operators only; the lease itself is what elects, so a failure here changes nothing.
    await this.blob.setMetadata({ holder: asciiOnly(this.holder) }, { conditions: { leaseId: this.lease.leaseId } }).catch(() => undefined);
    return true;
  }

  /** The container and an empty blob; a contender creating them at the same moment is no error. */
  private async createBlob(): Promise<void> {
    try {
      await this.options.container.createIfNotExists();
      await this.blob.upload('', 0, { conditions: { ifNoneMatch: '*' } });
    } catch (e) {
      if (hasStatus(e, 409) || hasStatus(e, 412)) return;
      throw leaseError('Creating the lease blob for', this.description, e);
    }
  }
}

const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

/**
 * A renewal must settle well inside the lease's lifetime: the SDK's default (4 tries, waits of up
 * to 2 minutes, no per-try timeout) could hang past the expiry while this instance still
 * schedules and another has taken over. Two tries of 5 s at most, one second apart, end in
 * ~11 s, under the 20 s between renewals.
 */
const LEASE_RETRY = { maxTries: 2, tryTimeoutInMs: 5_000, retryDelayInMs: 1_000, maxRetryDelayInMs: 1_000 };

/** The lease container of a storage setting, as config.ts validated it. */
export function leaseContainer(setting: StorageSetting): ContainerClient {
  let service: BlobServiceClient;
  if ('accountName' in setting) {
    if (!ACCOUNT_NAME.test(setting.accountName)) {
      throw new AppError('CONFIG_INVALID', `"${setting.accountName}" is not a storage account name (3 to 24 lowercase letters and digits).`);
    }
    const credential = new DefaultAzureCredential(setting.managedIdentityClientId ? { managedIdentityClientId: setting.managedIdentityClientId } : {});
    service = new BlobServiceClient(`https://${setting.accountName}.blob.core.windows.net`, credential, { retryOptions: LEASE_RETRY });
  } else {
    try {
      service = BlobServiceClient.fromConnectionString(setting.connectionString, { retryOptions: LEASE_RETRY });
    } catch (e) {
      // The SDK's message names the part it could not read, never the key.
      throw new AppError('CONFIG_INVALID', `AZURE_STORAGE_CONNECTION_STRING cannot be used: ${(e as Error).message}`, undefined, e);
    }
  }
  return service.getContainerClient(LEASE_CONTAINER);
}

/** The scheduler's lease in the storage account of `setting`. */
export function schedulerBlobLease(setting: StorageSetting, options: Omit<BlobLeaseOptions, 'container'> = {}): BlobLease {
  return new BlobLease({ container: leaseContainer(setting), ...options });
}

/** A SAS connection string puts its signature in every URL; logs and /api/ready get the address only. */
function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
}

/** Metadata values travel as HTTP headers: ASCII only. */
function asciiOnly(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

function hasStatus(e: unknown, status: number): boolean {
  return (e as { statusCode?: number })?.statusCode === status;
}

function errorCode(e: unknown): string | undefined {
  const err = e as { code?: string; details?: { errorCode?: string } };
  return err?.details?.errorCode ?? err?.code;
}

/** A storage failure in words: what failed, on which blob, and the service's own reason. */
function leaseError(what: string, description: string, e: unknown): AppError {
  const err = e as { statusCode?: number; message?: string };
  const code = errorCode(e);
  const reason = code ? `${code}${err?.statusCode ? ` (HTTP ${err.statusCode})` : ''}` : (err?.message ?? String(e));
  return new AppError(
    'INTERNAL',
    `${what} ${description} failed: ${reason}. Check AZURE_STORAGE_CONNECTION_STRING (or that the managed identity has Storage Blob Data Contributor on AZURE_STORAGE_ACCOUNT_NAME) and that the account is reachable.`,
    { storage: true },
    e,
  );
}
