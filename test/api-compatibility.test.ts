import apiCompatibilityChecks from 'opentracing/lib/test/api_compatibility';
import { TracerShim } from '../src/tracer-shim';
import { createTestSdk } from './helpers/sdk';

// The `opentracing` package's own conformance checks (chai, mocha-style describe/it), every
// check enabled: baggage and inject/extract included.
const { provider } = createTestSdk();

describe('with implicitParent (default)', () => {
  apiCompatibilityChecks(() => new TracerShim(provider), { skipBaggageChecks: false, skipInjectExtractChecks: false });
});

describe('with implicitParent false', () => {
  apiCompatibilityChecks(() => new TracerShim(provider, { implicitParent: false }), { skipBaggageChecks: false, skipInjectExtractChecks: false });
});
