/**
 * The real server in a process of its own, for scripts/bench/server-latency.ts: the probe then
 * measures this process's event loop, not the benchmark's. Configured by the environment like
 * `npm start`; `argv[2]` names the module exporting `startRapport` (the composition root).
 *
 * Protocol on stdio, one line each: it prints `READY <url>` once listening; on `stats` it prints
 * `STATS {"maxRssMb","rssMb"}` (peak resident memory of this process, worker threads included);
 * on `stop` it closes the server and exits.
 */
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../api/src/config';
import { createLogger, type Logger } from '../../api/src/services/logger';

type Start = (config: ReturnType<typeof loadConfig>, logger: Logger) => Promise<{ url: string; close(): Promise<void> }>;

async function main(): Promise<void> {
  const modulePath = path.resolve(process.argv[2] ?? 'server/src/main.ts');
  const loaded = (await import(pathToFileURL(modulePath).href)) as { startRapport?: Start; default?: { startRapport?: Start } };
  const startRapport = loaded.startRapport ?? loaded.default?.startRapport;
  if (!startRapport) throw new Error(`${modulePath} does not export startRapport`);
  const config = loadConfig();
  // Info lines would go to stdout, which carries the protocol: warnings and errors go to stderr.
  const running = await startRapport(config, createLogger({ level: config.logLevel === 'silent' ? 'silent' : 'warn' }));
  console.log(`READY ${running.url}`);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === 'stats') {
      const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
      console.log(`STATS ${JSON.stringify({ maxRssMb: mb(process.resourceUsage().maxRSS * 1024), rssMb: mb(process.memoryUsage().rss) })}`);
    } else if (line === 'stop') {
      break;
    }
  }
  await running.close();
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
