import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AUTH_MODES, type ApiKey, type AuthConfig } from './auth.js';
import { DEFAULT_LIMITS, limitConstant, resolveLimits, type LimitName, type Limits } from '../core/limits.js';
import { redactUrl } from '../core/redact.js';
import type { ArmorLimits } from './plugins/armor.js';
import type { MetricsConfig } from './metrics.js';
import { TRACE_SAMPLERS, type TracingConfig } from './tracing-types.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log.js';

const PORT_RANGE = 'expected a port number from 0 to 65535';
const port = z.coerce.number({ message: PORT_RANGE }).int({ message: PORT_RANGE }).min(0, { message: PORT_RANGE }).max(65_535, { message: PORT_RANGE });
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => ['true', '1', 'yes'].includes(v));
const positiveInt = z.coerce
  .number({ message: 'expected a positive integer' })
  .int({ message: 'expected a positive integer' })
  .positive({ message: 'expected a positive integer' });
const ms = z.coerce.number({ message: 'expected milliseconds' }).int({ message: 'expected milliseconds' }).min(0, { message: 'expected milliseconds' });
const url = (...schemes: string[]) =>
  z.string().refine((value) => schemes.some((scheme) => value.startsWith(`${scheme}://`)), { message: `expected a ${schemes.join(':// or ')}:// URL` });

const limitVariables = Object.fromEntries((Object.keys(DEFAULT_LIMITS) as LimitName[]).map((name) => [limitConstant(name), positiveInt.optional()]));

const environment = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  NODE_ENV: z.string().optional(),
  GRAPHIQL: flag.optional(),
  CONSOLE: flag.optional(),
  INTROSPECTION: flag.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  RETENTION_DAYS: z.coerce.number({ message: 'expected a number of days' }).positive({ message: 'expected a positive number of days' }).optional(),
  REDIS_URL: url('redis', 'rediss').optional(),
  MONGODB_URI: url('mongodb', 'mongodb+srv').optional(),
  MONGODB_DB: z.string().regex(/^[^/\\. "$*<>:|?]{1,63}$/, { message: 'expected a MongoDB database name' }).default('parley'),
  SUBSCRIPTION_BUFFER: positiveInt.default(1000),
  WS_KEEPALIVE_MS: ms.default(12_000),
  WS_INIT_TIMEOUT_MS: positiveInt.default(3000),
  SHUTDOWN_TIMEOUT_MS: ms.default(10_000),
  STORAGE_TIMEOUT_MS: positiveInt.default(5000),
  AUTH_MODE: z.enum(AUTH_MODES).default('none'),
  API_KEYS: z.string().optional(),
  API_KEYS_FILE: z.string().optional(),
  JWT_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  JWT_JWKS_URL: url('https', 'http').optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  JWT_ADMIN_CLAIM: z.string().default('parley_admin'),
  CORS_ORIGINS: z.string().optional(),
  ALLOWED_HOSTS: z.string().optional(),
  MAX_BODY_BYTES: positiveInt.default(8 * 1024 * 1024),
  MAX_QUERY_DEPTH: positiveInt.default(12),
  MAX_ALIASES: positiveInt.default(30),
  MAX_DIRECTIVES: positiveInt.default(20),
  MAX_TOKENS: positiveInt.default(5000),
  MAX_QUERY_COST: positiveInt.default(50_000),
  MODEL_PROVIDER: z.enum(['none', 'echo', 'openai-compatible']).optional(),
  OPENAI_BASE_URL: url('https', 'http').optional(),
  OPENAI_API_KEY: z.string().optional(),
  DEFAULT_MODEL: z.string().min(1).optional(),
  MODEL_ALIASES: z.string().optional(),
  ECHO_DELAY_MS: ms.default(30),
  RUN_LEASE_MS: z.coerce.number({ message: 'expected milliseconds' }).int({ message: 'expected milliseconds' }).min(100, { message: 'expected at least 100 milliseconds' }).default(15_000),
  RUN_EVENTS_RETAIN_MS: positiveInt.default(600_000),
  PROMPT_MAX_MESSAGES: positiveInt.default(200),
  PROMPT_MAX_TOKENS: positiveInt.default(16_000),
  METRICS: flag.optional(),
  METRICS_TOKEN: z.string().min(16, { message: 'expected at least 16 characters' }).optional(),
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  OTEL_SDK_DISABLED: flag.optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url('https', 'http').optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url('https', 'http').optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('parley'),
  OTEL_TRACES_SAMPLER: z.enum(TRACE_SAMPLERS, { message: `expected one of ${TRACE_SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.string().optional(),
  LEAN_HTTP: flag.default(true),
  ...limitVariables,
});

/** Which model provider runs use, and how to reach it (see the README's Runs section). */
export type ModelConfig =
  | { provider: 'none' }
  | { provider: 'echo'; delayMs: number }
  | { provider: 'openai-compatible'; baseURL: string; apiKey: string | null; defaultModel: string | null; aliases: Record<string, string> };

export interface RunConfig {
  model: ModelConfig;
  leaseMs: number;
  retainEventsMs: number;
  window: { maxMessages: number; maxTokens: number };
}

export interface Config {
  port: number;
  host: string;
  /** Serve GraphiQL to browsers; on unless NODE_ENV=production. */
  graphiql: boolean;
  /** Serve the Parley Console (the web UI) at /console; on unless NODE_ENV=production. */
  console: boolean;
  /** Answer introspection queries; on unless NODE_ENV=production. */
  introspection: boolean;
  logLevel: LogLevel;
  /** `json` or `pretty`; null: pretty when stdout is a terminal, JSON otherwise. */
  logFormat: LogFormat | null;
  retentionDays: number | null;
  shutdownTimeoutMs: number;
  /** A storage call that takes longer fails (masked) instead of holding the request. */
  storageTimeoutMs: number;
  /** Redis URL for events shared between instances; in-process events when null. */
  redisUrl: string | null;
  /** MongoDB connection string: storage in MongoDB; in memory when null. */
  mongodbUri: string | null;
  mongodbDb: string;
  /** Undelivered events a subscriber may fall behind by before it is cut off. */
  subscriptionBuffer: number;
  /** WebSocket ping interval (0: no pings). */
  wsKeepAliveMs: number;
  /** How long a WebSocket may wait before sending connection_init. */
  wsInitTimeoutMs: number;
  auth: AuthConfig;
  /** Origins allowed to call from a browser: null for same-origin only, ['*'] for any. */
  corsOrigins: string[] | null;
  /**
   * Host names the server answers, besides loopback ones (ALLOWED_HOSTS); null for any. Unset, a
   * server on a loopback HOST answers loopback names only (DNS rebinding), any other server any name.
   */
  allowedHosts: string[] | null;
  maxBodyBytes: number;
  armor: ArmorLimits;
  limits: Partial<Limits>;
  runs: RunConfig;
  /**
   * Prometheus metrics at /metrics: on by default where no one else can read them (a loopback
   * HOST, a METRICS_PORT of their own, or behind METRICS_TOKEN); off when HOST is public and
   * nothing guards them, unless METRICS=true.
   */
  metrics: MetricsConfig;
  /** OpenTelemetry traces, exported over OTLP/HTTP: on when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (and OTEL_SDK_DISABLED is not true); null otherwise. */
  tracing: TracingConfig | null;
  /** Plain JSON POSTs answered straight from node:http, through the hooks that act on them (src/server/lean-http.ts): LEAN_HTTP, on by default (1.2 x the throughput of yoga's path on S1; see the README's Performance). */
  leanHttp: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = z.output<typeof environment> & Record<string, number | undefined>;

/** Variables whose values are never printed. */
const SECRETS = new Set(['JWT_SECRET', 'API_KEYS', 'OPENAI_API_KEY', 'METRICS_TOKEN', 'OTEL_EXPORTER_OTLP_HEADERS']);
/** Variables that may hold a password or a token: printed through redactUrl. */
const ADDRESSES = new Set(['REDIS_URL', 'MONGODB_URI', 'JWT_JWKS_URL', 'OPENAI_BASE_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);

/** A variable and its value as a problem names them: a secret by its length only, an address without credentials. */
function shown(name: string, value: string): string {
  if (SECRETS.has(name)) return `${name} (${value.length} characters)`;
  return `${name}=${JSON.stringify(ADDRESSES.has(name) ? redactUrl(value) : value)}`;
}

/** The problems found so far, and the variables they are about. */
class Problems {
  readonly lines: string[] = [];
  readonly names = new Set<string>();
  add(names: string[], line: string): void {
    for (const name of names) this.names.add(name);
    this.lines.push(line);
  }
  has(...names: string[]): boolean {
    return names.some((name) => this.names.has(name));
  }
}

/** Reads the configuration from environment variables. Throws one ConfigError naming every bad variable, and no secret. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')) as Record<string, string>;
  const problems = new Problems();
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      if (!problems.has(name)) problems.add([name], `${shown(name, present[name] ?? '')}: ${issue.message}`);
    }
  }
  // Without the bad variables (their defaults instead), so that the checks that come after still run.
  const e = (parsed.success ? parsed.data : environment.parse(Object.fromEntries(Object.entries(present).filter(([name]) => !problems.has(name))))) as Env;
  const development = e.NODE_ENV !== 'production';
  const auth = authConfig(e, problems);
  const limits = limitsOf(e, problems);
  const model = modelOf(e, problems);
  const tracing = tracingOf(e, problems);
  if (problems.lines.length > 0) throw new ConfigError(`Invalid environment: ${problems.lines.join('; ')}`);
  return {
    port: e.PORT,
    host: e.HOST,
    graphiql: e.GRAPHIQL ?? development,
    console: e.CONSOLE ?? development,
    introspection: e.INTROSPECTION ?? development,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? null,
    retentionDays: e.RETENTION_DAYS ?? null,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    storageTimeoutMs: e.STORAGE_TIMEOUT_MS,
    redisUrl: e.REDIS_URL ?? null,
    mongodbUri: e.MONGODB_URI ?? null,
    mongodbDb: e.MONGODB_DB,
    subscriptionBuffer: e.SUBSCRIPTION_BUFFER,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    wsInitTimeoutMs: e.WS_INIT_TIMEOUT_MS,
    auth,
    corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean) : null,
    allowedHosts: allowedHostsOf(e.ALLOWED_HOSTS, e.HOST),
    maxBodyBytes: e.MAX_BODY_BYTES,
    armor: { depth: e.MAX_QUERY_DEPTH, aliases: e.MAX_ALIASES, directives: e.MAX_DIRECTIVES, tokens: e.MAX_TOKENS, cost: e.MAX_QUERY_COST },
    limits,
    runs: {
      model,
      leaseMs: e.RUN_LEASE_MS,
      retainEventsMs: e.RUN_EVENTS_RETAIN_MS,
      window: { maxMessages: e.PROMPT_MAX_MESSAGES, maxTokens: e.PROMPT_MAX_TOKENS },
    },
    metrics: {
      enabled: e.METRICS ?? (isLoopback(e.HOST) || e.METRICS_TOKEN !== undefined || e.METRICS_PORT !== undefined),
      token: e.METRICS_TOKEN ?? null,
      port: e.METRICS_PORT ?? null,
      host: e.METRICS_HOST,
    },
    tracing,
    leanHttp: e.LEAN_HTTP,
  };
}

/** ALLOWED_HOSTS as a list ('*': any, null), or what HOST implies when it is unset. */
function allowedHostsOf(variable: string | undefined, host: string): string[] | null {
  if (variable === undefined) return isLoopback(host) ? [] : null;
  const names = variable.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  return names.includes('*') ? null : names;
}

/** Whether only this machine can reach an address: localhost, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** The OpenTelemetry variables, read as the OTLP exporter specification defines them (traces, over HTTP). */
function tracingOf(e: Env, problems: Problems): TracingConfig | null {
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (e.OTEL_SDK_DISABLED || (!base && !e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)) return null;
  // The signal's own endpoint is used as it is; the base one gets the traces path.
  const url = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${base!.replace(/\/+$/, '')}/v1/traces`;
  const headers: Record<string, string> = {};
  for (const pair of (e.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    const name = at > 0 ? safeDecode(pair.slice(0, at).trim()) : null;
    const value = at > 0 ? safeDecode(pair.slice(at + 1).trim()) : null;
    if (!name || value === null) {
      // Never quoted: such headers carry API keys.
      problems.add(['OTEL_EXPORTER_OTLP_HEADERS'], 'OTEL_EXPORTER_OTLP_HEADERS: expected comma-separated name=value pairs (values URL-encoded)');
      return null;
    }
    headers[name] = value;
  }
  return { url, serviceName: e.OTEL_SERVICE_NAME, headers, sampler: { name: e.OTEL_TRACES_SAMPLER, ratio: samplerRatio(e, problems) } };
}

/** OTEL_TRACES_SAMPLER_ARG, the probability the ratio samplers keep a trace with (1 by default); other samplers take no argument. */
function samplerRatio(e: Env, problems: Problems): number {
  const arg = e.OTEL_TRACES_SAMPLER_ARG;
  if (arg === undefined || !e.OTEL_TRACES_SAMPLER.endsWith('traceidratio')) return 1;
  const ratio = arg.trim() === '' ? Number.NaN : Number(arg);
  if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
  problems.add(['OTEL_TRACES_SAMPLER_ARG'], `${shown('OTEL_TRACES_SAMPLER_ARG', arg)}: expected the probability ${e.OTEL_TRACES_SAMPLER} keeps a trace with, a number from 0 to 1`);
  return 1;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function modelOf(e: Env, problems: Problems): ModelConfig {
  const provider = e.MODEL_PROVIDER ?? (e.OPENAI_BASE_URL ? 'openai-compatible' : 'none');
  if (provider === 'none') return { provider };
  if (provider === 'echo') return { provider, delayMs: e.ECHO_DELAY_MS };
  if (!e.OPENAI_BASE_URL) {
    if (!problems.has('MODEL_PROVIDER', 'OPENAI_BASE_URL')) {
      problems.add(['OPENAI_BASE_URL'], 'MODEL_PROVIDER=openai-compatible needs OPENAI_BASE_URL (the endpoint up to /v1, such as http://127.0.0.1:11434/v1)');
    }
    return { provider: 'none' };
  }
  let aliases: Record<string, string> = {};
  if (e.MODEL_ALIASES) {
    const parsed = z.record(z.string(), z.string().min(1)).safeParse(safeJson(e.MODEL_ALIASES));
    if (parsed.success) aliases = parsed.data;
    else problems.add(['MODEL_ALIASES'], `${shown('MODEL_ALIASES', e.MODEL_ALIASES)}: expected a JSON object of model names, such as {"fast":"gpt-4o-mini"}`);
  }
  return { provider, baseURL: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY ?? null, defaultModel: e.DEFAULT_MODEL ?? null, aliases };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function limitsOf(e: Env, problems: Problems): Partial<Limits> {
  const limits: Partial<Limits> = {};
  for (const name of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
    const value = e[limitConstant(name)];
    if (value !== undefined) limits[name] = value;
  }
  try {
    resolveLimits(limits);
  } catch (error) {
    problems.add([], (error as Error).message);
  }
  return limits;
}

function authConfig(e: Env, problems: Problems): AuthConfig {
  const jwt = {
    secret: e.JWT_SECRET ?? null,
    jwksUrl: e.JWT_JWKS_URL ?? null,
    issuer: e.JWT_ISSUER ?? null,
    audience: e.JWT_AUDIENCE ?? null,
    adminClaim: e.JWT_ADMIN_CLAIM,
  };
  const apiKeys = [...(e.API_KEYS ? parseKeyList(e.API_KEYS, problems) : []), ...(e.API_KEYS_FILE ? readKeyFile(e.API_KEYS_FILE, problems) : [])];
  // A mode's needs are checked only when what it needs was not already found bad.
  if (e.AUTH_MODE === 'apikey' && apiKeys.length === 0 && !problems.has('API_KEYS', 'API_KEYS_FILE')) {
    problems.add(['AUTH_MODE'], 'AUTH_MODE=apikey needs API_KEYS or API_KEYS_FILE');
  }
  if (e.AUTH_MODE === 'jwt' && !jwt.secret === !jwt.jwksUrl && !problems.has('JWT_SECRET', 'JWT_JWKS_URL')) {
    problems.add(['AUTH_MODE'], 'AUTH_MODE=jwt needs exactly one of JWT_SECRET and JWT_JWKS_URL');
  }
  return { mode: e.AUTH_MODE, apiKeys, jwt };
}

/** API_KEYS: comma-separated `ownerId:key` entries, `ownerId:key:admin` for an admin. A bad entry is named by its position, never quoted. */
function parseKeyList(list: string, problems: Problems): ApiKey[] {
  const keys: ApiKey[] = [];
  const bad: number[] = [];
  list.split(',').forEach((entry, index) => {
    const [ownerId, key, role, ...rest] = entry.trim().split(':');
    if (!ownerId || !key || rest.length > 0 || (role !== undefined && role !== 'admin')) bad.push(index + 1);
    else keys.push({ ownerId, key, admin: role === 'admin' });
  });
  if (bad.length > 0) problems.add(['API_KEYS'], `API_KEYS: expected comma-separated entries ownerId:key or ownerId:key:admin (${bad.length === 1 ? `entry ${bad[0]} is` : `entries ${bad.join(', ')} are`} not)`);
  return keys;
}

const keyFile = z.array(z.strictObject({ key: z.string().min(16), ownerId: z.string().min(1), admin: z.boolean().default(false) }));

/** API_KEYS_FILE: a JSON array of {"key", "ownerId", "admin"?}. Nothing of its content is quoted: it holds keys. */
function readKeyFile(path: string, problems: Problems): ApiKey[] {
  const bad = (why: string) => {
    problems.add(['API_KEYS_FILE'], `API_KEYS_FILE=${JSON.stringify(path)}: ${why}`);
    return [];
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return bad(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the error, keys included: not repeated here.
    return bad('is not valid JSON');
  }
  const keys = keyFile.safeParse(content);
  if (!keys.success) return bad('expected a JSON array of {"key" (16+ characters), "ownerId", "admin"?}');
  return keys.data;
}
