import { initTracer } from '../../src/jaeger/init-tracer';
import type { JaegerOptions } from '../../src/jaeger/configuration';
import { KeepingExporter } from '../helpers/sdk';

// When initTracer fails at set-up time it must leave nothing running. It builds the sampler
// first, and a remote sampler starts polling at once; a later set-up step that throws must not
// leave that poller behind (it would poll the agent, and log its failures, for the life of the
// process). Fake timers make "a poll is scheduled" observable without waiting for one.

const REMOTE = { type: 'remote', param: 0.5, hostPort: '127.0.0.1:1', refreshIntervalMs: 60_000 };

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.clearAllTimers();
  jest.useRealTimers();
});

it('schedules a poll when it succeeds (the remote sampler polls at once), and close() cancels it', async () => {
  const tracer = initTracer({ serviceName: 'setup', sampler: REMOTE }, { exporter: new KeepingExporter() });
  expect(jest.getTimerCount()).toBeGreaterThan(0);

  await tracer.close();

  expect(jest.getTimerCount()).toBe(0);
});

// Found by the jaeger properties: options.contextKey that is not a string, or tags that cannot
// be read, throw after the remote sampler was started.
it.each<[string, Partial<JaegerOptions>]>([
  ['options.contextKey 42', { contextKey: 42 as unknown as string }],
  [
    'options.tags with a throwing getter',
    {
      tags: Object.defineProperty({}, 'boom', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      }),
    },
  ],
])('leaves no remote sampler polling when it throws (%s)', async (_setting, options) => {
  let tracer: ReturnType<typeof initTracer> | undefined;
  try {
    tracer = initTracer({ serviceName: 'setup', sampler: REMOTE }, { exporter: new KeepingExporter(), ...options });
  } catch {
    // A set-up error is fine, as long as nothing was left running.
  }
  // Either initTracer ignored the bad setting (then it is closed here), or it threw.
  await tracer?.close();

  expect(jest.getTimerCount()).toBe(0);
});
