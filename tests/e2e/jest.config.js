/** End-to-end tests: the built app in demo mode, driven by headless Chromium (playwright-core). */
const base = require('../../jest.config.js').projects[0];

module.exports = {
  rootDir: '../..',
  displayName: 'e2e',
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  testTimeout: 120000,
  maxWorkers: 1,
};
