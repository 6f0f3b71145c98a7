'use strict';
/**
 * Preloaded (`NODE_OPTIONS=--require`) into the SDK 3.x run's jest process and every child process
 * the tests start (services, fixtures, the demo): a `require` of an `@opentelemetry/*` package
 * resolves to the 3.x copy of modules.js, wherever the requiring file lives. jest's own module
 * registry gets the same mapping from jest.config.js; plain Node processes need this hook, since
 * they would otherwise find the repository's 2.x packages first.
 */
const Module = require('node:module');
const { here, redirects } = require('./modules');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  const match = /^(@opentelemetry\/[^/]+)(\/.*)?$/.exec(request);
  const target = match && redirects[match[1]];
  if (target === undefined || target === null) return resolve.call(this, request, parent, isMain, options);
  if (target.endsWith('.js') && match[2] === undefined) return target;
  // From this folder, so that each package's "exports" (subpaths included) apply.
  return resolve.call(this, request, parent, isMain, { ...options, paths: [here] });
};
