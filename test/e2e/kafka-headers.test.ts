import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import * as opentracing from 'opentracing';
import { LINK_REF_TYPE_ATTRIBUTE } from '../../src/constants';
import { JaegerPropagator } from '../../src/jaeger/jaeger-propagator';
import { TracerShim } from '../../src/tracer-shim';
import { createTestSdk } from '../helpers/sdk';
import type { TestSdk } from '../helpers/sdk';

/**
 * A message through a broker-like path with kafkajs-shaped headers, over a real TCP socket on
 * 127.0.0.1. The producer injects into a plain headers object, as OpenTracing code for kafkajs
 * does, and sends it the way kafkajs encodes a record: each header value as bytes
 * (`Buffer.from(value)`), a header whose value is an array as one record header per element. The
 * broker keeps the bytes; the consumer decodes records as kafkajs' consumer does: each value a
 * `Buffer`, a key that occurs more than once an array of `Buffer`s. The consumer extracts from
 * those headers and starts its spans; the assertions are on the spans the real SDK exported.
 */

/** A record header on the wire: its key and the bytes of its value (base64 in the JSON line). */
interface WireHeader {
  key: string;
  value: string;
}

type KafkaHeaders = Record<string, Buffer | Buffer[]>;

/** One broker topic, in memory: producers append records, consumers read them by offset. */
function startBroker(): Promise<Server> {
  const records: Array<{ value: string; headers: WireHeader[] }> = [];
  const server = createServer((socket) => {
    lines(socket, (request) => {
      if (request.produce !== undefined) {
        records.push(...(request.produce as typeof records));
        socket.write(`${JSON.stringify({ acknowledged: records.length })}\n`);
      } else {
        socket.write(`${JSON.stringify({ records: records.slice(request.fetch as number) })}\n`);
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Calls `onLine` with each JSON line read from `socket`. */
function lines(socket: Socket, onLine: (message: Record<string, unknown>) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      onLine(JSON.parse(buffered.slice(0, end)) as Record<string, unknown>);
      buffered = buffered.slice(end + 1);
    }
  });
}

/** Sends one request line to the broker and resolves with its one answer line. */
function call(port: number, request: object): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('error', reject);
    lines(socket, (answer) => {
      socket.end();
      resolve(answer);
    });
  });
}

/** kafkajs' producer encoding: string values become bytes; an array value, one header per element. */
function encodeHeaders(headers: Record<string, string | string[]>): WireHeader[] {
  return Object.entries(headers).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((element) => ({ key, value: Buffer.from(element).toString('base64') })),
  );
}

/** kafkajs' consumer decoding: each value a Buffer; a repeated key, an array of Buffers. */
function decodeHeaders(wire: WireHeader[]): KafkaHeaders {
  const headers: KafkaHeaders = {};
  for (const { key, value } of wire) {
    const bytes = Buffer.from(value, 'base64');
    const seen = headers[key];
    headers[key] = seen === undefined ? bytes : Array.isArray(seen) ? [...seen, bytes] : [seen, bytes];
  }
  return headers;
}

describe('kafkajs-shaped headers through a broker', () => {
  let broker: Server;
  let port: number;

  beforeAll(async () => {
    broker = await startBroker();
    port = (broker.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => broker.close(() => resolve())));

  const setups: Array<[string, () => TextMapPropagator]> = [
    ['W3C trace context and baggage', () => new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] })],
    ['Jaeger', () => new JaegerPropagator()],
  ];

  describe.each(setups)('%s', (_, makePropagator) => {
    let sdk: TestSdk;
    let tracer: TracerShim;

    beforeEach(() => {
      sdk = createTestSdk();
      const propagator = makePropagator();
      tracer = new TracerShim(sdk.provider, { textMapPropagator: propagator, httpHeadersPropagator: propagator });
    });

    it("should make the consumer span a child of the producer span, and a batch span link to every message's producer", async () => {
      const start = ((await call(port, { fetch: 0 })).records as unknown[]).length;
      const producers: opentracing.Span[] = [];
      const sent: Array<{ value: string; headers: WireHeader[] }> = [];
      for (let i = 0; i < 3; i++) {
        const span = tracer.startSpan(`send ${i}`);
        span.setBaggageItem('tenant', `acme-${i}`);
        const headers: Record<string, string | string[]> = { 'x-app': ['first', 'second'] };
        tracer.inject(span, opentracing.FORMAT_TEXT_MAP, headers);
        sent.push({ value: `message ${i}`, headers: encodeHeaders(headers) });
        span.finish();
        producers.push(span);
      }
      await call(port, { produce: sent });

      const fetched = (await call(port, { fetch: start })).records as Array<{ value: string; headers: WireHeader[] }>;
      expect(fetched).toHaveLength(3);
      const contexts = fetched.map((record) => {
        const headers = decodeHeaders(record.headers);
        expect(Buffer.isBuffer(Object.values(headers).find((value) => !Array.isArray(value)))).toBe(true);
        expect(headers['x-app']).toEqual([Buffer.from('first'), Buffer.from('second')]);
        return tracer.extract(opentracing.FORMAT_TEXT_MAP, headers) as opentracing.SpanContext;
      });
      contexts.forEach((received, i) => {
        const consume = tracer.startSpan(`process ${i}`, { childOf: received });
        expect(consume.getBaggageItem('tenant')).toBe(`acme-${i}`);
        consume.finish();
      });
      tracer.startSpan('process batch', { references: contexts.map((received) => opentracing.followsFrom(received)) }).finish();

      producers.forEach((producer, i) => {
        const consumed = sdk.span(`process ${i}`);
        expect(consumed.spanContext().traceId).toBe(producer.context().toTraceId());
        expect(consumed.parentSpanContext?.spanId).toBe(producer.context().toSpanId());
        expect(consumed.parentSpanContext?.isRemote).toBe(true);
      });
      const batch = sdk.span('process batch');
      expect(batch.links.map((link) => [link.context.spanId, link.attributes?.[LINK_REF_TYPE_ATTRIBUTE]])).toEqual(
        producers.map((producer) => [producer.context().toSpanId(), opentracing.REFERENCE_FOLLOWS_FROM]),
      );
    });
  });
});
