import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { DiagLogLevel, ROOT_CONTEXT, diag } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { JaegerRemoteSampler } from '../../src/jaeger/remote-sampler';
import type { JaegerRemoteSamplerOptions } from '../../src/jaeger/remote-sampler';
import { closedPort } from '../helpers/net';

/** A trace id TraceIdRatioBasedSampler samples at any rate from 0.000001 up, and not at rate 0. */
const TRACE_ID = '00000000000000000000000000000abc';

/** One request the strategy server received, with the means to answer it. */
interface Hit {
  readonly url: string;
  readonly service: string | null;
  readonly request: http.IncomingMessage;
  readonly response: http.ServerResponse;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for jaeger-agent's sampling endpoint. It answers
 * `strategy` as JSON unless `handler` is replaced, and lets a test wait for the n-th request.
 */
class StrategyServer {
  readonly hits: Hit[] = [];
  strategy: unknown = { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 1 } };
  handler: (hit: Hit) => void = (hit) => answer(hit, 200, JSON.stringify(this.strategy));
  private readonly _server = http.createServer((request, response) => this._onRequest(request, response));
  private _waiters: Array<{ count: number; service: string | undefined; resolve: (hit: Hit) => void }> = [];

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this._server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this._server.address() as AddressInfo).port;
  }

  get hostPort(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Hits so far, only those for `service` if given. */
  hitsFor(service?: string): Hit[] {
    return this.hits.filter((hit) => service === undefined || hit.service === service);
  }

  /** Resolves with the `count`-th hit (for `service` if given), at once if it already happened. */
  waitForHit(count: number, service?: string): Promise<Hit> {
    const done = this.hitsFor(service);
    if (done.length >= count) return Promise.resolve(done[count - 1]);
    return new Promise((resolve) => this._waiters.push({ count, service, resolve }));
  }

  async stop(): Promise<void> {
    this._server.closeAllConnections();
    await new Promise<void>((resolve) => this._server.close(() => resolve()));
  }

  private _onRequest(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = request.url ?? '';
    const hit: Hit = { url, service: new URL(url, 'http://x').searchParams.get('service'), request, response };
    this.hits.push(hit);
    this.handler(hit);
    this._waiters = this._waiters.filter((waiter) => {
      const hits = this.hitsFor(waiter.service);
      if (hits.length < waiter.count) return true;
      waiter.resolve(hits[waiter.count - 1]);
      return false;
    });
  }
}

function answer(hit: Hit, status: number, body: string): void {
  hit.response.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

/** Collects `diag` warnings and lets a test wait for one that contains some text. */
class Warnings {
  readonly messages: string[] = [];
  private _waiters: Array<{ text: string; count: number; resolve: (message: string) => void }> = [];

  constructor() {
    // The shim's component logger passes its namespace first, then the message.
    const add = (...args: unknown[]): void => this._add(args.map(String).join(' '));
    diag.disable();
    diag.setLogger(
      {
        error: add,
        warn: add,
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
  }

  /** Resolves with the `count`-th warning that contains `text`, at once if it was already logged. */
  waitFor(text: string, count = 1): Promise<string> {
    const found = this._matching(text);
    if (found.length >= count) return Promise.resolve(found[count - 1]);
    return new Promise((resolve) => this._waiters.push({ text, count, resolve }));
  }

  private _matching(text: string): string[] {
    return this.messages.filter((message) => message.includes(text));
  }

  private _add(message: string): void {
    this.messages.push(message);
    this._waiters = this._waiters.filter((waiter) => {
      const found = this._matching(waiter.text);
      if (found.length < waiter.count) return true;
      waiter.resolve(found[waiter.count - 1]);
      return false;
    });
  }
}

function decide(sampler: JaegerRemoteSampler, spanName = 'op', traceId = TRACE_ID): { sampled: boolean; attributes: unknown } {
  const result = sampler.shouldSample(ROOT_CONTEXT, traceId, spanName);
  return { sampled: result.decision === SamplingDecision.RECORD_AND_SAMPLED, attributes: result.attributes };
}

describe('JaegerRemoteSampler', () => {
  let server: StrategyServer;
  let warnings: Warnings;
  const samplers: JaegerRemoteSampler[] = [];
  const children: ChildProcess[] = [];

  /** A sampler polling the test server; closed after the test. */
  function remote(options: Partial<JaegerRemoteSamplerOptions> = {}): JaegerRemoteSampler {
    const sampler = new JaegerRemoteSampler({ serviceName: 'checkout', hostPort: server.hostPort, refreshIntervalMs: 5, ...options });
    samplers.push(sampler);
    return sampler;
  }

  /**
   * Waits until the poll that fetched `hit` has been applied: polls never overlap and the next one
   * starts only after the previous answer was handled, so the next request proves it.
   */
  async function applied(count: number, service = 'checkout'): Promise<void> {
    await server.waitForHit(count + 1, service);
  }

  beforeEach(async () => {
    server = await new StrategyServer().start();
    warnings = new Warnings();
  });

  afterEach(async () => {
    await Promise.all(samplers.splice(0).map((sampler) => sampler.close()));
    // A child that failed its test by staying alive must not outlive the test run.
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
    await server.stop();
    diag.disable();
    jest.restoreAllMocks();
  });

  describe('before the first answer', () => {
    it('should sample with probability 0.001 by default, tagged as jaeger-client tags it', () => {
      const sampler = remote({ refreshIntervalMs: 0 });
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.001 });
      expect(decide(sampler)).toEqual({ sampled: true, attributes: { 'sampler.type': 'probabilistic', 'sampler.param': 0.001 } });
    });

    it('should use initialSamplingRate', () => {
      const sampler = remote({ refreshIntervalMs: 0, initialSamplingRate: 0 });
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0 });
      expect(decide(sampler)).toEqual({ sampled: false, attributes: undefined });
    });

    it('should never poll when refreshIntervalMs is 0, as jaeger-client', async () => {
      remote({ refreshIntervalMs: 0, serviceName: 'silent' });
      remote({ serviceName: 'clock' });
      await server.waitForHit(3, 'clock');
      expect(server.hitsFor('silent')).toHaveLength(0);
    });
  });

  describe('polling', () => {
    it('should poll right after construction, with the default path and the service name URL-encoded', async () => {
      remote({ serviceName: 'checkout service/ü&x', refreshIntervalMs: 60_000 });
      const hit = await server.waitForHit(1);
      expect(hit.url).toBe('/sampling?service=checkout%20service%2F%C3%BC%26x');
      expect(hit.service).toBe('checkout service/ü&x');
      expect(hit.request.method).toBe('GET');
    });

    it('should send a lone surrogate in the service name as U+FFFD, where encodeURIComponent throws', async () => {
      remote({ serviceName: 'a\uDC00b\uD800', refreshIntervalMs: 60_000 });
      const hit = await server.waitForHit(1);
      expect(hit.url).toBe('/sampling?service=a%EF%BF%BDb%EF%BF%BD');
    });

    it('should use samplingPath', async () => {
      remote({ samplingPath: '/api/v2/sampling' });
      expect((await server.waitForHit(1)).url).toBe('/api/v2/sampling?service=checkout');
    });

    it.each([
      ['a space', '/api sampling', '/api%20sampling'],
      ['a tab and a newline', '/a\tb\n', '/a%09b%0A'],
      ['non-Latin-1 text, an emoji and a lone surrogate', '/€/😀/\uD800', '/%E2%82%AC/%F0%9F%98%80/%EF%BF%BD'],
      ['an escape already made, and a Latin-1 letter', '/a%20b/café', '/a%20b/caf%C3%A9'],
    ])('should percent-encode what Node refuses in samplingPath: %s', async (_name, samplingPath, expected) => {
      // Before this was encoded, http.get threw from the poll's timer and ended the process.
      remote({ samplingPath });
      expect((await server.waitForHit(1)).url).toBe(`${expected}?service=checkout`);
    });

    it('should take a samplingPath that is not a string as its text, as before it was encoded', () => {
      expect(() => remote({ samplingPath: 42 as unknown as string })).not.toThrow();
    });

    it.each([
      ['host and port', (port: number) => ({ hostPort: undefined, host: '127.0.0.1', port })],
      ['an http:// hostPort', (port: number) => ({ hostPort: `http://127.0.0.1:${port}` })],
    ])('should reach the agent given %s', async (_name, options) => {
      remote(options(server.port));
      expect((await server.waitForHit(1)).service).toBe('checkout');
    });

    it('should poll again every refreshIntervalMs', async () => {
      remote();
      await server.waitForHit(3);
      expect(server.hitsFor('checkout').length).toBeGreaterThanOrEqual(3);
    });

    it('should never have two polls in flight', async () => {
      const held: Hit[] = [];
      server.handler = (hit) => (hit.service === 'slow' ? held.push(hit) : answer(hit, 200, JSON.stringify(server.strategy)));
      remote({ serviceName: 'slow' });
      remote({ serviceName: 'clock' });
      await server.waitForHit(1, 'slow');
      await server.waitForHit(5, 'clock');
      expect(server.hitsFor('slow')).toHaveLength(1);
      answer(held[0], 200, JSON.stringify(server.strategy));
      await server.waitForHit(2, 'slow');
    });
  });

  describe('strategies', () => {
    it.each([
      ['a string strategyType', { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.5 } }],
      ['a numeric strategyType', { strategyType: 0, probabilisticSampling: { samplingRate: 0.5 } }],
      ['no strategyType (proto3 JSON leaves the default out)', { probabilisticSampling: { samplingRate: 0.5 } }],
    ])('should switch to a probabilistic strategy given %s', async (_name, strategy) => {
      server.strategy = strategy;
      const sampler = remote();
      await applied(1);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.5 });
      expect(decide(sampler)).toEqual({ sampled: true, attributes: { 'sampler.type': 'probabilistic', 'sampler.param': 0.5 } });
    });

    it('should read a missing samplingRate as 0', async () => {
      server.strategy = { strategyType: 'PROBABILISTIC', probabilisticSampling: {} };
      const sampler = remote({ initialSamplingRate: 1 });
      await applied(1);
      expect(decide(sampler).sampled).toBe(false);
    });

    it.each([
      ['RATE_LIMITING', 'RATE_LIMITING'],
      ['1', 1],
    ])('should switch to a rate-limiting strategy given strategyType %s', async (_name, strategyType) => {
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      server.strategy = { strategyType, rateLimitingSampling: { maxTracesPerSecond: 4 } };
      const sampler = remote();
      await applied(1);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'ratelimiting', param: 4 });
      // The bucket starts at half of 4 credits: two traces now, then (within a millisecond) none.
      const decisions = [decide(sampler), decide(sampler), decide(sampler)];
      expect(decisions.slice(0, 2)).toEqual([
        { sampled: true, attributes: { 'sampler.type': 'ratelimiting', 'sampler.param': 4 } },
        { sampled: true, attributes: { 'sampler.type': 'ratelimiting', 'sampler.param': 4 } },
      ]);
    });

    it('should keep its rate limiter, and so its balance, while the strategy does not change', async () => {
      // A limiter of one trace per second starting full: one trace, then one a second.
      jest.spyOn(Math, 'random').mockReturnValue(1);
      server.strategy = { strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 1 } };
      const sampler = remote();
      await applied(1);
      expect(decide(sampler).sampled).toBe(true);
      await applied(3);
      // A new limiter would start full again; the kept one is empty (unless the two polls took a second).
      expect(decide(sampler).sampled).toBe(false);
    });

    it('should sample per operation, with the default rate for other operations', async () => {
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      server.strategy = {
        strategyType: 'PROBABILISTIC',
        operationSampling: {
          defaultSamplingProbability: 0,
          defaultLowerBoundTracesPerSecond: 0,
          perOperationStrategies: [{ operation: 'GET /checkout', probabilisticSampling: { samplingRate: 1 } }],
        },
      };
      const sampler = remote();
      await applied(1);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0 });
      expect(decide(sampler, 'GET /checkout')).toEqual({ sampled: true, attributes: { 'sampler.type': 'probabilistic', 'sampler.param': 1 } });
      expect(decide(sampler, 'GET /health').sampled).toBe(false);
    });

    it('should guarantee each operation its lower bound, tagged lowerbound, for up to 2000 operations', async () => {
      // Each operation's floor starts with half of max(3, 1) credits: one trace at once.
      jest.spyOn(Math, 'random').mockReturnValue(0.5);
      server.strategy = {
        operationSampling: {
          defaultSamplingProbability: 0,
          defaultLowerBoundTracesPerSecond: 3,
          perOperationStrategies: [{ operation: 'listed', probabilisticSampling: { samplingRate: 0 } }],
        },
      };
      const sampler = remote();
      await applied(1);
      expect(decide(sampler, 'listed')).toEqual({ sampled: true, attributes: { 'sampler.type': 'lowerbound', 'sampler.param': 0 } });
      for (let i = 1; i < 2000; i++) expect(decide(sampler, `op ${i}`).sampled).toBe(true);
      // Past 2000 operations, new names share the default rate and get no floor.
      expect(decide(sampler, 'op 2000').sampled).toBe(false);
    });

    it('should switch between strategy kinds as the answers change', async () => {
      const sampler = remote();
      server.strategy = { strategyType: 'RATE_LIMITING', rateLimitingSampling: { maxTracesPerSecond: 7 } };
      await applied(1);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'ratelimiting', param: 7 });
      server.strategy = { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.25 } };
      const seen = server.hitsFor('checkout').length;
      await applied(seen + 1);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.25 });
    });
  });

  describe('failures', () => {
    const RATE_HALF = { strategyType: 'PROBABILISTIC', probabilisticSampling: { samplingRate: 0.5 } };

    it.each([
      ['an HTTP 500', (hit: Hit) => answer(hit, 500, JSON.stringify(RATE_HALF)), 'HTTP status 500'],
      ['a body that is not JSON', (hit: Hit) => answer(hit, 200, '<html>'), 'not JSON'],
      ['JSON null', (hit: Hit) => answer(hit, 200, 'null'), 'not a strategy'],
      ['an unknown strategy', (hit: Hit) => answer(hit, 200, '{"strategyType":"ADAPTIVE"}'), 'no usable strategy'],
      ['a rate above 1', (hit: Hit) => answer(hit, 200, '{"probabilisticSampling":{"samplingRate":2}}'), 'samplingRate must be a number between 0 and 1'],
      ['a negative rate limit', (hit: Hit) => answer(hit, 200, '{"strategyType":1,"rateLimitingSampling":{"maxTracesPerSecond":-1}}'), 'maxTracesPerSecond'],
      [
        'a malformed per-operation entry',
        (hit: Hit) => answer(hit, 200, '{"operationSampling":{"perOperationStrategies":[{"operation":7}]}}'),
        'malformed per-operation strategy',
      ],
      ['a dropped connection', (hit: Hit) => hit.response.socket?.destroy(), 'socket hang up'],
    ])('should keep the current strategy and warn after %s', async (_name, handler, reason) => {
      const sampler = remote({ initialSamplingRate: 0.125 });
      server.handler = handler;
      const warning = await warnings.waitFor(reason);
      expect(warning).toContain(`no sampling strategy from http://${server.hostPort}/sampling?service=checkout`);
      expect(warning).toContain('keeping probabilistic sampling (0.125)');
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.125 });
      expect(decide(sampler)).toEqual({ sampled: true, attributes: { 'sampler.type': 'probabilistic', 'sampler.param': 0.125 } });
    });

    it('should keep the last good strategy when a later poll fails', async () => {
      server.strategy = RATE_HALF;
      const sampler = remote();
      await applied(1);
      server.handler = (hit) => answer(hit, 503, '');
      await warnings.waitFor('HTTP status 503');
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.5 });
    });

    it('should stop reading an answer longer than 1 MiB', async () => {
      const sampler = remote();
      server.handler = (hit) => answer(hit, 200, `{"probabilisticSampling":{"samplingRate":0.5},"pad":"${'x'.repeat(2 << 20)}"}`);
      await warnings.waitFor('response longer than 1048576 characters');
      expect(sampler.currentSamplerDescription().param).toBe(0.001);
    });

    it('should warn when nothing listens on the port, and keep polling', async () => {
      const port = await closedPort();
      const sampler = remote({ hostPort: `127.0.0.1:${port}` });
      expect(await warnings.waitFor('ECONNREFUSED')).toContain(`http://127.0.0.1:${port}/sampling`);
      await warnings.waitFor('ECONNREFUSED', 3);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.001 });
    });

    it.each([
      ['a newline', 'agent\nevil'],
      ['non-ASCII text', 'agent€'],
    ])('should warn, and keep polling, when Node refuses the host (%s) rather than end the process', async (_name, host) => {
      // http.get throws for these, synchronously, inside the poll's timer.
      const sampler = remote({ hostPort: undefined, host, port: server.port });
      expect(await warnings.waitFor('ERR_INVALID_CHAR')).toContain('keeping probabilistic sampling (0.001)');
      await warnings.waitFor('ERR_INVALID_CHAR', 3);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 0.001 });
    });

    it('should give up on an agent that does not answer within requestTimeoutMs', async () => {
      server.handler = () => undefined;
      const sampler = remote({ requestTimeoutMs: 50 });
      expect(await warnings.waitFor('no complete answer within 50 ms')).toContain('keeping probabilistic sampling (0.001)');
      // The next poll is under way: the timed-out one did not stop polling.
      await server.waitForHit(2);
      expect(sampler.currentSamplerDescription().param).toBe(0.001);
    });
    it('should give up on an agent that trickles its answer a byte at a time, and take the strategy once it recovers', async () => {
      // Issue 14, item 13: headers, then one byte every 20 ms, never the end. An idle timeout
      // never fires; before the fix one such poll stopped polling for good.
      server.handler = (hit) => {
        hit.response.writeHead(200, { 'content-type': 'application/json' });
        const trickle = setInterval(() => hit.response.write(' '), 20);
        hit.response.on('close', () => clearInterval(trickle));
      };
      const sampler = remote({ requestTimeoutMs: 100, refreshIntervalMs: 5 });
      expect(await warnings.waitFor('no complete answer within 100 ms')).toContain('keeping probabilistic sampling (0.001)');
      await server.waitForHit(2);
      server.handler = (hit) => answer(hit, 200, JSON.stringify({ probabilisticSampling: { samplingRate: 1 } }));
      await applied(server.hits.length + 1);
      expect(sampler.currentSamplerDescription()).toEqual({ type: 'probabilistic', param: 1 });
      const traceIds = Array.from({ length: 20 }, (_, i) => (i + 1).toString(16).padStart(32, '0'));
      expect(traceIds.filter((traceId) => decide(sampler, 'op', traceId).sampled)).toHaveLength(20);
    });
  });

  describe('close', () => {
    it('should stop polling', async () => {
      const closed = remote({ serviceName: 'closed' });
      await server.waitForHit(2, 'closed');
      await closed.close();
      const polls = server.hitsFor('closed').length;
      // Another sampler with the same interval serves as the clock: five of its polls take at least
      // five intervals, in which the closed sampler would have polled had it not stopped.
      remote({ serviceName: 'clock' });
      await server.waitForHit(5, 'clock');
      expect(server.hitsFor('closed')).toHaveLength(polls);
    });

    it('should abort a poll in flight and ignore its outcome', async () => {
      server.handler = () => undefined;
      const sampler = remote();
      const hit = await server.waitForHit(1);
      const aborted = new Promise<void>((resolve) => hit.request.socket.once('close', () => resolve()));
      await sampler.close();
      await aborted;
      expect(warnings.messages).toEqual([]);
      await sampler.close();
    });

    it('should keep sampling with the last strategy after close', async () => {
      server.strategy = { probabilisticSampling: { samplingRate: 0.5 } };
      const sampler = remote();
      await applied(1);
      await sampler.close();
      expect(decide(sampler).attributes).toEqual({ 'sampler.type': 'probabilistic', 'sampler.param': 0.5 });
    });
  });

  describe('the process', () => {
    /**
     * Runs a Node process that loads the sampler from source and reports whether it exited on its
     * own. The child holds itself open until `release` is written to its stdin (or it releases
     * itself), after which only the sampler's timer and poll remain.
     */
    function runChild(body: string, onHit: (hit: Hit, child: ChildProcess) => void): Promise<number | null> {
      const source = path.resolve(__dirname, '../../src/jaeger/remote-sampler.ts');
      const script = `
        const ts = require('typescript');
        const fs = require('fs');
        require.extensions['.ts'] = (module, filename) => module._compile(ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText, filename);
        const { JaegerRemoteSampler } = require(${JSON.stringify(source)});
        const hold = setInterval(() => undefined, 1000);
        const release = () => clearInterval(hold);
        ${body}
      `;
      const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'inherit', 'inherit'] });
      children.push(child);
      const previous = server.handler;
      server.handler = (hit) => (hit.service === 'child' ? onHit(hit, child) : previous(hit));
      return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => resolve(code));
      });
    }

    it('should not be kept alive by a poll in flight', async () => {
      const code = await runChild(
        `
        new JaegerRemoteSampler({ serviceName: 'child', hostPort: ${JSON.stringify(server.hostPort)}, requestTimeoutMs: 3600000 });
        process.stdin.once('data', () => { process.stdin.destroy(); release(); });
        `,
        // Never answered: the child must exit with its request still open.
        (_hit, child) => child.stdin?.write('release\n'),
      );
      expect(code).toBe(0);
      expect(server.hitsFor('child')).toHaveLength(1);
    }, 20_000);

    it('should not be kept alive by the timer of the next poll', async () => {
      server.strategy = { probabilisticSampling: { samplingRate: 0.5 } };
      const code = await runChild(
        `
        const sampler = new JaegerRemoteSampler({ serviceName: 'child', hostPort: ${JSON.stringify(server.hostPort)}, refreshIntervalMs: 3600000 });
        const wait = setInterval(() => {
          if (sampler.currentSamplerDescription().param === 0.5) { clearInterval(wait); release(); }
        }, 5);
        `,
        (hit) => answer(hit, 200, JSON.stringify(server.strategy)),
      );
      expect(code).toBe(0);
    }, 20_000);

    it('should not end the process when Node refuses the host of a poll', async () => {
      // Before the fix, http.get threw from the poll's timer and the process exited with code 1.
      const code = await runChild(
        `
        new JaegerRemoteSampler({ serviceName: 'child', host: 'agent\\nevil', port: 1, refreshIntervalMs: 5 });
        setTimeout(release, 200);
        `,
        () => undefined,
      );
      expect(code).toBe(0);
    }, 20_000);
  });

  describe('set-up', () => {
    it.each([
      ['an empty serviceName', { serviceName: '' }, /serviceName must be a non-empty string/],
      ['a bad hostPort', { hostPort: 'a b:c' }, /hostPort must look like host:port/],
      ['a port out of range', { hostPort: undefined, port: 70000 }, /port must be an integer/],
      ['a negative refreshIntervalMs', { refreshIntervalMs: -1 }, /refreshIntervalMs/],
      ['a refreshIntervalMs Node cannot time', { refreshIntervalMs: 2 ** 31 }, /refreshIntervalMs/],
      ['a zero requestTimeoutMs', { requestTimeoutMs: 0 }, /requestTimeoutMs/],
      ['an initialSamplingRate above 1', { initialSamplingRate: 1.5 }, /initialSamplingRate must be a number between 0 and 1/],
    ])('should refuse %s', (_name, options, message) => {
      expect(() => remote(options as Partial<JaegerRemoteSamplerOptions>)).toThrow(message);
    });

    it('should refuse, with an error that describes it, a port that cannot be converted to a string', () => {
      const port = [Symbol('port')] as unknown as number;

      expect(() => remote({ hostPort: undefined, port })).toThrow(new RangeError('port must be an integer 1..65535, got ["Symbol(port)"]'));
    });

    // The address shows in the warning of a poll that fails; nothing answers a strategy there in tests.
    it('should default to jaeger-agent at 0.0.0.0:5778, as jaeger-client', async () => {
      remote({ hostPort: undefined, requestTimeoutMs: 500 });
      await warnings.waitFor('no sampling strategy from http://0.0.0.0:5778/sampling?service=checkout');
    });

    it('should default the port of a hostPort without one to 5778', async () => {
      remote({ hostPort: 'agent.invalid', requestTimeoutMs: 500 });
      await warnings.waitFor('no sampling strategy from http://agent.invalid:5778/sampling?service=checkout');
    });

    it('should describe itself as jaeger-client does', () => {
      expect(remote({ refreshIntervalMs: 0 }).toString()).toBe('RemoteSampler(serviceName=checkout)');
    });
  });
});
