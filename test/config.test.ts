import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/server/config.js';

describe('configuration from the environment', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      graphiql: true,
      console: true,
      introspection: true,
      logLevel: 'info',
      logFormat: null,
      retentionDays: null,
      shutdownTimeoutMs: 10_000,
      storageTimeoutMs: 5000,
      redisUrl: null,
      mongodbUri: null,
      mongodbDb: 'parley',
      subscriptionBuffer: 1000,
      wsKeepAliveMs: 12_000,
      wsInitTimeoutMs: 3000,
      auth: { mode: 'none', apiKeys: [], jwt: { secret: null, jwksUrl: null, issuer: null, audience: null, adminClaim: 'parley_admin' } },
      corsOrigins: null,
      allowedHosts: [],
      maxBodyBytes: 8 * 1024 * 1024,
      armor: { depth: 12, aliases: 30, directives: 20, tokens: 5000, cost: 50_000 },
      limits: {},
      runs: { model: { provider: 'none' }, leaseMs: 15_000, retainEventsMs: 600_000, window: { maxMessages: 200, maxTokens: 16_000 } },
      metrics: { enabled: true, token: null, port: null, host: '127.0.0.1' },
      tracing: null,
      leanHttp: true,
    });
  });

  it('turns tracing on with an OTLP endpoint (the OpenTelemetry variables), and never quotes its headers', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      serviceName: 'parley',
      headers: {},
      sampler: { name: 'parentbased_always_on', ratio: 1 },
    });
    expect(
      loadConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest',
        OTEL_SERVICE_NAME: 'parley-eu',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, tenant=t1',
      }).tracing,
    ).toEqual({ url: 'https://traces.example/ingest', serviceName: 'parley-eu', headers: { 'x-api-key': 'abc==', tenant: 't1' }, sampler: { name: 'parentbased_always_on', ratio: 1 } });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": expected a https:\/\/ or http:\/\/ URL/);
    let message = '';
    try {
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'secret-key-without-name' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('OTEL_EXPORTER_OTLP_HEADERS: expected comma-separated name=value pairs');
    expect(message).not.toContain('secret-key-without-name');
  });

  it('reads the sampler from OTEL_TRACES_SAMPLER and its ratio from OTEL_TRACES_SAMPLER_ARG, refusing what it does not know in one line', () => {
    const sampler = (env: Record<string, string>) => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', ...env }).tracing?.sampler;
    expect(sampler({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toEqual({ name: 'parentbased_traceidratio', ratio: 0.25 });
    expect(sampler({ OTEL_TRACES_SAMPLER: 'traceidratio' })).toEqual({ name: 'traceidratio', ratio: 1 });
    // The argument of another sampler is not a ratio: ignored, as the specification says.
    expect(sampler({ OTEL_TRACES_SAMPLER: 'always_off', OTEL_TRACES_SAMPLER_ARG: 'whatever' })).toEqual({ name: 'always_off', ratio: 1 });
    expect(() => sampler({ OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toThrow(
      /^Invalid environment: OTEL_TRACES_SAMPLER="jaeger_remote": expected one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio$/,
    );
    for (const ratio of ['1.5', '-0.1', 'half', ' ']) {
      expect(() => sampler({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio })).toThrow(
        new RegExp(`^Invalid environment: OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(ratio).replace(/[.]/g, '\\.')}: expected the probability traceidratio keeps a trace with, a number from 0 to 1$`),
      );
    }
  });

  it('serves metrics by default only where no one else can read them: a loopback HOST, a METRICS_PORT of their own, or behind METRICS_TOKEN', () => {
    const open = { token: null, port: null, host: '127.0.0.1' };
    expect(loadConfig({}).metrics).toEqual({ enabled: true, ...open });
    expect(loadConfig({ HOST: 'localhost' }).metrics.enabled).toBe(true);
    expect(loadConfig({ HOST: '::1' }).metrics.enabled).toBe(true);
    expect(loadConfig({ METRICS: 'false' }).metrics).toEqual({ enabled: false, ...open });
    // Listening on every interface: off unless asked for, or guarded.
    expect(loadConfig({ HOST: '0.0.0.0' }).metrics).toEqual({ enabled: false, ...open });
    expect(loadConfig({ HOST: '10.0.0.5' }).metrics.enabled).toBe(false);
    expect(loadConfig({ HOST: '0.0.0.0', METRICS: 'true' }).metrics).toEqual({ enabled: true, ...open });
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_TOKEN: 'scrape-token-0123456789' }).metrics).toEqual({ enabled: true, ...open, token: 'scrape-token-0123456789' });
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_PORT: '9464' }).metrics).toEqual({ enabled: true, ...open, port: 9464 });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ enabled: true, ...open, port: 9464, host: '10.0.0.5' });
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT="70000": expected a port number/);
    expect(() => loadConfig({ METRICS: 'maybe' })).toThrow(/METRICS="maybe": expected true or false/);
    expect(() => loadConfig({ LEAN_HTTP: 'sometimes' })).toThrow(/LEAN_HTTP="sometimes": expected true or false/);
    let message = '';
    try {
      loadConfig({ METRICS_TOKEN: 'secret-short' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('METRICS_TOKEN (12 characters): expected at least 16 characters');
    expect(message).not.toContain('secret-short');
  });

  it('picks the model provider: none by default, echo only when named, OpenAI-compatible with its endpoint', () => {
    expect(loadConfig({}).runs.model).toEqual({ provider: 'none' });
    expect(loadConfig({ MODEL_PROVIDER: 'echo', ECHO_DELAY_MS: '0' }).runs.model).toEqual({ provider: 'echo', delayMs: 0 });
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).runs.model).toEqual({
      provider: 'openai-compatible',
      baseURL: 'http://127.0.0.1:11434/v1',
      apiKey: null,
      defaultModel: null,
      aliases: {},
    });
    expect(() => loadConfig({ MODEL_PROVIDER: 'openai-compatible' })).toThrow(/needs OPENAI_BASE_URL/);
    expect(() => loadConfig({ MODEL_PROVIDER: 'gpt' })).toThrow(/MODEL_PROVIDER="gpt"/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://x/v1', MODEL_ALIASES: '[1]' })).toThrow(/MODEL_ALIASES.*expected a JSON object/);
    let message = '';
    try {
      loadConfig({ OPENAI_BASE_URL: 'ftp://nope', OPENAI_API_KEY: 'sk-very-secret-key' , RUN_LEASE_MS: '5' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/OPENAI_BASE_URL/);
    expect(message).toMatch(/RUN_LEASE_MS/);
    expect(message).not.toContain('sk-very-secret-key');
  });

  it('turns GraphiQL, the console and introspection off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ graphiql: false, console: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', CONSOLE: 'yes', INTROSPECTION: '1' })).toMatchObject({ graphiql: true, console: true, introspection: true });
    expect(loadConfig({ CONSOLE: 'false' })).toMatchObject({ graphiql: true, console: false });
  });

  it('reads API keys from the environment and from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-')), 'keys.json');
    writeFileSync(file, JSON.stringify([{ key: 'file-key-0123456789', ownerId: 'carol', admin: true }]));
    const { auth } = loadConfig({ AUTH_MODE: 'apikey', API_KEYS: 'alice:k1, ops:k2:admin', API_KEYS_FILE: file });
    expect(auth.apiKeys).toEqual([
      { ownerId: 'alice', key: 'k1', admin: false },
      { ownerId: 'ops', key: 'k2', admin: true },
      { key: 'file-key-0123456789', ownerId: 'carol', admin: true },
    ]);
    expect(() => loadConfig({ AUTH_MODE: 'apikey' })).toThrow(/AUTH_MODE=apikey needs API_KEYS or API_KEYS_FILE/);
    expect(() => loadConfig({ AUTH_MODE: 'apikey', API_KEYS: 'nokey' })).toThrow(/API_KEYS: expected/);
    expect(() => loadConfig({ AUTH_MODE: 'jwt' })).toThrow(/exactly one of JWT_SECRET and JWT_JWKS_URL/);
    expect(() => loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET \(5 characters\): expected at least 32 characters/);
  });

  it('reads every variable, limits included', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      NODE_ENV: 'production',
      GRAPHIQL: 'true',
      CONSOLE: 'true',
      INTROSPECTION: 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      RETENTION_DAYS: '30',
      REDIS_URL: 'redis://127.0.0.1:6379',
      MONGODB_URI: 'mongodb://db.example:27017',
      MONGODB_DB: 'chats',
      SUBSCRIPTION_BUFFER: '50',
      WS_KEEPALIVE_MS: '0',
      WS_INIT_TIMEOUT_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: '2000',
      STORAGE_TIMEOUT_MS: '750',
      AUTH_MODE: 'jwt',
      JWT_SECRET: 's'.repeat(32),
      JWT_ISSUER: 'https://issuer.example',
      JWT_AUDIENCE: 'parley',
      JWT_ADMIN_CLAIM: 'is_admin',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      ALLOWED_HOSTS: 'Parley.Internal, .corp.example',
      MAX_BODY_BYTES: '1024',
      MAX_QUERY_DEPTH: '5',
      MAX_ALIASES: '6',
      MAX_DIRECTIVES: '7',
      MAX_TOKENS: '800',
      MAX_QUERY_COST: '900',
      MAX_CONTENT_LENGTH: '500',
      MAX_PAGE_SIZE: '50',
      MAX_TURNS_PER_SESSION: '9',
      OPENAI_BASE_URL: 'https://models.example/v1',
      OPENAI_API_KEY: 'sk-test',
      DEFAULT_MODEL: 'small',
      MODEL_ALIASES: '{"fast":"small-2"}',
      RUN_LEASE_MS: '5000',
      RUN_EVENTS_RETAIN_MS: '60000',
      PROMPT_MAX_MESSAGES: '40',
      PROMPT_MAX_TOKENS: '3000',
      METRICS: 'no',
      METRICS_TOKEN: 'scrape-token-0123456789',
      METRICS_PORT: '9464',
      METRICS_HOST: '10.1.2.3',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'parley-prod',
      LEAN_HTTP: 'false',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      graphiql: true,
      console: true,
      introspection: false,
      logLevel: 'warn',
      logFormat: 'json',
      retentionDays: 30,
      redisUrl: 'redis://127.0.0.1:6379',
      mongodbUri: 'mongodb://db.example:27017',
      mongodbDb: 'chats',
      subscriptionBuffer: 50,
      wsKeepAliveMs: 0,
      wsInitTimeoutMs: 1500,
      shutdownTimeoutMs: 2000,
      storageTimeoutMs: 750,
      auth: {
        mode: 'jwt',
        apiKeys: [],
        jwt: { secret: 's'.repeat(32), jwksUrl: null, issuer: 'https://issuer.example', audience: 'parley', adminClaim: 'is_admin' },
      },
      corsOrigins: ['https://a.example', 'https://b.example'],
      allowedHosts: ['parley.internal', '.corp.example'],
      maxBodyBytes: 1024,
      armor: { depth: 5, aliases: 6, directives: 7, tokens: 800, cost: 900 },
      limits: { maxContentLength: 500, maxPageSize: 50, maxTurnsPerSession: 9 },
      runs: {
        model: { provider: 'openai-compatible', baseURL: 'https://models.example/v1', apiKey: 'sk-test', defaultModel: 'small', aliases: { fast: 'small-2' } },
        leaseMs: 5000,
        retainEventsMs: 60_000,
        window: { maxMessages: 40, maxTokens: 3000 },
      },
      metrics: { enabled: false, token: 'scrape-token-0123456789', port: 9464, host: '10.1.2.3' },
      tracing: { url: 'http://collector:4318/v1/traces', serviceName: 'parley-prod', headers: {}, sampler: { name: 'parentbased_always_on', ratio: 1 } },
      leanHttp: false,
    });
  });

  it('names each bad variable in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', GRAPHIQL: 'maybe', MAX_BATCH_SIZE: '-1' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', GRAPHIQL: 'maybe', MAX_BATCH_SIZE: '-1' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/^Invalid environment: /);
      expect(message).toContain('PORT="eighty"');
      expect(message).toContain('GRAPHIQL="maybe"');
      expect(message).toContain('MAX_BATCH_SIZE="-1"');
      expect(message).not.toContain('\n');
    }
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT="xml": .*"json"\|"pretty"/);
    expect(() => loadConfig({ DEFAULT_PAGE_SIZE: '500' })).toThrow(/defaultPageSize must not exceed maxPageSize/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL="localhost:6379": expected a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ MONGODB_URI: 'localhost:27017' })).toThrow(/expected a mongodb:\/\/ or mongodb\+srv:\/\/ URL/);
    expect(() => loadConfig({ MONGODB_DB: 'a/b' })).toThrow(/MONGODB_DB="a\/b": expected a MongoDB database name/);
  });

  it('names the variables checked together with the others, not instead of them', () => {
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('no ConfigError');
    };
    const missing = join(mkdtempSync(join(tmpdir(), 'parley-')), 'missing.json');
    expect(message({ PORT: 'eighty', AUTH_MODE: 'apikey' })).toMatch(/^Invalid environment: PORT="eighty": .*; AUTH_MODE=apikey needs API_KEYS or API_KEYS_FILE$/);
    const keys = message({ GRAPHIQL: 'maybe', API_KEYS: 'alice:k1,bob', API_KEYS_FILE: missing, DEFAULT_PAGE_SIZE: '500' });
    for (const part of ['GRAPHIQL="maybe"', 'API_KEYS: expected', `API_KEYS_FILE=${JSON.stringify(missing)}`, 'defaultPageSize must not exceed maxPageSize']) expect(keys).toContain(part);
    expect(message({ AUTH_MODE: 'jwt', JWT_SECRET: 'short' })).not.toContain('exactly one of');
  });

  it('never quotes a secret: not JWT_SECRET, API_KEYS or a key file, not a password in a URL', () => {
    const notJson = join(mkdtempSync(join(tmpdir(), 'parley-')), 'keys.json');
    writeFileSync(notJson, 'carol:secret-file-key-0123456789\n');
    let message = '';
    try {
      loadConfig({
        JWT_SECRET: 'secret-jwt-0123',
        API_KEYS: 'alice:secret-key-a,secret-key-b',
        API_KEYS_FILE: notJson,
        REDIS_URL: 'http://user:secret-redis@cache.example:6379',
        MONGODB_URI: 'app:secret-mongo@db.example:27017',
        JWT_JWKS_URL: 'ftp://keys.example/jwks.json?token=secret-jwks',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['JWT_SECRET', 'API_KEYS', 'API_KEYS_FILE', 'REDIS_URL', 'MONGODB_URI', 'JWT_JWKS_URL']) expect(message).toContain(name);
    expect(message).toContain('REDIS_URL="http://user:***@cache.example:6379"');
    expect(message).toContain('MONGODB_URI="app:***@db.example:27017"');
    expect(message).toContain('JWT_JWKS_URL="ftp://keys.example/jwks.json?token=***"');
    expect(message).not.toMatch(/secret-/);
  });
});
