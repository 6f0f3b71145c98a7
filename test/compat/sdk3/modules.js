'use strict';
/**
 * Where each `@opentelemetry/*` package comes from in the SDK 3.x run: the 3.x packages this
 * folder installs (package.json), and, for the 2.x names the tests and fixtures still import,
 * the adapters beside this file (`sdk-trace-base.js`, `sdk-trace-node.js`). Used by jest.config.js
 * for the modules jest loads, and by redirect.cjs for the child processes the tests start.
 */
const { readdirSync } = require('node:fs');
const path = require('node:path');

const here = __dirname;
const installed = readdirSync(path.join(here, 'node_modules/@opentelemetry'));

/** Package name -> the file or folder it resolves to in the 3.x run. */
const redirects = {
  '@opentelemetry/sdk-trace-base': path.join(here, 'sdk-trace-base.js'),
  '@opentelemetry/sdk-trace-node': path.join(here, 'sdk-trace-node.js'),
};
for (const name of installed) redirects[`@opentelemetry/${name}`] = path.join(here, 'node_modules/@opentelemetry', name);

module.exports = { here, redirects };
