import { PassThrough, Readable } from 'node:stream';
import type { TenantGateway } from '../enrichment/ports';
import { MemoryDatasetStore } from '../store/dataset-store';
import { MemoryDocument } from '../store/document-store';
import { systemClock } from './clock';
import { DatasetService } from './dataset-service';
import { silentLogger } from './logger';
import { emptyAppState } from './state';

const notUsed = (): never => {
  throw new Error('not implemented');
};
const gateway: TenantGateway = { mode: 'demo', tenantId: 't', clientId: 'c', authorityHost: 'http://127.0.0.1:1', newSource: notUsed, grantedRoles: notUsed };

/** Every upload is parsed in a worker (inlineBytes 0), the path large files take. */
function service(): { datasets: DatasetService; store: MemoryDatasetStore } {
  const store = new MemoryDatasetStore();
  const datasets = new DatasetService(
    { datasets: store, state: new MemoryDocument(emptyAppState()), gateway, clock: systemClock, logger: silentLogger },
    { csvImport: { inlineBytes: 0 } },
  );
  return { datasets, store };
}

const meta = { kind: 'contacts' as const, fileName: 'contacts.csv', uploadedBy: 'u-admin' };
const csv = (n: number) => Buffer.from(['Email,AccountId', ...Array.from({ length: n }, (_, i) => `p${i}@fabrikam.com,A${i}`)].join('\n'));

/** A request whose client sends the header and some rows, then hangs up without a word. */
function hangingUp(): PassThrough {
  const input = new PassThrough();
  input.write(csv(50));
  setTimeout(() => input.destroy(), 30);
  return input;
}

describe('DatasetService uploads', () => {
  it('when a client hangs up part way, then that upload fails, nothing is stored, and later uploads go through', async () => {
    const { datasets, store } = service();
    await expect(datasets.upload(hangingUp(), meta)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('interrupted') });
    expect(store.writes).toBe(0);
    for (let i = 0; i < 3; i += 1) await expect(datasets.upload(Readable.from([csv(10)]), meta)).resolves.toMatchObject({ rows: 10 });
  });

  it('when uploads wait for a parse slot and their clients hang up meanwhile, then they fail and free their slots', async () => {
    const { datasets } = service();
    // Two uploads hold both slots until their clients hang up; two more wait behind them.
    const outcomes = await Promise.allSettled([hangingUp(), hangingUp(), hangingUp(), hangingUp()].map((input) => datasets.upload(input, meta)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    await expect(datasets.upload(Readable.from([csv(10)]), meta)).resolves.toMatchObject({ rows: 10 });
  });

  it('when the upload goes over the size limit part way, then 413 PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    const store = new MemoryDatasetStore();
    const datasets = new DatasetService(
      { datasets: store, state: new MemoryDocument(emptyAppState()), gateway, clock: systemClock, logger: silentLogger },
      { csvImport: { inlineBytes: 0 }, maxUploadBytes: 4096 },
    );
    await expect(datasets.upload(Readable.from([csv(100), csv(100)]), meta)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(store.writes).toBe(0);
  });
});
