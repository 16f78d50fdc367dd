import { pino, type DestinationStream } from 'pino';
import { build as prettyStream } from 'pino-pretty';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json`: one JSON object per line, for a log pipeline; `pretty`: coloured text for a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The logger of a process, which writes its lines asynchronously: flush() before it exits. Lines
 * logged once flush() has begun are dropped: the process is exiting, and what it says last is
 * what it said before (a failed start is one line, not that line and the connections finishing).
 */
export interface ProcessLogger extends Logger {
  /** Resolves once every line logged so far is written (or after a second, whatever is left). */
  flush(): Promise<void>;
}

export interface LoggerOptions {
  /** Lines below it are dropped; `info` by default. */
  level?: LogLevel | undefined;
  /** `pretty` when stdout is a terminal, `json` otherwise, by default. */
  format?: LogFormat | undefined;
  /** Where the lines go: stdout by default. Each write is one line, JSON in both formats but pretty. */
  destination?: DestinationStream | undefined;
}

/** Longest string a field keeps (a stack keeps STACK_MAX), the rest replaced by `…`. */
export const VALUE_MAX = 1000;
const STACK_MAX = 4000;
const ITEMS_MAX = 20;
const DEPTH_MAX = 4;

/** Fields that carry credentials are never written, whatever their value; neither is a JWT anywhere. */
const SECRET_KEY = /^(?:authorization|proxy-authorization|x-api-key|api[-_]?keys?|(?:access|refresh|id|bearer|auth)?[-_]?token|secret|\w*[-_]secret|jwt|password|passwd|cookie|set-cookie|credentials?)$/i;
const JWT = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
export const REDACTED = '[redacted]';

/**
 * The logger every part of Parley writes to: pino, one line per event with `level` (its name),
 * `time` (ISO 8601), `msg` and the fields. Before pino sees them, fields are made safe to ship:
 * errors become `{ type, message, code, stack }` (the stack only at `error`, where it is the
 * cause an operator needs), credentials are redacted, long values are cut.
 */
export function createLogger({ level = 'info', format, destination }: LoggerOptions = {}): ProcessLogger {
  const pretty = (format ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';
  const options = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // pino-pretty reads pino's numeric levels; a log pipeline reads names more easily.
    ...(pretty ? {} : { formatters: { level: (label: string) => ({ level: label }) } }),
  };
  // JSON lines are written without blocking: a synchronous write per request took a quarter of
  // the time of a small request. A line still being written at process.exit() may be lost: flush().
  const out = pretty ? prettyStream({ destination: destination ?? 1, sync: true, colorize: !destination && process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : (destination ?? pino.destination({ dest: 1, sync: false }));
  const base = pino(options, out);
  let exiting = false;
  const at = (lvl: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (exiting || !base.isLevelEnabled(lvl)) return;
    const msg = cut(scrub(message), VALUE_MAX);
    if (fields === undefined) base[lvl](msg);
    else base[lvl](safe(fields, lvl === 'error', 0) as object, msg);
  };
  // Before the process exits: sonic-boom's flush(cb) calls back at once (its minLength is 0) even
  // with a write still in flight, and flushSync() writes only what is queued behind that write.
  // So: wait (at most a second) for the write in flight, then write the rest synchronously. The
  // stop's last lines were lost under load before.
  const flush = async () => {
    exiting = true;
    const stream = out as { _writing?: boolean; flushSync?: () => void };
    const until = Date.now() + 1000;
    while (stream._writing === true && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    try {
      stream.flushSync?.();
    } catch {
      // Not open yet, or gone: nothing more can be written.
    }
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), flush };
}

function safe(value: unknown, withStack: boolean, depth: number, key = ''): unknown {
  if (key && SECRET_KEY.test(key) && value != null) return REDACTED;
  if (typeof value === 'string') return cut(scrub(value), VALUE_MAX);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (depth >= DEPTH_MAX) return '[…]';
  if (value instanceof Error) return errorFields(value, withStack, depth);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, ITEMS_MAX).map((item) => safe(item, withStack, depth + 1));
    return value.length > ITEMS_MAX ? [...items, `…(${value.length - ITEMS_MAX} more)`] : items;
  }
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, ITEMS_MAX)) if (v !== undefined) fields[k] = safe(v, withStack, depth + 1, k);
  return fields;
}

function errorFields(error: Error, withStack: boolean, depth: number): Record<string, unknown> {
  const message = cut(scrub(error.message), VALUE_MAX);
  const fields: Record<string, unknown> = { type: error.name, message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') fields.code = code;
  if (withStack && error.stack) {
    // A stack starts with the message: cut there too, so that a long message leaves room for the frames.
    const head = `${error.name}: ${error.message}`;
    const stack = error.stack.startsWith(head) ? `${error.name}: ${message}${error.stack.slice(head.length)}` : error.stack;
    fields.stack = cut(scrub(stack), STACK_MAX);
  }
  if (error.cause !== undefined) fields.cause = safe(error.cause, withStack, depth + 1);
  return fields;
}

const scrub = (text: string) => (text.includes('eyJ') ? text.replace(JWT, REDACTED) : text);

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
