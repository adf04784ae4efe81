/**
 * `npm run lint:openapi`: writes the OpenAPI document generated from api/src/contract to a
 * temporary file and lints it with redocly's `recommended` rules, unrelaxed. It runs in the
 * temporary folder, so no redocly.yaml of ours can change a rule, and it fails on a warning
 * too (redocly itself exits 0 on warnings): generated clients need every operationId.
 * Offline: telemetry and the update check are off.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApiDocument } from '../../api/src/contract';

const root = process.cwd(); // npm runs scripts at the repository root
const dir = mkdtempSync(path.join(tmpdir(), 'rapport-openapi-'));
try {
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(openApiDocument('0.0.0-lint'), null, 2));
  const redocly = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'redocly.cmd' : 'redocly');
  const result = spawnSync(redocly, ['lint', '--format=stylish', '--extends=recommended', file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  process.stdout.write(output);
  if (result.error) throw result.error;
  const warnings = /You have (\d+) warnings?/.exec(output);
  if (result.status !== 0) process.exitCode = result.status ?? 1;
  else if (warnings) {
    console.error(`lint:openapi: ${warnings[1]} warning(s); the document must lint clean.`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
