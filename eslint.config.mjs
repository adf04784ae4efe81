import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importZones from './scripts/lint/import-zones.mjs';

/** Packages and the entry points of other packages each one may import (repo-relative). */
function importZoneOptions(allowFolders = []) {
  return {
    root: import.meta.dirname,
    allowFolders,
    packages: [
      { dir: 'api' },
      { dir: 'bot' },
      // The tab is a browser bundle: it may read the API's wire contract, which holds no Node code.
      { dir: 'tabs', uses: ['api/src/contract/index.ts'] },
      { dir: 'server', uses: ['api/src/index.ts', 'bot/src/index.ts'] },
    ],
  };
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'tabs/dist/', 'coverage/', 'artifacts/', '.data/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // Packages with front doors (STYLE.md 21, docs/architecture.md): api/ and bot/ never import
    // each other, the composition root (server/) uses only their entry points, and the tab reads
    // only the API's wire contract. tests/ and scripts/ are outside every package.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { rapport: { rules: { 'import-zones': importZones } } },
    rules: { 'rapport/import-zones': ['error', importZoneOptions()] },
  },
  {
    // Unit tests beside the code may use the shared fakes in tests/, but not other packages.
    files: ['**/*.spec.ts', '**/*.spec.tsx', '**/__tests__/**/*.ts'],
    rules: { 'rapport/import-zones': ['error', importZoneOptions(['tests'])] },
  },
  {
    // The pure domain never does I/O.
    files: ['api/src/engagement/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:fs*', 'fs', 'node:http*', 'http', 'https', 'node:net', 'lowdb', 'express', '@microsoft/*', '../graph/*', '../store/*', '../http/*', '../enrichment/*', '../simulator/*'] }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'The domain takes the run clock as an argument.' }],
    },
  },
);
