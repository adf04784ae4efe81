/**
 * One scheduler among several instances (issue 15 §4). Two App Service instances, or a second
 * process started on the same DATA_DIR, must not both fire the weekly run: the one holding the
 * lease schedules, the others stand by and take over when the holder stops or dies (its lease
 * is no longer renewed and expires).
 *
 * Two implementations: a lock file under DATA_DIR (one machine, or a shared file system), and a
 * blob lease in Azure Storage (lease-blob.ts) when AZURE_STORAGE_CONNECTION_STRING is set.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import type { Clock } from './clock';

export interface Lease {
  /** Takes the lease when it is free or expired, or renews it while held. True while this instance holds it. */
  acquire(): Promise<boolean>;
  /** Gives the lease up at once (a clean stop), so a standby need not wait for it to expire. */
  release(): Promise<void>;
  /** How often the holder renews and a standby tries again; well under the lease's lifetime. */
  readonly renewEveryMs: number;
  /** Where the lease lives, in words, for logs and /api/ready. */
  readonly description: string;
}

/** `host/pid/random`: unique per process, and says in the file which process holds it. */
export function newHolderId(): string {
  return `${os.hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

interface LeaseRecord {
  holder: string;
  /** Epoch milliseconds after which anyone may take the lease over. */
  expiresAt: number;
}

export interface FileLeaseOptions {
  /** e.g. <DATA_DIR>/scheduler.lease */
  path: string;
  clock: Clock;
  /** @default newHolderId() */
  holder?: string;
  /** Lifetime of a taken or renewed lease. @default 60 s */
  ttlMs?: number;
  /** @default a third of the lifetime */
  renewEveryMs?: number;
}

/**
 * A lock file: created with O_EXCL (exactly one creator wins), holding the holder id and an
 * expiry the holder moves forward at every renewal (written to a temporary file and renamed,
 * so a reader never sees half a record). A dead holder stops renewing; once its expiry has
 * passed, a standby moves the stale file aside by rename (one contender wins the rename),
 * checks it moved the stale record it judged and not a fresh one, and creates its own.
 *
 * Limit: a holder that stalls longer than the lease's lifetime between reading and renewing
 * its own record can overwrite a takeover; the lifetime is three renewals long to make that
 * a stall of tens of seconds. The blob lease has no such window.
 */
export class FileLease implements Lease {
  readonly renewEveryMs: number;
  readonly description: string;
  private readonly holder: string;
  private readonly ttlMs: number;

  constructor(private readonly options: FileLeaseOptions) {
    this.holder = options.holder ?? newHolderId();
    this.ttlMs = options.ttlMs ?? 60_000;
    this.renewEveryMs = options.renewEveryMs ?? Math.floor(this.ttlMs / 3);
    this.description = `the lock file ${options.path}`;
  }

  async acquire(): Promise<boolean> {
    const now = this.options.clock.now().getTime();
    if (await this.create(now)) return true;
    const current = await this.read();
    if (current === 'missing') return this.create(now);
    if (current !== 'unreadable' && current.holder === this.holder) {
      // Our own lease: renewed while it is still ours to renew; once expired, taken over like anyone's.
      if (current.expiresAt > now) return this.renew(now);
    } else if (current !== 'unreadable' && current.expiresAt > now) {
      return false;
    } else if (current === 'unreadable' && (await this.youngerThanTtl())) {
      // Empty or torn: possibly a holder between its create and its write; judged by the file's age.
      return false;
    }
    return this.takeOver(current, now);
  }

  async release(): Promise<void> {
    const current = await this.read();
    if (current !== 'missing' && current !== 'unreadable' && current.holder === this.holder) await unlink(this.options.path).catch(() => undefined);
  }

  private record(now: number): string {
    return `${JSON.stringify({ holder: this.holder, expiresAt: now + this.ttlMs } satisfies LeaseRecord)}\n`;
  }

  private async create(now: number): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.options.path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    try {
      await handle.writeFile(this.record(now));
    } finally {
      await handle.close();
    }
    return true;
  }

  private async renew(now: number): Promise<boolean> {
    const temp = `${this.options.path}.${process.pid}.tmp`;
    await writeFile(temp, this.record(now));
    await rename(temp, this.options.path);
    return true;
  }

  /** `stale` was judged expired (or unreadable): moved aside by exactly one contender, then re-created. */
  private async takeOver(stale: LeaseRecord | 'unreadable', now: number): Promise<boolean> {
    const aside = `${this.options.path}.${process.pid}.stale`;
    try {
      await rename(this.options.path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.create(now);
      throw e;
    }
    const moved = await readRecord(aside);
    const sameStale = stale === 'unreadable' ? moved === 'unreadable' : moved !== 'missing' && moved !== 'unreadable' && moved.holder === stale.holder && moved.expiresAt === stale.expiresAt;
    if (!sameStale) {
      // Another contender took over between our read and our rename: its fresh lease goes back.
      await rename(aside, this.options.path).catch(() => undefined);
      return false;
    }
    await unlink(aside).catch(() => undefined);
    return this.create(now);
  }

  private async youngerThanTtl(): Promise<boolean> {
    try {
      return Date.now() - (await stat(this.options.path)).mtimeMs < this.ttlMs;
    } catch {
      return false;
    }
  }

  private read(): Promise<LeaseRecord | 'missing' | 'unreadable'> {
    return readRecord(this.options.path);
  }
}

async function readRecord(file: string): Promise<LeaseRecord | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LeaseRecord>;
    if (typeof parsed.holder === 'string' && typeof parsed.expiresAt === 'number') return { holder: parsed.holder, expiresAt: parsed.expiresAt };
  } catch {
    // A holder that died between creating the file and writing it leaves it empty.
  }
  return 'unreadable';
}
