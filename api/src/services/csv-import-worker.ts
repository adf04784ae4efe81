/**
 * The worker thread of csv-import.ts: pulls the upload's bytes from the main thread one chunk
 * at a time, parses them and writes the dataset rows file, then answers what it wrote (or the
 * error, as data: an AppError's class does not cross threads).
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors';
import { writeCsvRows, type CsvImportJob, type FromWorker, type ToWorker } from './csv-import';

const port = parentPort!;
const job = workerData as CsvImportJob;
const post = (message: FromWorker) => port.postMessage(message);

const input = new Readable({
  read() {
    post({ type: 'pull' });
  },
});
port.on('message', (m: ToWorker) => {
  if (m.type === 'chunk') input.push(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
  else input.push(null);
});

writeCsvRows(input, job).then(
  (written) => post({ type: 'done', written }),
  (e: unknown) =>
    post({
      type: 'failed',
      error: isAppError(e) ? { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } : { message: (e as Error)?.message ?? String(e) },
    }),
);
