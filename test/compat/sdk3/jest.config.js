'use strict';
/**
 * Runs the core behaviour tests (test/*.test.ts: tracer, span, span context, references,
 * attributes, events, time, carriers, binary format, context interop) against the OpenTelemetry
 * JS SDK 3.x line: every `@opentelemetry/api`, `core`, `context-async-hooks` and
 * `sdk-trace-base` import, the shim's own included, resolves to this folder's packages
 * (api 1.10, sdk-trace 3.x). `npm test` runs it after the main suite (scripts/test-compat.mjs).
 */
const path = require('node:path');

const here = __dirname;
const fromHere = (name) => require.resolve(name, { paths: [here] });

module.exports = {
  rootDir: path.resolve(here, '../../..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Only the core: ./jaeger and ./sdk are built on the 2.x SDK packages (optional peers).
  testMatch: ['<rootDir>/test/*.test.ts', '<rootDir>/test/compat/sdk3/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/test/compat/.*/node_modules', '<rootDir>/dist'],
  moduleNameMapper: {
    '^@opentelemetry/api$': fromHere('@opentelemetry/api'),
    '^@opentelemetry/core$': fromHere('@opentelemetry/core'),
    '^@opentelemetry/context-async-hooks$': fromHere('@opentelemetry/context-async-hooks'),
    '^@opentelemetry/sdk-trace-base$': path.join(here, 'sdk-trace-base.js'),
  },
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  maxWorkers: 2,
  testTimeout: 30000,
};
