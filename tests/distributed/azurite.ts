/**
 * Azurite from the `azurite` npm package, on loopback ports the OS picks (port 0), in memory:
 * for the distributed tests and `npm run bench:distributed`. The ports are read from Azurite's
 * own "successfully listening at" lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { azuriteConnectionString } from '../../api/src/distributed';

export interface RunningAzurite {
  connectionString: string;
  close(): Promise<void>;
}

const root = path.resolve(__dirname, '../..');

export async function startAzurite(timeoutMs = 30_000): Promise<RunningAzurite> {
  // Azurite writes nothing with --inMemoryPersistence, but it runs in a folder of its own anyway.
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'rapport-azurite-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/azurite/dist/src/azurite.js'),
      '--silent',
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--blobHost', '127.0.0.1', '--blobPort', '0',
      '--queueHost', '127.0.0.1', '--queuePort', '0',
      '--tableHost', '127.0.0.1', '--tablePort', '0',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(cwd, { recursive: true, force: true });
  };
  try {
    const urls = await new Promise<{ blob: string; queue: string }>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        const blob = /Blob service is successfully listening at (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
        const queue = /Queue service is successfully listening at (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
        if (blob && queue) {
          clearTimeout(timer);
          resolve({ blob, queue });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with ${code}:\n${output}`));
      });
    });
    return { connectionString: azuriteConnectionString(urls.blob, urls.queue), close };
  } catch (e) {
    await close();
    throw e;
  }
}
