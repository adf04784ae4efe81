/** docs/api.md lists every route of the contract, with who may call it: a new route cannot go undocumented. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROUTES } from '../../api/src/contract/routes';

const doc = readFileSync(path.resolve(__dirname, '../../docs/api.md'), 'utf8');
const WHO = { public: 'anyone', user: 'signed-in user', admin: 'admin' } as const;

describe('docs/api.md', () => {
  it.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('lists %s with its operationId and who may call it', (route, spec) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${route}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${spec.operationId} | ${WHO[spec.access]} |`);
  });
});
