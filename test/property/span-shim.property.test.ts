import fc from 'fast-check';
import { SpanStatusCode } from '@opentelemetry/api';
import type { AttributeValue } from '@opentelemetry/api';
import * as opentracing from 'opentracing';
import { SpanContextShim } from '../../src/span-context-shim';
import { SpanShim } from '../../src/span-shim';
import { anyValue, contextSpec, hex, spanProgram, throwingProxy } from './arbitraries';
import type { SpanOp } from './arbitraries';
import { TRACER_KINDS, World, isInstance, mustNotThrow } from './world';

// Properties of SpanShim (and JaegerSpan) and of the span contexts it hands out: any sequence of
// calls with any arguments never throws, and what reaches OpenTelemetry is exactly what the
// calls before finish() said (a model of tags, name, events, status and baggage).
const SEED = 0x5eed_0100;
const RUNS = 300;

/** What the exported span must look like after a program, as far as the arguments allow to say. */
interface SpanModel {
  /** Attribute key -> the exact value, or 'string' when only "some converted string" can be said. */
  readonly attributes: Map<string, AttributeValue | typeof CONVERTED>;
  /** Keys the model does not follow (their rules depend on when the span was first used). */
  readonly ignored: Set<string>;
  name: string | undefined;
  nameKnown: boolean;
  readonly events: Array<string | undefined>;
  status: SpanStatusCode;
  /** Baggage key (as the span stores it) -> value, or CONVERTED for a converted non-string. */
  readonly baggage: Map<string, string | typeof CONVERTED>;
  finished: boolean;
}

const CONVERTED = Symbol('a string converted from another value');

function newModel(name: string): SpanModel {
  return {
    attributes: new Map(),
    ignored: new Set(['span.kind', 'error', '', '__proto__']),
    name,
    nameKnown: true,
    events: [],
    status: SpanStatusCode.UNSET,
    baggage: new Map(),
    finished: false,
  };
}

/** The attribute a tag value becomes, per docs/mapping.md: primitives and homogeneous arrays as they are, the rest a string. */
function expectedAttribute(value: unknown): AttributeValue | typeof CONVERTED {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && !isProxyLike(value)) {
    const types = new Set(value.filter((element) => element !== null && element !== undefined).map((element) => typeof element));
    const finite = value.every((element) => typeof element !== 'number' || Number.isFinite(element));
    if (types.size <= 1 && finite && [...types].every((type) => type === 'string' || type === 'number' || type === 'boolean'))
      return [...value] as AttributeValue;
  }
  return CONVERTED;
}

/** Our own Proxies are arrays to `Array.isArray` but cannot be read. */
function isProxyLike(value: unknown[]): boolean {
  try {
    void value.length;
    return false;
  } catch {
    return true;
  }
}

/** One tag as the shim must treat it (docs/mapping.md): null/undefined skipped, `error` -> status. */
function modelTag(model: SpanModel, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (key === 'error') {
    if (value === true || value === 'true') model.status = SpanStatusCode.ERROR;
    else if (value === false || value === 'false') model.status = SpanStatusCode.OK;
  }
  if (model.ignored.has(key)) return;
  model.attributes.set(key, expectedAttribute(value));
}

/** The own enumerable string keys of `tags` with readable values, as the shim reads them. */
function readableEntries(tags: unknown): Array<[string, unknown]> {
  if (typeof tags !== 'object' || tags === null) return [];
  let keys: string[];
  try {
    keys = Object.keys(tags);
  } catch {
    return [];
  }
  const entries: Array<[string, unknown]> = [];
  for (const key of keys) {
    try {
      entries.push([key, (tags as Record<string, unknown>)[key]]);
    } catch {
      // The shim skips a field whose getter throws.
    }
  }
  return entries;
}

/** The name of the event a `log(fields)` call gives, or undefined when it is a converted non-string. */
function eventName(fields: unknown): string | undefined {
  if (typeof fields !== 'object' || fields === null) return 'log';
  const event = readableEntries(fields).find(([key]) => key === 'event')?.[1];
  if (event === undefined || event === null) return 'log';
  if (typeof event !== 'string') return undefined;
  return event === 'error' ? 'exception' : event;
}

/** Runs one op on `span`, checks what it returns, and updates the model. */
function run(world: World, span: opentracing.Span, op: SpanOp, model: SpanModel): void {
  const track = !model.finished;
  switch (op.op) {
    case 'setTag': {
      const result = mustNotThrow('setTag', () => span.setTag(op.key as string, op.value));
      if (result !== span) throw new Error('setTag did not return the span');
      if (track) {
        // The shim names the tag as String(key) does; a key String() cannot convert gets a
        // described name, which the model does not predict.
        let key: string | undefined;
        try {
          key = String(op.key);
        } catch {
          key = undefined;
        }
        if (key !== undefined) modelTag(model, key, op.value);
      }
      return;
    }
    case 'addTags': {
      const result = mustNotThrow('addTags', () => span.addTags(op.tags as Record<string, unknown>));
      if (result !== span) throw new Error('addTags did not return the span');
      if (track) for (const [key, value] of readableEntries(op.tags)) modelTag(model, key, value);
      return;
    }
    case 'log': {
      const result = mustNotThrow('log', () =>
        'timestamp' in op ? span.log(op.fields as Record<string, unknown>, op.timestamp as number) : span.log(op.fields as Record<string, unknown>),
      );
      if (result !== span) throw new Error('log did not return the span');
      if (track) model.events.push(eventName(op.fields));
      return;
    }
    case 'logEvent':
      mustNotThrow('logEvent', () => span.logEvent(op.name as string, op.payload));
      if (track)
        model.events.push(
          typeof op.name === 'string' ? (op.name === 'error' ? 'exception' : op.name) : op.name === undefined || op.name === null ? 'log' : undefined,
        );
      return;
    case 'setOperationName': {
      const result = mustNotThrow('setOperationName', () => span.setOperationName(op.name as string));
      if (result !== span) throw new Error('setOperationName did not return the span');
      if (track) {
        model.nameKnown = typeof op.name === 'string';
        model.name = typeof op.name === 'string' ? op.name : undefined;
      }
      return;
    }
    case 'setBaggageItem': {
      const result = mustNotThrow('setBaggageItem', () => span.setBaggageItem(op.key as string, op.value as string));
      if (result !== span) throw new Error('setBaggageItem did not return the span');
      if (track && typeof op.key === 'string' && world.baggageKey(op.key) !== '' && op.value !== undefined && op.value !== null) {
        model.baggage.set(world.baggageKey(op.key), typeof op.value === 'string' ? world.baggageValue(op.value) : CONVERTED);
      }
      return;
    }
    case 'getBaggageItem': {
      const value = mustNotThrow('getBaggageItem', () => span.getBaggageItem(op.key as string));
      if (value !== undefined && typeof value !== 'string') throw new Error(`getBaggageItem returned ${typeof value}`);
      if (typeof op.key === 'string') checkBaggage(model, world.baggageKey(op.key), value);
      return;
    }
    case 'context': {
      const context = mustNotThrow('context', () => span.context());
      if (!(context instanceof SpanContextShim)) throw new Error('context() is not a SpanContextShim');
      return;
    }
    case 'tracer':
      if (mustNotThrow('tracer', () => span.tracer()) !== world.tracer) throw new Error('tracer() is not the tracer');
      return;
    case 'getSpan': {
      const otelSpan = mustNotThrow('getSpan', () => (span as SpanShim).getSpan());
      if (typeof otelSpan?.spanContext !== 'function') throw new Error('getSpan() is not an OpenTelemetry span');
      return;
    }
    case 'ids': {
      const traceId = mustNotThrow('toTraceId', () => span.context().toTraceId());
      const spanId = mustNotThrow('toSpanId', () => span.context().toSpanId());
      if (!/^[0-9a-f]{32}$/.test(traceId) || !/^[0-9a-f]{16}$/.test(spanId)) throw new Error(`ids ${traceId}:${spanId}`);
      return;
    }
    case 'child': {
      const options = world.options(op.options);
      let withParent: unknown;
      try {
        withParent =
          typeof options === 'object' && options !== null && !Array.isArray(options) && !Object.isFrozen(options)
            ? { ...(options as object), childOf: span }
            : { childOf: span };
      } catch {
        // Options the test cannot even inspect (a Proxy that throws) go to the shim as they are.
        withParent = options;
      }
      world.finish(world.startSpan('child', withParent));
      return;
    }
    case 'inject':
      mustNotThrow('inject', () => world.tracer.inject(span, op.format as string, op.carrier));
      return;
    case 'finish':
      if ('time' in op) world.finish(span, op.time);
      else world.finish(span);
      model.finished = true;
      return;
  }
}

function checkBaggage(model: SpanModel, key: string, value: string | undefined): void {
  if (!model.baggage.has(key)) return;
  const expected = model.baggage.get(key);
  if (expected === CONVERTED ? typeof value !== 'string' : value !== expected) {
    throw new Error(
      `baggage ${JSON.stringify(key)} is ${JSON.stringify(value)}, expected ${expected === CONVERTED ? 'a converted string' : JSON.stringify(expected)}`,
    );
  }
}

function sameValue(actual: unknown, expected: AttributeValue | typeof CONVERTED): boolean {
  if (expected === CONVERTED) return typeof actual === 'string';
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((element, i) => Object.is(element ?? null, actual[i] ?? null));
  return Object.is(actual, expected);
}

describe.each(TRACER_KINDS)('%s', (kind) => {
  let world: World;

  beforeAll(() => {
    world = new World(kind);
  });

  afterAll(() => {
    world.diag.stop();
  });

  it('any sequence of calls never throws, and the span is exported once with exactly the tags, name, events, status and baggage of the calls before finish', () => {
    fc.assert(
      fc.property(spanProgram, ({ ops, leaveOpen }) => {
        world.reset();
        const span = world.startSpan('program');
        const model = newModel('program');
        for (const op of ops) run(world, span, op, model);
        if (!leaveOpen && !model.finished) {
          world.finish(span);
          model.finished = true;
        }
        for (const key of model.baggage.keys())
          checkBaggage(
            model,
            key,
            mustNotThrow('context().getBaggageItem', () => (span.context() as SpanContextShim).getBaggageItem(key)),
          );
        world.verify();
        if (!model.finished) return;
        const exported = world.sdk.spans().find((candidate) => candidate.spanContext().spanId === span.context().toSpanId());
        if (exported === undefined) throw new Error('the finished span was not exported');
        for (const [key, expected] of model.attributes) {
          if (!sameValue(exported.attributes[key], expected)) {
            throw new Error(
              `attribute ${JSON.stringify(key)} is ${JSON.stringify(exported.attributes[key])}, expected ${expected === CONVERTED ? 'a converted string' : JSON.stringify(expected)}`,
            );
          }
        }
        if (model.nameKnown && exported.name !== model.name) throw new Error(`name ${JSON.stringify(exported.name)}, expected ${JSON.stringify(model.name)}`);
        if (exported.events.length !== model.events.length) throw new Error(`${exported.events.length} events, expected ${model.events.length}`);
        model.events.forEach((name, i) => {
          if (name !== undefined && exported.events[i].name !== name)
            throw new Error(`event ${i} is ${JSON.stringify(exported.events[i].name)}, expected ${JSON.stringify(name)}`);
        });
        if (exported.status.code !== model.status) throw new Error(`status ${exported.status.code}, expected ${model.status}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('span contexts answer toTraceId, toSpanId, getBaggage and getBaggageItem for any key, before and after the span is used or finished', () => {
    fc.assert(
      fc.property(contextSpec, anyValue, fc.constantFrom('fresh', 'used', 'finished'), (spec, key, state) => {
        world.reset();
        const span = world.startSpan('context owner');
        span.setBaggageItem('owner', 'value');
        if (state === 'used') span.context().toSpanId();
        if (state === 'finished') world.finish(span);
        const contexts: unknown[] = [span.context(), world.context(spec)];
        for (const candidate of contexts) {
          if (!isInstance(candidate, SpanContextShim)) continue;
          const traceId = mustNotThrow('toTraceId', () => candidate.toTraceId());
          const spanId = mustNotThrow('toSpanId', () => candidate.toSpanId());
          if (!/^[0-9a-f]{32}$/.test(traceId) || !/^[0-9a-f]{16}$/.test(spanId)) throw new Error(`ids ${traceId}:${spanId}`);
          const item = mustNotThrow('getBaggageItem', () => candidate.getBaggageItem(key as string));
          if (item !== undefined && typeof item !== 'string') throw new Error(`getBaggageItem returned ${typeof item}`);
          mustNotThrow('getBaggage', () => candidate.getBaggage().getAllEntries());
        }
        if ((span.context() as SpanContextShim).getBaggageItem('owner') !== 'value') throw new Error('the span context lost its baggage');
        world.verify();
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('a context shim handed out earlier keeps its baggage when the span sets more (immutability)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), hex(4)), { minLength: 1, maxLength: 6 }), (items) => {
        world.reset();
        const span = world.startSpan('immutable');
        const snapshots: Array<[SpanContextShim, Map<string, string>]> = [];
        const current = new Map<string, string>();
        for (const [key, value] of items) {
          snapshots.push([span.context() as SpanContextShim, new Map(current)]);
          span.setBaggageItem(key, value);
          current.set(key, value);
        }
        for (const [context, expected] of snapshots) {
          const actual = new Map(
            context
              .getBaggage()
              .getAllEntries()
              .map(([key, entry]) => [key, entry.value]),
          );
          if (actual.size !== expected.size || [...expected].some(([key, value]) => actual.get(key) !== value))
            throw new Error('an earlier context shim changed');
        }
        world.finish(span);
        world.verify();
      }),
      { seed: SEED + 2, numRuns: 100 },
    );
  });

  // Minimal repros of what the properties above found.
  describe('found by the properties', () => {
    beforeEach(() => world.reset());

    const functionWithThrowingName = Object.defineProperty(() => undefined, 'name', {
      get() {
        throw new Error('name getter');
      },
    });
    const errorWithThrowingMessage = Object.defineProperty(new Error('hidden'), 'message', {
      get() {
        throw new Error('message getter');
      },
    });

    it('setTag does not throw when the value is a function whose name getter throws', () => {
      expect(() => world.tracer.startSpan('checkout').setTag('callback', functionWithThrowingName)).not.toThrow();
    });

    it('keeps a span started with a tag whose value is a function whose name getter throws', () => {
      world.tracer.startSpan('checkout', { tags: { callback: functionWithThrowingName } }).finish();
      expect(world.sdk.spans().map((span) => span.name)).toEqual(['checkout']);
    });

    it('setTag does not throw when the key cannot be converted to a string', () => {
      expect(() => world.tracer.startSpan('checkout').setTag(throwingProxy() as string, 1)).not.toThrow();
    });

    it('log does not throw when the timestamp is a Proxy that throws on every trap', () => {
      expect(() => world.tracer.startSpan('checkout').log({ event: 'retry' }, throwingProxy())).not.toThrow();
    });

    it('finish does not throw, and the span is exported, when the finish time is a Proxy that throws on every trap', () => {
      const span = world.tracer.startSpan('checkout');
      expect(() => span.finish(throwingProxy())).not.toThrow();
      expect(world.sdk.spans().map((exported) => exported.name)).toEqual(['checkout']);
    });

    it('logEvent does not throw when the payload is a Proxy that throws on every trap', () => {
      expect(() => world.tracer.startSpan('checkout').logEvent('retry', throwingProxy())).not.toThrow();
    });

    it('log does not throw when error.object is a Proxy that throws on every trap', () => {
      expect(() => world.tracer.startSpan('checkout').log({ event: 'error', 'error.object': throwingProxy() })).not.toThrow();
    });

    it('log does not throw when error.object is an Error whose message getter throws', () => {
      expect(() => world.tracer.startSpan('checkout').log({ event: 'error', 'error.object': errorWithThrowingMessage })).not.toThrow();
    });
  });
});
