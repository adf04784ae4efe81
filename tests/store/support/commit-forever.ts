/**
 * Child process of the kill test: commits result sets to `argv[2]` one after another, forever,
 * printing `committed <runId>` after each, until it is killed.
 */
import { FileResultsStore } from '../../../api/src/store/file-results-store';
import { syntheticResultSet } from '../../support/synthetic-results';

async function main(): Promise<void> {
  const store = await FileResultsStore.open(process.argv[2]!);
  for (let n = Number(process.argv[3] ?? 0); ; n += 1) {
    const runId = `run_${n}`;
    await store.commit(syntheticResultSet({ accounts: 400, runId, seed: n + 1 }), null);
    process.stdout.write(`committed ${runId}\n`);
  }
}
void main();
