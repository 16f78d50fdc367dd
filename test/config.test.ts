import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      graphiql: true,
      logLevel: 'info',
      retentionDays: null,
      shutdownTimeoutMs: 10_000,
      redisUrl: null,
      subscriptionBuffer: 1000,
      wsKeepAliveMs: 12_000,
      wsInitTimeoutMs: 3000,
      limits: {},
    });
  });

  it('reads every variable, limits included', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      GRAPHIQL: 'false',
      RETENTION_DAYS: '30',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SUBSCRIPTION_BUFFER: '50',
      MAX_CONTENT_LENGTH: '500',
      MAX_PAGE_SIZE: '50',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      graphiql: false,
      retentionDays: 30,
      redisUrl: 'redis://127.0.0.1:6379',
      subscriptionBuffer: 50,
      limits: { maxContentLength: 500, maxPageSize: 50 },
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
    expect(() => loadConfig({ DEFAULT_PAGE_SIZE: '500' })).toThrow(/defaultPageSize must not exceed maxPageSize/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL="localhost:6379": expected a redis:\/\/ or rediss:\/\/ URL/);
  });
});
