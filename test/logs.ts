import { createLogger, type LogLevel, type Logger } from '../src/log.js';

/** One line as the JSON format writes it. */
export type LogLine = { level: LogLevel; time: string; msg: string } & Record<string, unknown>;

/**
 * A logger writing JSON lines, as a production Parley does, into `lines` (each parsed: a line
 * that is not one JSON object fails the test there) and `text` (as written); `each` sees every
 * line as it comes.
 */
export function captureLogs(level: LogLevel = 'debug', each?: (line: LogLine, text: string) => void): { logger: Logger; lines: LogLine[]; text: string[] } {
  const lines: LogLine[] = [];
  const text: string[] = [];
  const logger = createLogger({
    level,
    format: 'json',
    destination: {
      write(chunk: string) {
        for (const line of chunk.split('\n').filter(Boolean)) {
          const parsed = JSON.parse(line) as LogLine;
          text.push(line);
          lines.push(parsed);
          each?.(parsed, line);
        }
      },
    },
  });
  return { logger, lines, text };
}

/**
 * For the suites about other lines: `lines` holds each line's level and text, but the per-request
 * access lines (`request`, checked by test/logs.test.ts).
 */
export function captureLogsButRequests(level: LogLevel = 'debug'): { logger: Logger; lines: { level: string; line: string }[] } {
  const lines: { level: string; line: string }[] = [];
  const { logger } = captureLogs(level, (parsed, line) => {
    if (parsed.msg !== 'request') lines.push({ level: parsed.level, line });
  });
  return { logger, lines };
}

/** The lines a Parley process wrote (JSON, as it writes when its output is not a terminal), parsed: one that is not JSON throws. */
export function parseLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/** Whether one of the lines has this level and a message matching. */
export const hasLine = (output: string, level: LogLevel, msg: RegExp) => parseLines(output).some((l) => l.level === level && msg.test(l.msg));
