import { spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { diag, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Span, TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import * as opentracing from 'opentracing';
import { createTracerShim } from '../../src';
import * as sdkEntryPoint from '../../src/sdk';
import { BaggageSpanProcessor, DisabledTracerProvider, TraceTreeExporter } from '../../src/sdk';
import { chosenExporters, createTracerConfig, createTracerProvider } from '../../src/sdk/create-tracer-provider';
import type { Environment } from '../../src/env';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { captureDiag } from '../helpers/diag';
import { KeepingExporter } from '../helpers/sdk';

/** KeepingExporter that also records the size of each batch it was handed. */
class BatchRecordingExporter extends KeepingExporter {
  readonly batches: number[] = [];

  override export(spans: ReadableSpan[], resultCallback: Parameters<KeepingExporter['export']>[1]): void {
    this.batches.push(spans.length);
    super.export(spans, resultCallback);
  }
}

/** Ends one span named `name` on `provider`, in a context carrying `baggage` if given. */
function endSpan(provider: TracerProvider, name: string, baggage?: Record<string, string>): Span {
  const entries = Object.fromEntries(Object.entries(baggage ?? {}).map(([key, value]) => [key, { value }]));
  const context = baggage === undefined ? ROOT_CONTEXT : propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(entries));
  const span = provider.getTracer('test').startSpan(name, {}, context);
  span.end();
  return span;
}

/** Exporters a test had chosen; shut down after it, as a provider would. */
const chosen: SpanExporter[] = [];
function choose(env: Environment, exporter?: SpanExporter): SpanExporter[] | undefined {
  const exporters = chosenExporters(exporter, env);
  chosen.push(...(exporters ?? []));
  return exporters;
}

const savedEnv = { ...process.env };

beforeEach(() => {
  // The resource detector reads process.env: no OTEL_* variable of the machine may leak in.
  for (const key of Object.keys(process.env)) if (key.startsWith('OTEL_')) delete process.env[key];
});

afterEach(async () => {
  await Promise.all(chosen.splice(0).map((exporter) => exporter.shutdown()));
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  jest.restoreAllMocks();
  diag.disable();
  propagation.disable();
});

describe('createTracerProvider', () => {
  describe('the provider', () => {
    it('should be an SDK BasicTracerProvider whose OpenTracing spans reach options.exporter by shutdown()', async () => {
      const exporter = new BatchRecordingExporter();
      const provider = createTracerProvider({ exporter, env: {} });
      const tracer = createTracerShim(provider);

      const parent = tracer.startSpan('parent', { tags: { 'span.kind': 'server' } });
      tracer.startSpan('child', { childOf: parent }).finish();
      parent.finish();
      await provider.shutdown();

      expect(provider).toBeInstanceOf(BasicTracerProvider);
      expect(
        exporter
          .getFinishedSpans()
          .map((span) => span.name)
          .sort(),
      ).toEqual(['child', 'parent']);
      expect(exporter.span('child').parentSpanContext?.spanId).toBe(exporter.span('parent').spanContext().spanId);
      expect(exporter.shutdowns).toBe(1);
    });

    it('should export finished spans on forceFlush() and keep working', async () => {
      const exporter = new BatchRecordingExporter();
      const provider = createTracerProvider({ exporter, env: {} });

      endSpan(provider, 'first');
      await provider.forceFlush();
      const afterFlush = exporter.getFinishedSpans().map((span) => span.name);
      endSpan(provider, 'second');
      await provider.shutdown();

      expect(afterFlush).toEqual(['first']);
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['first', 'second']);
    });

    it('should register no global tracer provider, and the OTEL_PROPAGATORS propagator when none is registered', () => {
      createTracerProvider({ exporter: new BatchRecordingExporter(), env: {} });

      expect(trace.getTracerProvider().getTracer('x').startSpan('global').isRecording()).toBe(false);
      expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    });

    it.each([createTracerProvider, createTracerConfig])('should keep a global propagator registered before (%p)', (create) => {
      const registered = new JaegerPropagator();
      propagation.setGlobalPropagator(registered);
      create({ exporter: new BatchRecordingExporter(), env: { OTEL_PROPAGATORS: 'b3' } });

      expect(propagation.fields()).toEqual(registered.fields());
    });

    it('should register what OTEL_PROPAGATORS names in options.env', () => {
      createTracerConfig({ exporter: new BatchRecordingExporter(), env: { OTEL_PROPAGATORS: 'jaeger' } });

      expect(propagation.fields()).toEqual(['uber-trace-id']);
    });
  });

  describe('exporter choice', () => {
    it.each<[string, Environment, Array<new (...args: never[]) => SpanExporter> | undefined]>([
      ['nothing configured: undefined, the tree exporter default', {}, undefined],
      ['blank OTEL_TRACES_EXPORTER: the default', { OTEL_TRACES_EXPORTER: ' ' }, undefined],
      ['OTEL_TRACES_EXPORTER=console', { OTEL_TRACES_EXPORTER: 'console' }, [ConsoleSpanExporter]],
      ['OTEL_TRACES_EXPORTER=none: no exporter', { OTEL_TRACES_EXPORTER: 'none' }, []],
      ['OTEL_TRACES_EXPORTER=otlp: OTLP http/protobuf', { OTEL_TRACES_EXPORTER: 'otlp' }, [OtlpHttpProtobufExporter]],
      ['OTEL_EXPORTER_OTLP_ENDPOINT alone: OTLP http/protobuf', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, [OtlpHttpProtobufExporter]],
      ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT alone: OTLP', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, [OtlpHttpProtobufExporter]],
      [
        'OTEL_EXPORTER_OTLP_PROTOCOL=http/json',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
        [OtlpHttpJsonExporter],
      ],
      ['OTEL_EXPORTER_OTLP_PROTOCOL=grpc', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, [OtlpGrpcExporter]],
      ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=GRPC (any case)', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'GRPC' }, [OtlpGrpcExporter]],
      [
        'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL over OTEL_EXPORTER_OTLP_PROTOCOL',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' },
        [OtlpHttpProtobufExporter],
      ],
      ['a list, in any case, repeats once', { OTEL_TRACES_EXPORTER: 'otlp, CONSOLE ,otlp' }, [OtlpHttpProtobufExporter, ConsoleSpanExporter]],
      [
        'OTEL_TRACES_EXPORTER=console with an endpoint: console only',
        { OTEL_TRACES_EXPORTER: 'console', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
        [ConsoleSpanExporter],
      ],
    ])('should give %s', (_name, env, expected) => {
      const exporters = choose(env);

      if (expected === undefined) {
        expect(exporters).toBeUndefined();
      } else {
        expect(exporters).toHaveLength(expected.length);
        expected.forEach((type, index) => expect(exporters?.[index]).toBeInstanceOf(type));
      }
    });

    it.each<[string, Environment, string, Array<new (...args: never[]) => SpanExporter> | undefined]>([
      ['an unknown exporter, then the default', { OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER=zipkin is not supported', undefined],
      [
        'an unknown exporter next to a known one',
        { OTEL_TRACES_EXPORTER: 'jaeger,console' },
        'OTEL_TRACES_EXPORTER=jaeger is not supported',
        [ConsoleSpanExporter],
      ],
      [
        'an unknown exporter with an endpoint, then OTLP',
        { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
        'zipkin',
        [OtlpHttpProtobufExporter],
      ],
      ['"none" next to other exporters, ignoring it', { OTEL_TRACES_EXPORTER: 'none,console' }, 'lists "none" with other exporters', [ConsoleSpanExporter]],
      [
        'an unknown protocol, using http/protobuf',
        { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml' },
        'http/protobuf is used',
        [OtlpHttpProtobufExporter],
      ],
      [
        'a protocol named like an Object property, using http/protobuf',
        { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'constructor' },
        'OTEL_EXPORTER_OTLP_PROTOCOL=constructor is not supported',
        [OtlpHttpProtobufExporter],
      ],
      [
        'an endpoint that is not a URL, still choosing OTLP',
        { OTEL_EXPORTER_OTLP_ENDPOINT: ' collector 4318 ' },
        'OTEL_EXPORTER_OTLP_ENDPOINT=collector 4318 is not a URL',
        [OtlpHttpProtobufExporter],
      ],
    ])('should warn through diag about %s', (_name, env, warning, expected) => {
      const diagnostics = captureDiag();

      const exporters = choose(env);

      expect(diagnostics.matching(warning)).toHaveLength(1);
      expect(diagnostics.messages).toHaveLength(1);
      if (expected === undefined) expect(exporters).toBeUndefined();
      else expect(exporters?.map((exporter) => exporter.constructor)).toEqual(expected);
    });

    it('should use options.exporter alone and read no variable', () => {
      const diagnostics = captureDiag();
      const exporter = new BatchRecordingExporter();

      expect(choose({ OTEL_TRACES_EXPORTER: 'zipkin,console', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, exporter)).toEqual([exporter]);
      expect(diagnostics.messages).toEqual([]);
    });

    it('should read process.env when options.env is not given', async () => {
      process.env.OTEL_TRACES_EXPORTER = 'none';
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

      const provider = createTracerProvider();
      endSpan(provider, 'dropped');
      await provider.shutdown();

      expect(createTracerConfig().spanProcessors).toEqual([]);
      expect(stdout).not.toHaveBeenCalled();
    });
  });

  describe('what each choice exports', () => {
    it('should draw each trace on stdout with its baggage when nothing is configured', async () => {
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const provider = createTracerProvider({ env: {} });

      const span = endSpan(provider, 'drawn', { tenant: 'acme' });
      await provider.shutdown();

      const printed = stdout.mock.calls.map(([text]) => String(text)).join('');
      expect(printed).toContain(`trace ${span.spanContext().traceId}\n└── drawn  INTERNAL`);
      expect(printed).toContain('baggage tenant="acme"');
    });

    it('should print each span with the SDK ConsoleSpanExporter for OTEL_TRACES_EXPORTER=console', async () => {
      const dir = jest.spyOn(console, 'dir').mockImplementation(() => undefined);
      const provider = createTracerProvider({ env: { OTEL_TRACES_EXPORTER: 'console' } });

      endSpan(provider, 'printed');
      await provider.shutdown();

      expect(dir).toHaveBeenCalledTimes(1);
      expect(dir.mock.calls[0][0]).toMatchObject({ name: 'printed' });
    });

    it('should export nothing, print nothing and shut down for OTEL_TRACES_EXPORTER=none', async () => {
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const dir = jest.spyOn(console, 'dir').mockImplementation(() => undefined);
      const provider = createTracerProvider({ env: { OTEL_TRACES_EXPORTER: 'none' } });

      endSpan(provider, 'dropped');

      await expect(provider.shutdown()).resolves.toBeUndefined();
      expect(stdout).not.toHaveBeenCalled();
      expect(dir).not.toHaveBeenCalled();
    });
  });

  describe('span processors (createTracerConfig)', () => {
    it('should give a BaggageSpanProcessor and a BatchSpanProcessor for the default tree exporter', () => {
      const { spanProcessors } = createTracerConfig({ env: {} });

      expect(spanProcessors?.map((processor) => processor.constructor.name)).toEqual(['BaggageSpanProcessor', 'BatchSpanProcessor']);
    });

    it("should draw baggage from the caller's BaggageSpanProcessor instead of adding a second one", async () => {
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const baggage = new BaggageSpanProcessor();

      const config = createTracerConfig({ spanProcessors: [baggage], env: {} });
      const provider = new BasicTracerProvider(config);
      endSpan(provider, 'drawn', { tenant: 'acme' });
      await provider.shutdown();

      expect(config.spanProcessors?.map((processor) => processor.constructor.name)).toEqual(['BaggageSpanProcessor', 'BatchSpanProcessor']);
      expect(config.spanProcessors?.[0]).toBe(baggage);
      expect(stdout.mock.calls.map(([text]) => String(text)).join('')).toContain('baggage tenant="acme"');
    });

    it('should run options.spanProcessors first, then one batch processor per exporter, without changing the array', async () => {
      const spanProcessors = [new SimpleSpanProcessor(new BatchRecordingExporter())];

      const config = createTracerConfig({ spanProcessors, env: { OTEL_TRACES_EXPORTER: 'console,otlp' } });
      await Promise.all(config.spanProcessors?.map((processor) => processor.shutdown()) ?? []);

      expect(config.spanProcessors?.map((processor) => processor.constructor.name)).toEqual([
        'SimpleSpanProcessor',
        'BatchSpanProcessor',
        'BatchSpanProcessor',
      ]);
      expect(config.spanProcessors?.[0]).toBe(spanProcessors[0]);
      expect(spanProcessors).toHaveLength(1);
    });

    it('should hand every span to options.spanProcessors as well as to the exporter', async () => {
      const extra = new BatchRecordingExporter();
      const exporter = new BatchRecordingExporter();

      const provider = createTracerProvider({ spanProcessors: [new SimpleSpanProcessor(extra)], exporter, env: {} });
      endSpan(provider, 'seen');
      await provider.shutdown();

      expect(extra.span('seen').spanContext()).toEqual(exporter.span('seen').spanContext());
    });

    it('should warn about spanProcessors that are not an array and go on without them', () => {
      const diagnostics = captureDiag();

      const config = createTracerConfig({ spanProcessors: 'none' as never, exporter: new BatchRecordingExporter(), env: {} });

      expect(config.spanProcessors?.map((processor) => processor.constructor.name)).toEqual(['BatchSpanProcessor']);
      expect(diagnostics.matching('spanProcessors must be an array')).toHaveLength(1);
    });

    it('should give the provider configuration to another SDK provider class', async () => {
      class OtherProvider extends BasicTracerProvider {}
      const exporter = new BatchRecordingExporter();

      const provider = new OtherProvider(createTracerConfig({ serviceName: 'other', exporter, env: {} }));
      endSpan(provider, 'op');
      await provider.shutdown();

      expect(exporter.span('op').resource.attributes['service.name']).toBe('other');
    });
  });

  describe('batch', () => {
    it('should configure each batch processor, and not change the object given', async () => {
      const exporter = new BatchRecordingExporter();
      const batch = Object.freeze({ maxExportBatchSize: 1 });

      const provider = createTracerProvider({ exporter, batch, env: {} });
      for (const name of ['a', 'b', 'c']) endSpan(provider, name);
      await provider.shutdown();

      expect(exporter.batches).toEqual([1, 1, 1]);
      expect(batch).toEqual({ maxExportBatchSize: 1 });
    });
  });

  describe('sampler', () => {
    it('should use options.sampler', async () => {
      const exporter = new BatchRecordingExporter();

      const provider = createTracerProvider({ exporter, sampler: new AlwaysOffSampler(), env: {} });
      endSpan(provider, 'unsampled');
      await provider.shutdown();

      expect(exporter.getFinishedSpans()).toEqual([]);
    });

    it('should read OTEL_TRACES_SAMPLER in process.env without options.sampler, on either SDK line', async () => {
      process.env.OTEL_TRACES_SAMPLER = 'always_off';
      const exporter = new BatchRecordingExporter();

      const provider = createTracerProvider({ exporter, env: {} });
      endSpan(provider, 'unsampled');
      await provider.shutdown();

      expect(createTracerConfig({ exporter, env: {} }).sampler?.toString()).toBe('AlwaysOffSampler');
      expect(exporter.getFinishedSpans()).toEqual([]);
    });
  });

  describe('resource', () => {
    async function resourceOf(options: Parameters<typeof createTracerProvider>[0] = {}): Promise<Record<string, unknown>> {
      const exporter = new BatchRecordingExporter();
      const provider = createTracerProvider({ ...options, exporter, env: {} });
      endSpan(provider, 'op');
      await provider.shutdown();
      return exporter.span('op').resource.attributes;
    }

    it("should be the SDK's default resource when nothing is configured", async () => {
      expect(await resourceOf()).toEqual(defaultResource().attributes);
      expect(defaultResource().attributes['service.name']).toMatch(/^unknown_service/);
    });

    it('should merge OTEL_RESOURCE_ATTRIBUTES, percent-decoded, with service.name from it', async () => {
      process.env.OTEL_RESOURCE_ATTRIBUTES = 'service.name=from-attributes,team=core%20platform';

      expect(await resourceOf()).toMatchObject({ 'service.name': 'from-attributes', team: 'core platform', 'telemetry.sdk.language': 'nodejs' });
    });

    it('should let OTEL_SERVICE_NAME win over the service.name of OTEL_RESOURCE_ATTRIBUTES', async () => {
      process.env.OTEL_RESOURCE_ATTRIBUTES = 'service.name=from-attributes,team=core';
      process.env.OTEL_SERVICE_NAME = 'from-service-name';

      expect(await resourceOf()).toMatchObject({ 'service.name': 'from-service-name', team: 'core' });
    });

    it('should discard a malformed OTEL_RESOURCE_ATTRIBUTES whole, as the SDK does', async () => {
      process.env.OTEL_RESOURCE_ATTRIBUTES = 'team=core,broken';

      expect(await resourceOf()).toEqual(defaultResource().attributes);
    });

    it('should let options.resourceAttributes win over the environment, converting values as tags', async () => {
      process.env.OTEL_RESOURCE_ATTRIBUTES = 'team=core,region=eu';
      process.env.OTEL_SERVICE_NAME = 'from-env';

      const attributes = await resourceOf({
        resourceAttributes: { team: 'payments', 'service.name': 'from-options', skipped: undefined, shape: { a: 1 } as never },
      });

      expect(attributes).toMatchObject({ 'service.name': 'from-options', team: 'payments', region: 'eu', shape: '{"a":1}' });
      expect(attributes).not.toHaveProperty('skipped');
    });

    it('should let options.serviceName win over everything', async () => {
      process.env.OTEL_SERVICE_NAME = 'from-env';

      expect((await resourceOf({ serviceName: 'checkout', resourceAttributes: { 'service.name': 'from-attributes' } }))['service.name']).toBe('checkout');
    });

    it('should ignore an empty serviceName, and one that is not a string with a diag warning', async () => {
      process.env.OTEL_SERVICE_NAME = 'from-env';
      const diagnostics = captureDiag();

      expect((await resourceOf({ serviceName: '' }))['service.name']).toBe('from-env');
      expect((await resourceOf({ serviceName: 42 as never }))['service.name']).toBe('from-env');
      expect(diagnostics.matching('serviceName must be a string')).toHaveLength(1);
    });
  });

  describe('OTEL_SDK_DISABLED=true', () => {
    const disabled = { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'console' };

    it('should give a no-op provider that makes no exporter and exports nothing, whatever is configured', async () => {
      const exporter = new BatchRecordingExporter();
      const stdout = jest.spyOn(process.stdout, 'write');
      const provider = createTracerProvider({ exporter, spanProcessors: [new SimpleSpanProcessor(exporter)], env: disabled });
      const tracer = createTracerShim(provider);

      const parent = tracer.startSpan('parent');
      tracer.startSpan('child', { childOf: parent }).finish();
      parent.finish();
      await provider.shutdown();

      expect(provider).toBeInstanceOf(DisabledTracerProvider);
      expect(exporter.getFinishedSpans()).toEqual([]);
      expect(exporter.shutdowns).toBe(0);
      expect(stdout).not.toHaveBeenCalled();
    });

    it('should still propagate: a span started from an extracted context carries it on unchanged', () => {
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
      try {
        const tracer = createTracerShim(createTracerProvider({ env: disabled }));
        const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
        const received = tracer.extract(opentracing.FORMAT_HTTP_HEADERS, { traceparent });
        const span = tracer.startSpan('handler', { childOf: received ?? undefined });
        const sent: Record<string, string> = {};
        tracer.inject(span.context(), opentracing.FORMAT_HTTP_HEADERS, sent);
        span.finish();

        expect(sent).toEqual({ traceparent });
      } finally {
        propagation.disable();
      }
    });

    it('should read the variable from process.env when options.env is not given', () => {
      process.env.OTEL_SDK_DISABLED = 'TRUE';

      expect(createTracerProvider()).toBeInstanceOf(DisabledTracerProvider);
    });

    it('should make createTracerConfig give no span processor and no exporter, keeping the sampler and resource', () => {
      const sampler = new AlwaysOffSampler();

      const config = createTracerConfig({ spanProcessors: [new BaggageSpanProcessor()], sampler, serviceName: 'checkout', env: disabled });

      expect(config.spanProcessors).toEqual([]);
      expect(config.sampler).toBe(sampler);
      expect(config.resource?.attributes['service.name']).toBe('checkout');
    });

    it('should warn once about a value that is neither true nor false, and leave the SDK enabled', () => {
      const logs = captureDiag();
      const provider = createTracerProvider({ exporter: new BatchRecordingExporter(), env: { OTEL_SDK_DISABLED: 'yes' } });
      logs.stop();

      expect(provider).not.toBeInstanceOf(DisabledTracerProvider);
      expect(logs.matching('OTEL_SDK_DISABLED: unknown value "yes"')).toHaveLength(1);
    });

    it('should leave the SDK enabled for OTEL_SDK_DISABLED=false', () => {
      expect(createTracerProvider({ exporter: new BatchRecordingExporter(), env: { OTEL_SDK_DISABLED: 'false' } })).not.toBeInstanceOf(DisabledTracerProvider);
    });
  });

  describe('when the OTLP exporter package cannot be loaded', () => {
    it('should report it through diag, export nothing over OTLP and not fall back to the tree exporter', async () => {
      const diagnostics = captureDiag();
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
      let provider: ReturnType<typeof createTracerProvider> | undefined;
      let config: ReturnType<typeof createTracerConfig> | undefined;
      jest.isolateModules(() => {
        jest.doMock('@opentelemetry/exporter-trace-otlp-proto', () => {
          throw Object.assign(new Error("Cannot find module '@opentelemetry/exporter-trace-otlp-proto'"), { code: 'MODULE_NOT_FOUND' });
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('../../src/sdk/create-tracer-provider') as typeof import('../../src/sdk/create-tracer-provider');
        provider = isolated.createTracerProvider({ env });
        config = isolated.createTracerConfig({ env });
      });
      jest.dontMock('@opentelemetry/exporter-trace-otlp-proto');
      endSpan(provider!, 'lost');

      await expect(provider!.shutdown()).resolves.toBeUndefined();
      expect(config?.spanProcessors).toEqual([]);
      expect(diagnostics.matching('npm install @opentelemetry/exporter-trace-otlp-proto')).toHaveLength(2);
      expect(diagnostics.messages[0]).toMatch(/^error .*Cannot find module/);
      expect(stdout).not.toHaveBeenCalled();
    });
  });

  describe('OTLP export (in a child process: the exporters load their transport with import())', () => {
    let server: RecordingServer;

    beforeAll(async () => {
      server = await new RecordingServer().start();
    });

    beforeEach(() => {
      server.requests.length = 0;
    });

    afterAll(async () => {
      await server.stop();
    });

    it('should POST protobuf to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces by default', async () => {
      const child = await runInChild(`await send('protobuf-span', { env: { OTEL_EXPORTER_OTLP_ENDPOINT: ${JSON.stringify(server.origin)} } });`);

      expect(child).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(server.requests.map(({ method, url, contentType }) => [method, url, contentType])).toEqual([['POST', '/v1/traces', 'application/x-protobuf']]);
      expect(server.requests[0].body.includes('protobuf-span')).toBe(true);
    });

    it('should POST JSON to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is for http/json', async () => {
      const child = await runInChild(
        `await send('json-span', { env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: ${JSON.stringify(`${server.origin}/not-this`)},
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ${JSON.stringify(`${server.origin}/custom/traces`)},
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        } });`,
      );

      expect(child).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(server.requests.map(({ url, contentType }) => [url, contentType])).toEqual([['/custom/traces', 'application/json']]);
      expect(otlpJsonSpanNames(server.requests[0].body)).toEqual(['json-span']);
    });

    it('should send http/protobuf to a path ending in /, appending v1/traces', async () => {
      const child = await runInChild(`await send('slash-ended', { env: { OTEL_EXPORTER_OTLP_ENDPOINT: ${JSON.stringify(`${server.origin}/base/`)} } });`);

      expect(child).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(server.requests.map(({ url, contentType }) => [url, contentType])).toEqual([['/base/v1/traces', 'application/x-protobuf']]);
    });

    it('should read the variables from process.env by default and export to each listed exporter', async () => {
      const child = await runInChild(`await send('from-process-env');`, {
        OTEL_TRACES_EXPORTER: 'otlp,console',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${server.origin}/from-env`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme',
        OTEL_SERVICE_NAME: 'env-service',
      });

      expect(child.code).toBe(0);
      expect(child.stdout).toContain("name: 'from-process-env'");
      expect(server.requests.map(({ url, contentType, tenant }) => [url, contentType, tenant])).toEqual([['/from-env', 'application/x-protobuf', 'acme']]);
      expect(server.requests[0].body.includes('env-service')).toBe(true);
    });
  });
});

describe('the sdk entry point (src/sdk/index.ts)', () => {
  it('should export createTracerProvider and createTracerConfig next to the exporter and processor', () => {
    expect(sdkEntryPoint.createTracerProvider).toBe(createTracerProvider);
    expect(sdkEntryPoint.createTracerConfig).toBe(createTracerConfig);
    expect(sdkEntryPoint.TraceTreeExporter).toBe(TraceTreeExporter);
    expect(sdkEntryPoint.BaggageSpanProcessor).toBe(BaggageSpanProcessor);
    expect(sdkEntryPoint.DisabledTracerProvider).toBe(DisabledTracerProvider);
  });
});

/** A real HTTP server on 127.0.0.1 that records each request and answers 200 with an empty export response. */
class RecordingServer {
  readonly requests: Array<{ method: string; url: string; contentType: string; tenant: string | undefined; body: Buffer }> = [];
  private readonly _server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        tenant: request.headers['x-tenant'] as string | undefined,
        body: Buffer.concat(chunks),
      });
      // An empty ExportTraceServiceResponse: `{}` in JSON, no bytes at all in protobuf.
      const json = request.headers['content-type'] === 'application/json';
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this._server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this._server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }
}

/**
 * Runs `body` in a Node process with the built package (dist/, made by `npm run build`) and
 * `env` as its only OTEL_* variables; `send(name, options)` there ends one OpenTracing span on a
 * `createTracerProvider(options)` provider and shuts it down. diag warnings go to stderr.
 * Resolves once the process ended, so every export it made has been answered.
 */
function runInChild(body: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dist = path.resolve(__dirname, '../../dist/cjs');
  const script = `
    const { diag, DiagConsoleLogger, DiagLogLevel } = require('@opentelemetry/api');
    diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
    const { createTracerShim } = require(${JSON.stringify(path.join(dist, 'index.js'))});
    const { createTracerProvider } = require(${JSON.stringify(path.join(dist, 'sdk/index.js'))});
    async function send(name, options) {
      const provider = createTracerProvider(options);
      createTracerShim(provider).startSpan(name).finish();
      await provider.shutdown();
    }
    (async () => { ${body} })().catch((error) => { console.error(error); process.exitCode = 1; });
  `;
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(savedEnv)) if (!key.startsWith('OTEL_')) childEnv[key] = value;
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Span names in an OTLP/JSON export request body. */
function otlpJsonSpanNames(body: Buffer): string[] {
  const request = JSON.parse(body.toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> };
  return request.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)));
}
