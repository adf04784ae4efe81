/**
 * A document store holds one JSON document and commits every change in one atomic write.
 * Repositories are built on top of it; `LowdbDocument` persists to a file, `MemoryDocument`
 * keeps the value in memory for unit tests.
 */
export interface DocumentStore<T> {
  /** The committed value. Treat it as read-only: change it only through `update`/`replace`. */
  read(): Promise<T>;
  /**
   * Runs `change` on a private copy and commits the copy in one write. Calls are serialised.
   * When `change` throws, nothing is written and the committed value stays as it was.
   */
  update<R>(change: (draft: T) => R | Promise<R>): Promise<R>;
  /** Commits a whole new value in one write. */
  replace(value: T): Promise<void>;
}

/** Serialises async work: each task starts when the previous one settled. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => Promise<R>): Promise<R> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Shared commit logic: copy, change, persist, then swap the committed value. */
export abstract class BaseDocument<T> implements DocumentStore<T> {
  private readonly mutex = new Mutex();

  protected constructor(protected committed: T) {}

  protected abstract persist(value: T): Promise<void>;

  read(): Promise<T> {
    return Promise.resolve(this.committed);
  }

  update<R>(change: (draft: T) => R | Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      const draft = structuredClone(this.committed);
      const result = await change(draft);
      await this.persist(draft);
      this.committed = draft;
      return result;
    });
  }

  replace(value: T): Promise<void> {
    return this.mutex.run(async () => {
      await this.persist(value);
      this.committed = value;
    });
  }
}

export class MemoryDocument<T> extends BaseDocument<T> {
  /** Number of commits, so tests can assert that a failed request wrote nothing. */
  writes = 0;

  constructor(initial: T) {
    super(structuredClone(initial));
  }

  protected persist(): Promise<void> {
    this.writes += 1;
    return Promise.resolve();
  }
}
