/**
 * Large files written and read in pieces, so that neither blocks the event loop for long: the
 * writer serialises one record at a time into a bounded buffer and yields to the event loop
 * between flushes; the reader parses a bounded chunk of lines at a time.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Bytes buffered before a write; each flush is followed by a turn of the event loop. */
export const WRITE_CHUNK_BYTES = 256 * 1024;

/** Lets timers, I/O callbacks and requests run before the next piece of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Appends text to a new file in bounded chunks; `offset` is the byte length written so far. */
export class ChunkedFileWriter {
  private parts: string[] = [];
  private buffered = 0;
  private written = 0;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the file; it must not exist yet (`wx`), so nothing is ever overwritten. */
  static async create(file: string): Promise<ChunkedFileWriter> {
    return new ChunkedFileWriter(file, await open(file, 'wx'));
  }

  /** Where the next byte goes. */
  get offset(): number {
    return this.written + this.buffered;
  }

  /** Queues `text`; flushes (and yields) when the buffer is full. */
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.buffered += Buffer.byteLength(text);
    if (this.buffered >= WRITE_CHUNK_BYTES) await this.flush();
  }

  /** One line of NDJSON; returns where it starts and its length in bytes, newline excluded. */
  async writeLine(value: unknown): Promise<{ offset: number; bytes: number }> {
    const text = JSON.stringify(value);
    const offset = this.offset;
    await this.write(`${text}\n`);
    return { offset, bytes: this.offset - offset - 1 };
  }

  private async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.written += this.buffered;
    this.buffered = 0;
    await this.handle.write(chunk);
    await yieldToEventLoop();
  }

  /** Flushes, forces the bytes to disk, closes; returns the file's length. */
  async close(): Promise<number> {
    try {
      await this.flush();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    return this.written;
  }

  /** Closes without flushing (the file is being abandoned). */
  async abandon(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * The lines of `file` in [start, start + bytes), parsed with `parse`, in batches of about one read
 * chunk. `parse` throws on a line it does not accept; the reader adds nothing to that error.
 */
export async function* readLines<T>(file: string, start: number, bytes: number, parse: (line: string) => T): AsyncGenerator<T[]> {
  if (bytes <= 0) return;
  const stream = createReadStream(file, { start, end: start + bytes - 1, encoding: 'utf8', highWaterMark: 128 * 1024 });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      const last = text.lastIndexOf('\n');
      if (last < 0) {
        rest = text;
        continue;
      }
      rest = text.slice(last + 1);
      const batch: T[] = [];
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0 && nl <= last; nl = text.indexOf('\n', from)) {
        if (nl > from) batch.push(parse(text.slice(from, nl)));
        from = nl + 1;
      }
      yield batch;
    }
  } finally {
    stream.destroy();
  }
  if (rest.length > 0) yield [parse(rest)];
}
