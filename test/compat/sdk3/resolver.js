'use strict';
/**
 * jest resolver of the SDK 3.x run: `@opentelemetry/*` requests (subpaths included, through each
 * package's "exports") resolve from this folder's packages, or to the adapters, as modules.js
 * says; everything else as jest resolves it.
 */
const { here, redirects } = require('./modules');

module.exports = (request, options) => {
  const match = /^(@opentelemetry\/[^/]+)(\/.*)?$/.exec(request);
  const target = match && redirects[match[1]];
  if (target === undefined || target === null) return options.defaultResolver(request, options);
  if (target.endsWith('.js') && match[2] === undefined) return target;
  return options.defaultResolver(request, { ...options, basedir: here });
};
