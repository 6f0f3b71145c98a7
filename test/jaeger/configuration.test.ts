import { DEPRECATED_ENV, mergeEnv, tagsFromEnv } from '../../src/jaeger/configuration';
import type { Environment } from '../../src/env';
import type { JaegerConfig, JaegerOptions } from '../../src/jaeger/configuration';

// jaeger-client's own env reader (src/configuration_env.js), the authority on what each variable
// means. Its helpers read process.env, so the parity tests set it for the duration of one call.
interface JaegerConfigurationEnv {
  _getSamplerFromEnv(config: object): Record<string, unknown>;
  _getReporterFromEnv(config: object): Record<string, unknown>;
  _parseTagsFromEnv(options: object): Record<string, unknown>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jaegerEnv = (require('jaeger-client/dist/src/configuration_env') as { default: JaegerConfigurationEnv }).default;

/** Runs `fn` with exactly the JAEGER_* variables of `env` in process.env, then restores it. */
function withProcessEnv<T>(env: Environment, fn: () => T): T {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('JAEGER_') || key.startsWith('TEST_TAG_')) delete process.env[key];
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Deep-frozen, so that any write into the caller's objects throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) frozen((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

describe('mergeEnv', () => {
  describe('serviceName', () => {
    it('should come from JAEGER_SERVICE_NAME', () => {
      expect(mergeEnv({}, {}, { JAEGER_SERVICE_NAME: 'checkout' }).config.serviceName).toBe('checkout');
    });

    it('should be the config value when both are set', () => {
      expect(mergeEnv({ serviceName: 'from-config' }, {}, { JAEGER_SERVICE_NAME: 'from-env' }).config.serviceName).toBe('from-config');
    });
  });

  describe('disable', () => {
    it.each([
      ['JAEGER_DISABLED=true', { JAEGER_DISABLED: 'true' }, true],
      ['JAEGER_DISABLE=true (deprecated)', { JAEGER_DISABLE: 'true' }, true],
      ['JAEGER_DISABLED=TRUE', { JAEGER_DISABLED: 'TRUE' }, false],
      ['JAEGER_DISABLED=1', { JAEGER_DISABLED: '1' }, false],
      ['JAEGER_DISABLED=false', { JAEGER_DISABLED: 'false' }, false],
      ['nothing', {}, false],
    ])("should read %s as jaeger-client does ('true' only)", (_name, env, expected) => {
      expect(mergeEnv({}, {}, env).config.disable).toBe(expected);
    });

    it('should stay disabled when config says so, whatever the environment', () => {
      expect(mergeEnv({ disable: true }, {}, { JAEGER_DISABLED: 'false' }).config.disable).toBe(true);
    });
  });

  describe('sampler', () => {
    it('should read every sampler variable', () => {
      const { config } = mergeEnv(
        {},
        {},
        {
          JAEGER_SAMPLER_TYPE: 'remote',
          JAEGER_SAMPLER_PARAM: '0.25',
          JAEGER_SAMPLER_MANAGER_HOST_PORT: 'agent:5778',
          JAEGER_SAMPLER_SAMPLING_PATH: '/strategies',
          JAEGER_SAMPLER_REFRESH_INTERVAL: '1500',
        },
      );

      expect(config.sampler).toEqual({ type: 'remote', param: 0.25, hostPort: 'agent:5778', samplingPath: '/strategies', refreshIntervalMs: 1500 });
    });

    it('should read the deprecated JAEGER_SAMPLER_HOST and JAEGER_SAMPLER_PORT', () => {
      const { config, deprecated } = mergeEnv({}, {}, { JAEGER_SAMPLER_HOST: 'agent', JAEGER_SAMPLER_PORT: '5779' });

      expect(config.sampler).toEqual({ host: 'agent', port: 5779 });
      expect(deprecated.sort()).toEqual(['JAEGER_SAMPLER_HOST', 'JAEGER_SAMPLER_PORT']);
    });

    it('should let each config key win over its variable, even a falsy one', () => {
      const { config } = mergeEnv(
        { sampler: { type: 'const', param: 0 } },
        {},
        {
          JAEGER_SAMPLER_TYPE: 'probabilistic',
          JAEGER_SAMPLER_PARAM: '0.5',
          JAEGER_SAMPLER_MANAGER_HOST_PORT: 'agent:5778',
        },
      );

      expect(config.sampler).toEqual({ type: 'const', param: 0, hostPort: 'agent:5778' });
    });

    it('should leave the sampler out when neither config nor environment has one', () => {
      expect(mergeEnv({}, {}, {}).config.sampler).toBeUndefined();
    });

    it('should leave out a JAEGER_SAMPLER_PARAM that is not a number, so initTracer reports it', () => {
      expect(mergeEnv({}, {}, { JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: 'one' }).config.sampler).toEqual({ type: 'const' });
    });

    it('should read the variables for a config.sampler that is not an object, where jaeger-client throws', () => {
      const config = { sampler: 'const' } as unknown as JaegerConfig;

      expect(mergeEnv(config, {}, { JAEGER_SAMPLER_TYPE: 'const', JAEGER_SAMPLER_PARAM: '1' }).config.sampler).toEqual({ type: 'const', param: 1 });
    });

    it('should leave out config values that cannot be converted to a number (a Symbol in an array, a Proxy)', () => {
      const unconvertible = [Symbol('x')];
      const proxy = new Proxy(
        {},
        {
          get() {
            throw new Error('proxy trap');
          },
        },
      );
      const sampler = { type: 'remote', param: unconvertible, port: proxy, refreshIntervalMs: unconvertible } as unknown as JaegerConfig['sampler'];

      expect(() => mergeEnv({ sampler }, {}, {})).not.toThrow();
      expect(mergeEnv({ sampler }, {}, {}).config.sampler).toEqual({ type: 'remote', port: NaN, refreshIntervalMs: NaN });
    });
  });

  describe('reporter', () => {
    it('should read every reporter variable', () => {
      const { config } = mergeEnv(
        {},
        {},
        {
          JAEGER_REPORTER_LOG_SPANS: 'true',
          JAEGER_REPORTER_FLUSH_INTERVAL: '250',
          JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
          JAEGER_USER: 'user',
          JAEGER_PASSWORD: 'secret',
          JAEGER_AGENT_HOST: 'agent',
          JAEGER_AGENT_PORT: '6832',
          JAEGER_REPORTER_TIMEOUT: '3000',
          JAEGER_AGENT_SOCKET_TYPE: 'udp4',
        },
      );

      expect(config.reporter).toEqual({
        logSpans: true,
        flushIntervalMs: 250,
        collectorEndpoint: 'http://jaeger:14268/api/traces',
        username: 'user',
        password: 'secret',
        agentHost: 'agent',
        agentPort: 6832,
        timeoutMs: 3000,
        agentSocketType: 'udp4',
      });
    });

    it('should read the deprecated reporter variables and name them', () => {
      const { config, deprecated } = mergeEnv(
        {},
        {},
        {
          JAEGER_REPORTER_ENDPOINT: 'http://old:14268/api/traces',
          JAEGER_REPORTER_USER: 'old-user',
          JAEGER_REPORTER_PASSWORD: 'old-secret',
          JAEGER_REPORTER_AGENT_HOST: 'old-agent',
          JAEGER_REPORTER_AGENT_PORT: '6831',
        },
      );

      expect(config.reporter).toEqual({
        collectorEndpoint: 'http://old:14268/api/traces',
        username: 'old-user',
        password: 'old-secret',
        agentHost: 'old-agent',
        agentPort: 6831,
      });
      expect(deprecated.sort()).toEqual(
        ['JAEGER_REPORTER_AGENT_HOST', 'JAEGER_REPORTER_AGENT_PORT', 'JAEGER_REPORTER_ENDPOINT', 'JAEGER_REPORTER_PASSWORD', 'JAEGER_REPORTER_USER'].sort(),
      );
    });

    it('should prefer the current variable to its deprecated alias', () => {
      const { config } = mergeEnv({}, {}, { JAEGER_ENDPOINT: 'http://new:14268/api/traces', JAEGER_REPORTER_ENDPOINT: 'http://old:14268/api/traces' });

      expect(config.reporter?.collectorEndpoint).toBe('http://new:14268/api/traces');
    });

    it('should let each config key win over its variable', () => {
      const { config } = mergeEnv(
        { reporter: { agentHost: 'from-config', logSpans: false } },
        {},
        {
          JAEGER_AGENT_HOST: 'from-env',
          JAEGER_REPORTER_LOG_SPANS: 'true',
          JAEGER_USER: 'user',
        },
      );

      expect(config.reporter).toEqual({ agentHost: 'from-config', username: 'user' });
    });

    it('should not enable logging for JAEGER_REPORTER_LOG_SPANS=false (jaeger-client does: a bug)', () => {
      const env = { JAEGER_REPORTER_LOG_SPANS: 'false' };

      expect(mergeEnv({}, {}, env).config.reporter?.logSpans).not.toBe(true);
      expect(withProcessEnv(env, () => jaegerEnv._getReporterFromEnv({})).logSpans).toBe(true);
    });

    it.each(['TRUE', ' true '])('should enable logging for JAEGER_REPORTER_LOG_SPANS=%j', (value) => {
      expect(mergeEnv({}, {}, { JAEGER_REPORTER_LOG_SPANS: value }).config.reporter?.logSpans).toBe(true);
    });

    it('should read the variables for a config.reporter that is not an object, where jaeger-client throws', () => {
      const config = { reporter: 'reporter' } as unknown as JaegerConfig;

      expect(mergeEnv(config, {}, { JAEGER_REPORTER_TIMEOUT: '100' }).config.reporter).toEqual({ timeoutMs: 100 });
    });

    it('should ignore the reporter variables when options.reporter is given, as jaeger-client does', () => {
      const { config } = mergeEnv({}, { reporter: {} }, { JAEGER_AGENT_HOST: 'agent' });

      expect(config.reporter).toBeUndefined();
    });
  });

  describe('tags', () => {
    it('should read JAEGER_TAGS into options.tags', () => {
      expect(mergeEnv({}, {}, { JAEGER_TAGS: 'region=eu, tier = web' }).options.tags).toEqual({ region: 'eu', tier: 'web' });
    });

    it('should keep options.tags over JAEGER_TAGS', () => {
      expect(mergeEnv({}, { tags: { mine: 1 } }, { JAEGER_TAGS: 'region=eu' }).options.tags).toEqual({ mine: 1 });
    });
  });

  describe("the caller's objects", () => {
    it('should not be changed (jaeger-client writes into them: a bug)', () => {
      const config: JaegerConfig = frozen({ sampler: { type: 'const', param: 1 }, reporter: { logSpans: true } });
      const options: JaegerOptions = frozen({ contextKey: 'x-trace' });
      const env = {
        JAEGER_SERVICE_NAME: 'checkout',
        JAEGER_DISABLED: 'true',
        JAEGER_TAGS: 'a=b',
        JAEGER_AGENT_HOST: 'agent',
        JAEGER_SAMPLER_MANAGER_HOST_PORT: 'agent:5778',
      };

      const merged = mergeEnv(config, options, env);

      expect(config).toEqual({ sampler: { type: 'const', param: 1 }, reporter: { logSpans: true } });
      expect(options).toEqual({ contextKey: 'x-trace' });
      expect(merged.config).not.toBe(config);
      expect(merged.options).not.toBe(options);
      expect(merged.options).toEqual({ contextKey: 'x-trace', tags: { a: 'b' } });
    });
  });

  describe('deprecated', () => {
    it('should name every deprecated variable that is set, and nothing else', () => {
      const env: Record<string, string> = { JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces', JAEGER_SERVICE_NAME: 'x' };
      for (const name of Object.keys(DEPRECATED_ENV)) env[name] = name === 'JAEGER_DISABLE' ? 'false' : '1';

      expect(mergeEnv({}, {}, env).deprecated.sort()).toEqual(Object.keys(DEPRECATED_ENV).sort());
      expect(mergeEnv({}, {}, { JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces' }).deprecated).toEqual([]);
    });
  });

  describe('parity with jaeger-client 3.19 (src/configuration_env.js)', () => {
    const ENVIRONMENTS: ReadonlyArray<[string, JaegerConfig, Environment]> = [
      ['no variables', {}, {}],
      [
        'every sampler variable',
        {},
        {
          JAEGER_SAMPLER_TYPE: 'remote',
          JAEGER_SAMPLER_PARAM: '0.5',
          JAEGER_SAMPLER_MANAGER_HOST_PORT: 'agent:5778',
          JAEGER_SAMPLER_SAMPLING_PATH: '/s',
          JAEGER_SAMPLER_REFRESH_INTERVAL: '100',
        },
      ],
      ['deprecated sampler host and port', {}, { JAEGER_SAMPLER_HOST: 'agent', JAEGER_SAMPLER_PORT: '5779' }],
      ['config sampler over variables', { sampler: { type: 'const', param: 0 } }, { JAEGER_SAMPLER_TYPE: 'remote', JAEGER_SAMPLER_PARAM: '1' }],
      ['a numeric string config param', { sampler: { type: 'const', param: '1' as unknown as number } }, {}],
      [
        'every reporter variable',
        {},
        {
          JAEGER_REPORTER_LOG_SPANS: 'true',
          JAEGER_REPORTER_FLUSH_INTERVAL: '250',
          JAEGER_ENDPOINT: 'http://jaeger:14268/api/traces',
          JAEGER_USER: 'u',
          JAEGER_PASSWORD: 'p',
          JAEGER_AGENT_HOST: 'agent',
          JAEGER_AGENT_PORT: '6832',
          JAEGER_REPORTER_TIMEOUT: '3000',
          JAEGER_AGENT_SOCKET_TYPE: 'udp4',
        },
      ],
      [
        'deprecated reporter variables',
        {},
        {
          JAEGER_REPORTER_ENDPOINT: 'http://old:14268/api/traces',
          JAEGER_REPORTER_USER: 'u',
          JAEGER_REPORTER_PASSWORD: 'p',
          JAEGER_REPORTER_AGENT_HOST: 'old',
          JAEGER_REPORTER_AGENT_PORT: '6831',
        },
      ],
      [
        'config reporter over variables',
        { reporter: { agentHost: 'mine', flushIntervalMs: 0 } },
        { JAEGER_AGENT_HOST: 'theirs', JAEGER_REPORTER_FLUSH_INTERVAL: '9' },
      ],
    ];

    it.each(ENVIRONMENTS)('should read the sampler and reporter like jaeger-client for %s', (_name, config, env) => {
      const merged = mergeEnv(config, {}, env);
      const theirs = withProcessEnv(env, () => ({ sampler: jaegerEnv._getSamplerFromEnv(config), reporter: jaegerEnv._getReporterFromEnv(config) }));

      // jaeger-client keeps config.sampler / config.reporter when nothing was read.
      const orConfig = (read: Record<string, unknown>, section: unknown): unknown => (Object.keys(read).length > 0 ? read : section);
      expect(merged.config.sampler).toEqual(orConfig(theirs.sampler, config.sampler));
      expect(merged.config.reporter).toEqual(orConfig(theirs.reporter, config.reporter));
    });

    const TAGS: ReadonlyArray<[string, Environment]> = [
      ['plain pairs', { JAEGER_TAGS: 'a=1,b=two' }],
      ['spaces around keys and values', { JAEGER_TAGS: ' a = 1 , b=2 ' }],
      ['${VAR} that is set', { JAEGER_TAGS: 'pod=${TEST_TAG_POD}', TEST_TAG_POD: 'pod-7' }],
      ['${VAR:default} with VAR set', { JAEGER_TAGS: 'pod=${TEST_TAG_POD:none}', TEST_TAG_POD: 'pod-7' }],
      ['${VAR:default} with VAR unset', { JAEGER_TAGS: 'pod=${TEST_TAG_POD:none}' }],
      ['${VAR:default} with VAR empty', { JAEGER_TAGS: 'pod=${TEST_TAG_POD:none}', TEST_TAG_POD: '' }],
    ];

    it.each(TAGS)('should read JAEGER_TAGS like jaeger-client for %s', (_name, env) => {
      const theirs = withProcessEnv(env, () => jaegerEnv._parseTagsFromEnv({}));

      expect(mergeEnv({}, {}, env).options.tags).toEqual(theirs);
    });
  });
});

describe('tagsFromEnv', () => {
  it('should skip an entry without = where jaeger-client throws', () => {
    const env = { JAEGER_TAGS: 'a=1,broken,b=2' };

    expect(() => withProcessEnv(env, () => jaegerEnv._parseTagsFromEnv({}))).toThrow(TypeError);
    expect(tagsFromEnv(env)).toEqual({ a: '1', b: '2' });
  });

  it('should leave out a ${VAR} without default whose variable is unset', () => {
    expect(tagsFromEnv({ JAEGER_TAGS: 'pod=${TEST_TAG_UNSET},a=1' })).toEqual({ a: '1' });
  });

  it('should give no tags without JAEGER_TAGS', () => {
    expect(tagsFromEnv({})).toEqual({});
  });

  it('should not let a __proto__ key reach the prototype', () => {
    const tags = tagsFromEnv({ JAEGER_TAGS: '__proto__=x,a=1' });

    expect(tags).toEqual({ a: '1' });
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});
