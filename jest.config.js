/** Jest runs TypeScript through ts-jest (transpile only; `npm run typecheck` checks types).
 * lowdb, steno and d3 ship ESM only, so they are transformed too instead of ignored. */
const esmPackages = ['lowdb', 'steno', 'd3-[a-z-]+', 'internmap', 'delaunator', 'robust-predicates', 'jose'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmPackages.join('|')})/)`];
const tsJest = (tsconfig) => ['ts-jest', { tsconfig, diagnostics: false }];

module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/api', '<rootDir>/bot', '<rootDir>/tests'],
      testMatch: ['**/*.spec.ts', '**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/tests/e2e/'],
      transform: { '^.+\\.[tj]sx?$': tsJest({ module: 'commonjs', moduleResolution: 'node10', allowJs: true, esModuleInterop: true, isolatedModules: true }) },
      transformIgnorePatterns,
    },
    {
      displayName: 'tabs',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/tabs'],
      testMatch: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.test.tsx'],
      // jest-dom matchers, jsdom gaps (matchMedia, ResizeObserver) and the fake-API guard.
      setupFilesAfterEnv: ['<rootDir>/tabs/src/testing/setup-tests.ts'],
      // These d3 packages (pulled in by @fluentui/react-charts) resolve to .mjs files that the
      // transform above does not match; their UMD builds load under CommonJS as they are.
      moduleNameMapper: {
        '^(d3-(?:array|axis|color|format|hierarchy|interpolate|path|scale|selection|shape|time))$': '<rootDir>/node_modules/$1/dist/$1.js',
      },
      transform: { '^.+\\.[tj]sx?$': tsJest({ module: 'commonjs', moduleResolution: 'node10', jsx: 'react-jsx', allowJs: true, esModuleInterop: true, isolatedModules: true }) },
      transformIgnorePatterns,
    },
  ],
};
