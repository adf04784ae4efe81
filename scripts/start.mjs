/**
 * `npm start`: build what changed since the last start, then serve (demo mode without Graph
 * credentials). A second start with nothing changed skips both builds and serves within
 * seconds; the first one compiles the server (transpile only: `npm test` type-checks) and builds
 * the tab in parallel. Plain JavaScript so that it runs before anything is compiled.
 *
 * Each output folder holds a stamp: a hash of its inputs' paths, sizes and modification times.
 * A changed, added or removed input (or a missing stamp) rebuilds that output from scratch.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = '.build-stamp';
const LOCK_AND_CONFIG = ['package-lock.json', 'tsconfig.base.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The server's inputs are tsconfig.build.json's; the tab also reads the API's contract and engine. */
const outputs = [
  {
    name: 'server',
    dir: 'dist',
    inputs: ['api/src', 'bot/src', 'server/src', 'scripts', ...LOCK_AND_CONFIG],
    // Removing `dist` first: a moved module's old .js would otherwise shadow it.
    build: ['node', ['-e', "require('node:fs').rmSync('dist',{recursive:true,force:true})"], 'tsc', ['-p', 'tsconfig.build.json', '--noCheck']],
  },
  {
    name: 'tab',
    dir: 'tabs/dist',
    inputs: ['tabs', 'api/src/contract', 'api/src/engagement', ...LOCK_AND_CONFIG],
    build: ['vite', ['build', '--config', 'tabs/vite.config.ts', '--logLevel', 'warn']],
  },
];

const SKIP_DIRS = new Set(['node_modules', 'dist', '__tests__']);

function fingerprint(inputs) {
  const hash = createHash('sha256');
  const visit = (rel) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    const stat = statSync(abs);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(abs).sort()) if (!SKIP_DIRS.has(entry)) visit(path.join(rel, entry));
    } else if (!/\.(spec|test)\.tsx?$/.test(rel)) {
      hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const input of inputs) visit(input);
  return hash.digest('hex');
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

async function buildIfChanged(output) {
  const stampFile = path.join(root, output.dir, STAMP);
  const want = fingerprint(output.inputs);
  const have = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (want === have) return `${output.name} unchanged`;
  const started = Date.now();
  const steps = output.build;
  for (let i = 0; i < steps.length; i += 2) await run(steps[i], steps[i + 1]);
  writeFileSync(stampFile, `${want}\n`);
  return `${output.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

try {
  const done = await Promise.all(outputs.map(buildIfChanged));
  console.log(`npm start: ${done.join(', ')}`);
} catch (error) {
  console.error(`npm start: the build failed (${error.message}). Fix the error above, then run npm start again.`);
  process.exit(1);
}

// The server runs in its own process so that its signal handling (graceful shutdown) is its own.
const server = spawn(process.execPath, [path.join(root, 'dist/server/src/main.js')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
