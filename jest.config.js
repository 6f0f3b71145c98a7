/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/compat/* runs the core tests against other SDK lines, with its own config and packages.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/compat/'],
  modulePathIgnorePatterns: ['<rootDir>/test/compat/.*/node_modules'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  maxWorkers: 2,
  testTimeout: 30000,
};
