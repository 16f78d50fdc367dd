import { z } from 'zod';
import { DEFAULT_LIMITS, resolveLimits, type LimitName, type Limits } from './core/limits.js';

const PORT_RANGE = 'expected a port number from 0 to 65535';
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => ['true', '1', 'yes'].includes(v));
const positiveInt = z.coerce.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });

/** The environment variable of each limit: maxContentLength → MAX_CONTENT_LENGTH. */
export const limitVariable = (name: LimitName) => name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const limitVariables = Object.fromEntries((Object.keys(DEFAULT_LIMITS) as LimitName[]).map((name) => [limitVariable(name), positiveInt.optional()]));

const environment = z.object({
  PORT: z.coerce
    .number({ message: PORT_RANGE })
    .int({ message: PORT_RANGE })
    .min(0, { message: PORT_RANGE })
    .max(65_535, { message: PORT_RANGE })
    .default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  GRAPHIQL: flag.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  RETENTION_DAYS: z.coerce.number({ message: 'expected a number of days' }).positive({ message: 'expected a positive number of days' }).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { message: 'expected a redis:// or rediss:// URL' }).optional(),
  SUBSCRIPTION_BUFFER: positiveInt.default(1000),
  WS_KEEPALIVE_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(0, { message: 'expected milliseconds' }).default(12_000),
  WS_INIT_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().positive({ message: 'expected milliseconds' }).default(3000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(0, { message: 'expected milliseconds' }).default(10_000),
  ...limitVariables,
});

export interface Config {
  port: number;
  host: string;
  graphiql: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  retentionDays: number | null;
  shutdownTimeoutMs: number;
  /** Redis URL for events shared between instances; in-process events when null. */
  redisUrl: string | null;
  /** Undelivered events a subscriber may fall behind by before it is cut off. */
  subscriptionBuffer: number;
  /** WebSocket ping interval (0: no pings). */
  wsKeepAliveMs: number;
  /** How long a WebSocket may wait before sending connection_init. */
  wsInitTimeoutMs: number;
  limits: Partial<Limits>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from environment variables. Throws one ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data as z.output<typeof environment> & Record<string, number | undefined>;
  const limits: Partial<Limits> = {};
  for (const name of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
    const value = e[limitVariable(name)];
    if (value !== undefined) limits[name] = value;
  }
  try {
    resolveLimits(limits);
  } catch (error) {
    throw new ConfigError(`Invalid environment: ${(error as Error).message}`);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    graphiql: e.GRAPHIQL,
    logLevel: e.LOG_LEVEL,
    retentionDays: e.RETENTION_DAYS ?? null,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    redisUrl: e.REDIS_URL ?? null,
    subscriptionBuffer: e.SUBSCRIPTION_BUFFER,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    wsInitTimeoutMs: e.WS_INIT_TIMEOUT_MS,
    limits,
  };
}
