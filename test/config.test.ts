import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      graphiql: true,
      introspection: true,
      logLevel: 'info',
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
      maxBodyBytes: 8 * 1024 * 1024,
      armor: { depth: 12, aliases: 30, directives: 20, tokens: 5000, cost: 50_000 },
      limits: {},
    });
  });

  it('turns GraphiQL and introspection off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ graphiql: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', INTROSPECTION: '1' })).toMatchObject({ graphiql: true, introspection: true });
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
    expect(() => loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET="short": expected at least 32 characters/);
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
    expect(() => loadConfig({ MONGODB_URI: 'localhost:27017' })).toThrow(/expected a mongodb:\/\/ or mongodb\+srv:\/\/ URL/);
    expect(() => loadConfig({ MONGODB_DB: 'a/b' })).toThrow(/MONGODB_DB="a\/b": expected a MongoDB database name/);
  });
});
