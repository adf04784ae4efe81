import { datasetsToPrune, DEFAULT_PRUNE_POLICY, type PrunableDataset, type PrunePolicy } from './dataset-prune';

const MB = 1024 * 1024;
/** d1 is the oldest upload, d6 the newest; sizes in MiB. */
const d = (n: number, mb = 10): PrunableDataset => ({ id: `d${n}`, uploadedAt: `2026-12-0${n}T10:00:00.000Z`, bytes: mb * MB });
const six = [d(1), d(2), d(3), d(4), d(5), d(6)];

describe('datasetsToPrune', () => {
  const cases: { name: string; datasets: PrunableDataset[]; inUse: string[]; policy: PrunePolicy; prune: string[] }[] = [
    { name: 'nothing stored', datasets: [], inUse: [], policy: DEFAULT_PRUNE_POLICY, prune: [] },
    { name: 'fewer than N, under the cap', datasets: six, inUse: [], policy: DEFAULT_PRUNE_POLICY, prune: [] },
    { name: 'more than N: the oldest go', datasets: six, inUse: [], policy: { keepUnreferenced: 4, maxUnreferencedBytes: 1024 * MB }, prune: ['d2', 'd1'] },
    { name: 'in use never counts or goes', datasets: six, inUse: ['d1', 'd6'], policy: { keepUnreferenced: 2, maxUnreferencedBytes: 1024 * MB }, prune: ['d3', 'd2'] },
    { name: 'everything in use', datasets: six, inUse: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'], policy: { keepUnreferenced: 1, maxUnreferencedBytes: 1 }, prune: [] },
    { name: 'the byte cap binds before N', datasets: six, inUse: [], policy: { keepUnreferenced: 10, maxUnreferencedBytes: 25 * MB }, prune: ['d4', 'd3', 'd2', 'd1'] },
    { name: 'exactly at the cap is kept', datasets: six, inUse: [], policy: { keepUnreferenced: 10, maxUnreferencedBytes: 30 * MB }, prune: ['d3', 'd2', 'd1'] },
    {
      name: 'the newest upload stays alone above the cap',
      datasets: [d(1, 5), d(2, 500)],
      inUse: [],
      policy: { keepUnreferenced: 10, maxUnreferencedBytes: 100 * MB },
      prune: ['d1'],
    },
    {
      name: 'a small older one does not jump a big one that did not fit',
      datasets: [d(1, 1), d(2, 90), d(3, 20)],
      inUse: [],
      policy: { keepUnreferenced: 10, maxUnreferencedBytes: 100 * MB },
      prune: ['d2', 'd1'],
    },
    {
      name: 'in-use datasets take no room under the cap',
      datasets: [d(1, 10), d(2, 10), d(3, 900)],
      inUse: ['d3'],
      policy: { keepUnreferenced: 10, maxUnreferencedBytes: 20 * MB },
      prune: [],
    },
    {
      name: 'same upload time: the id decides, every time',
      datasets: [
        { id: 'b', uploadedAt: '2026-12-01T10:00:00.000Z', bytes: 1 },
        { id: 'a', uploadedAt: '2026-12-01T10:00:00.000Z', bytes: 1 },
      ],
      inUse: [],
      policy: { keepUnreferenced: 1, maxUnreferencedBytes: 1024 },
      prune: ['b'],
    },
  ];

  it.each(cases)('when $name, then it prunes $prune', ({ datasets, inUse, policy, prune }) => {
    expect(datasetsToPrune(datasets, new Set(inUse), policy)).toEqual(prune);
  });

  it('when the input is in any order, then the answer is the same', () => {
    const shuffled = [d(4), d(1), d(6), d(3), d(5), d(2)];
    expect(datasetsToPrune(shuffled, new Set(), { keepUnreferenced: 3, maxUnreferencedBytes: 1024 * MB })).toEqual(['d3', 'd2', 'd1']);
  });
});
