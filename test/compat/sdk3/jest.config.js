'use strict';
/**
 * The whole test suite on the OpenTelemetry JS SDK 3.x line (api 1.10, @opentelemetry/sdk-trace
 * 3.x) under Node 22: `npm test` runs it after the main suite (scripts/test-compat.mjs), with the
 * Node binary this folder installs. Every `@opentelemetry/*` import, the shim's own included,
 * resolves to this folder's packages (modules.js, resolver.js); the tests' 2.x names (`sdk-trace-base`,
 * `sdk-trace-node`) to adapters over the 3.x classes.
 */
const path = require('node:path');
const { here } = require('./modules');

module.exports = {
  rootDir: path.resolve(here, '../../..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  modulePathIgnorePatterns: ['<rootDir>/test/compat/.*/node_modules', '<rootDir>/dist'],
  resolver: path.join(here, 'resolver.js'),
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  maxWorkers: 2,
  testTimeout: 30000,
};
