import { InvalidArgumentError } from 'commander';

/** A positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number from 1');
  return n;
}

/**
 * A repeatable `--meta key=value`, collected into an object. A value that reads as a JSON number,
 * boolean or null is sent as one (`priority=2`), anything else as a string.
 */
export function collectMeta(pair: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const at = pair.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value');
  const raw = pair.slice(at + 1);
  let value: unknown = raw;
  if (/^(?:-?\d+(?:\.\d+)?|true|false|null)$/.test(raw)) value = JSON.parse(raw);
  return { ...previous, [pair.slice(0, at)]: value };
}

export interface FilterOptions {
  owner?: string;
  meta?: Record<string, unknown>;
  title?: string;
}

/** The SessionFilter for --owner, --meta and --title. */
export function sessionFilter({ owner, meta, title }: FilterOptions) {
  return { ...(owner && { ownerId: owner }), ...(meta && { metadata: meta }), ...(title && { titleContains: title }) };
}

/** Examples at the end of a command's --help. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`;
