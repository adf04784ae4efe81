/**
 * Large uploads in a row (issue 14): each succeeds, and the server does not keep the tables in
 * memory. Timing is measured by `npm run bench` (scripts/bench/server-latency.ts), not here.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import { openDatasetStore } from '../../api/src/store/file-dataset-store';
import { startHarness, type Harness } from './support/harness';

// A full collection before each heap reading, so the figure is what is still referenced.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1024 * 1024;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A contacts file of about `mb` MiB: ~75 bytes a row over 3 columns, 20,000 accounts. */
function contactsCsv(mb: number): { csv: Buffer; rows: number } {
  const lines = ['email,account_id,account_name'];
  let size = lines[0]!.length + 1;
  while (size < mb * MB) {
    const n = lines.length;
    const line = `firstname${n}.lastname@customer${n % 20000}.example.com,ACC-${String(n % 20000).padStart(6, '0')},Customer Company ${n % 20000} Ltd`;
    lines.push(line);
    size += line.length + 1;
  }
  return { csv: Buffer.from(`${lines.join('\n')}\n`), rows: lines.length - 1 };
}

let h: Harness;
let dir: string;
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('when five 20 MB contact files are uploaded in a row, then each is stored and the server keeps none of them in memory', async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-uploads-'));
  h = await startHarness({ datasets: await openDatasetStore(dir) });
  const { csv, rows } = contactsCsv(20);
  const baseline = heapAfterGc();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const rssBefore = process.memoryUsage().rss;

  const ids: string[] = [];
  try {
    for (let i = 0; i < 5; i += 1) {
      const res = await request(h.app).post(`/api/datasets?kind=contacts&fileName=contacts-${i}.csv`).set('Content-Type', 'text/csv').send(csv);
      expect(res.status).toBe(201);
      expect(res.body.rows).toBe(rows);
      ids.push(res.body.datasetId as string);
    }
  } finally {
    clearInterval(sampler);
  }

  // Stored: five datasets, each one record and one rows file, listed newest first.
  const listed = (await request(h.app).get('/api/datasets')).body.datasets as { id: string; rows: number }[];
  expect(listed.map((d) => d.id).sort()).toEqual([...ids].sort());
  expect((await readdir(path.join(dir, 'datasets'))).sort()).toEqual(ids.flatMap((id) => [`${id}.json`, `${id}.ndjson`]).sort());

  // Kept in memory: the records only. One table alone (~250,000 rows) takes ~60 MB of heap, and the
  // one-document store kept all five (and rewrote them on every upload).
  const retained = heapAfterGc() - baseline;
  expect(retained).toBeLessThan(40 * MB);
  // While uploading: about one table at a time, never all five.
  expect(peakRss - rssBefore).toBeLessThan(600 * MB);
}, 180_000);
