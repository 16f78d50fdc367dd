import type { z } from 'zod';
import { LimitExceededError, ValidationError, type LimitViolation, type Path, type Problem } from './errors.js';
import type { LimitName } from './limits.js';

/**
 * Parses input with a schema. On failure throws a LimitExceededError when every problem is a
 * configured limit, otherwise a ValidationError listing every problem (limits included).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw errorFromIssues(result.error.issues);
}

export function errorFromIssues(issues: readonly z.core.$ZodIssue[]): ValidationError | LimitExceededError {
  const problems = issues.flatMap(toProblems);
  return errorFromProblems(problems);
}

export function errorFromProblems(problems: (Problem & { max?: number; actual?: number | null })[]): ValidationError | LimitExceededError {
  const violations = problems.flatMap((p): LimitViolation[] =>
    p.limit !== undefined && p.max !== undefined ? [{ limit: p.limit, max: p.max, actual: p.actual ?? null, path: p.path, message: p.message }] : [],
  );
  const [first, ...rest] = violations;
  if (first && violations.length === problems.length) return new LimitExceededError([first, ...rest]);
  return new ValidationError(problems.map(({ path, message, limit }) => (limit ? { path, message, limit } : { path, message })));
}

function toProblems(issue: z.core.$ZodIssue): (Problem & { max?: number; actual?: number | null })[] {
  const path: Path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: 'Unknown field' }));
  }
  if (issue.code === 'custom' && issue.params && typeof issue.params.limit === 'string') {
    const params = issue.params as { limit: LimitName; max?: number; actual?: number };
    return [{ path, message: issue.message, limit: params.limit, ...(params.max !== undefined && { max: params.max }), actual: params.actual ?? null }];
  }
  return [{ path, message: issue.message }];
}
