/**
 * Package boundaries (docs/architecture.md "Packages and their front doors"): the repository's
 * real ESLint config is run on probe sources placed, by file path, inside each package, and on
 * the packages themselves. ESLint runs in a child process because it loads `eslint.config.mjs`
 * with a dynamic `import()`, which Jest's CommonJS sandbox does not provide. The probes are
 * linted with `lintText` and a file path, so nothing is written into the working tree.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../..');
const RULE = 'rapport/import-zones';

interface Probe {
  file: string;
  code: string;
}

interface Linted {
  probes: { file: string; messages: string[] }[];
  /** Every `rapport/import-zones` problem in the packages' real files. */
  packageViolations: string[];
}

/** Lints the probes and the real packages in one ESLint process; reports only this rule. */
async function lint(probes: Probe[]): Promise<Linted> {
  const script = `
    import { ESLint } from 'eslint';
    const probes = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const only = (results) => results.flatMap((r) => r.messages.filter((m) => m.ruleId === '${RULE}').map((m) => r.filePath + ': ' + m.message));
    const out = { probes: [], packageViolations: only(await eslint.lintFiles(['api', 'bot', 'tabs', 'server'])) };
    for (const p of probes) {
      const [result] = await eslint.lintText(p.code, { filePath: p.file });
      out.probes.push({ file: p.file, messages: result.messages.filter((m) => m.ruleId === '${RULE}').map((m) => m.message) });
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(probes)], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Linted;
}

/** [importing file, source, the rule's message or null when the import is allowed] */
const CASES: [string, string, string | null][] = [
  // The bot owns its ports: nothing from api/, however deep the importing file sits.
  ['bot/src/probe.ts', "import { AppError } from '../../api/src/errors';", "bot/ may not import from api/ ('../../api/src/errors')"],
  ['bot/src/commands/probe.ts', "import type { DocumentStore } from '../../../api/src/store/document-store';", 'bot/ may not import from api/'],
  ['bot/src/probe.ts', "export * from '../../api/src';", 'bot/ may not import from api/'],
  ['bot/src/probe.ts', "export const load = () => import('../../api/src/errors');", 'bot/ may not import from api/'],
  ['bot/src/probe.ts', "import { COMMANDS } from './commands/registry';", null],
  // The API never imports the bot, not even its entry point.
  ['api/src/probe.ts', "import { createBot } from '../../bot/src';", "api/ may not import from bot/ ('../../bot/src')"],
  ['api/src/http/probe.ts', "import { App } from '../../../tabs/src/app/app';", 'api/ may not import from tabs/'],
  // The tab reads only the API's wire contract; its own `features/*/api/` folders are its own.
  ['tabs/src/probe.ts', "import { AppError } from '../../api/src/errors';", "tabs/ may use api/ only through api/src/contract/index.ts, not '../../api/src/errors'"],
  ['tabs/src/probe.ts', "import { createBot } from '../../bot/src';", 'tabs/ may not import from bot/'],
  ['tabs/src/lib/probe.ts', "import { OFFICE_COLUMNS } from '../../../api/src/contract';", null],
  ['tabs/src/features/office/components/probe.tsx', "import { useOffice } from '../api/get-office';", null],
  // The composition root uses the front doors only.
  ['server/src/probe.ts', "import { createApp } from '../../api/src';", null],
  ['server/src/probe.ts', "import { createBot } from '../../bot/src/index';", null],
  ['server/src/probe.ts', "import { createApp } from '../../api/src/http/app';", "server/ may use api/ only through api/src/index.ts, not '../../api/src/http/app'"],
  ['server/src/probe.ts', "import { botStateSchema } from '../../bot/src/state';", 'server/ may use bot/ only through bot/src/index.ts'],
  // Unit tests beside the code may use the shared fakes, but still not another package.
  ['bot/src/notifications/probe.spec.ts', "import { officeRow } from '../../../tests/bot/fakes';", null],
  ['bot/src/notifications/probe.spec.ts', "import { AppError } from '../../../api/src/errors';", 'bot/ may not import from api/'],
  ['bot/src/probe.ts', "import { officeRow } from '../../tests/bot/fakes';", 'bot/ may not import from tests/'],
  // tests/ and scripts/ sit outside every package and may reach internals.
  ['tests/probe.test.ts', "import { AppError } from '../api/src/errors';", null],
  ['scripts/probe.ts', "import { createBot } from '../bot/src/rapport-bot';", null],
];

let linted: Linted;
beforeAll(async () => {
  linted = await lint(CASES.map(([file, code]) => ({ file, code: `${code}\nexport {};\n` })));
}, 120_000);

describe('import zones', () => {
  const named = CASES.map(([file, code, expected], i) => [file, code, expected ? `lint reports "${expected}"` : 'lint allows it', expected, i] as const);
  test.each(named)('when %s has `%s`, then %s', (file, _code, _title, expected, i) => {
    const probe = linted.probes[i]!;
    expect(probe.file).toBe(file);
    if (expected === null) expect(probe.messages).toEqual([]);
    else expect(probe.messages).toEqual([expect.stringContaining(expected)]);
  });

  test('when the packages themselves are linted, then no import crosses a boundary', () => {
    expect(linted.packageViolations).toEqual([]);
  });
});
