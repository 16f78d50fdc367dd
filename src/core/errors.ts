import type { LimitName } from './limits.js';

export type ErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED' | 'LIMIT_EXCEEDED' | 'EVENT_BUS_UNAVAILABLE' | 'MODEL_ERROR';

/** The expected failures of Parley: each one is typed in the API; anything else is a bug. */
export abstract class ParleyError extends Error {
  abstract readonly code: ErrorCode;
}

export type EntityKind = 'Session' | 'User' | 'Run';

export class NotFoundError extends ParleyError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: EntityKind,
    readonly id: string,
  ) {
    super(`${entity} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}

/** RUN_ACTIVE: the session already has a run, and the strategy is REJECT. */
export type ConflictReason = 'ID_TAKEN' | 'VERSION_MISMATCH' | 'SEQ_MISMATCH' | 'RUN_ACTIVE';

export class ConflictError extends ParleyError {
  readonly code = 'CONFLICT';
  constructor(
    readonly reason: ConflictReason,
    message: string,
    /** What the caller expected and what is stored, for VERSION_MISMATCH and SEQ_MISMATCH. */
    readonly expected: number | null = null,
    readonly actual: number | null = null,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

export function versionConflict(expected: number, actual: number): ConflictError {
  return new ConflictError('VERSION_MISMATCH', `Expected version ${expected}, but the session is at version ${actual}`, expected, actual);
}

export function seqConflict(expected: number, actual: number): ConflictError {
  return new ConflictError('SEQ_MISMATCH', `Expected the last seq to be ${expected}, but it is ${actual}`, expected, actual);
}

export function idTaken(entity: EntityKind, id: string): ConflictError {
  return new ConflictError('ID_TAKEN', `${entity} ${id} already exists`);
}

export function sessionFull(max: number, actual: number): LimitExceededError {
  return new LimitExceededError([
    {
      limit: 'maxMessagesPerSession',
      max,
      actual,
      path: ['messages'],
      message: `The session would hold ${actual} messages; at most ${max} are allowed`,
    },
  ]);
}

export type Path = (string | number)[];

export interface Problem {
  /** Where the problem is, from the root of the input: ['messages', 2, 'role']. */
  path: Path;
  message: string;
  /** The configured limit that this input exceeds, when that is the problem. */
  limit?: LimitName | undefined;
}

/** The input is malformed. Lists every problem found, and nothing was written. */
export class ValidationError extends ParleyError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly problems: Problem[]) {
    super(`Invalid input: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'ValidationError';
  }
}

export interface LimitViolation {
  limit: LimitName;
  max: number;
  /** The size that was asked for, where it is known. */
  actual: number | null;
  path: Path;
  message: string;
}

/** The input is well-formed but exceeds configured limits (all of them are listed). */
export class LimitExceededError extends ParleyError {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(readonly violations: [LimitViolation, ...LimitViolation[]]) {
    super(`Limit exceeded: ${violations.map(formatProblem).join('; ')}`);
    this.name = 'LimitExceededError';
  }

  /** The first limit exceeded. */
  get limit(): LimitName {
    return this.violations[0].limit;
  }
}

/** `$.messages[2].role`: the JSONPath spelling of a problem's location. */
export function jsonPath(path: Path): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === 'number'
        ? `${acc}[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? `${acc}.${part}`
          : `${acc}[${JSON.stringify(part)}]`,
    '$',
  );
}

function formatProblem(problem: { path: Path; message: string }): string {
  return `${jsonPath(problem.path)}: ${problem.message}`;
}

/** The same error with every problem's path rewritten by `map`; other errors as they are. */
function mapPaths(error: unknown, map: (path: Path) => Path): unknown {
  if (error instanceof ValidationError) return new ValidationError(error.problems.map((p) => ({ ...p, path: map(p.path) })));
  if (error instanceof LimitExceededError) {
    const [first, ...rest] = error.violations.map((v) => ({ ...v, path: map(v.path) }));
    return new LimitExceededError([first as LimitViolation, ...rest]);
  }
  return error;
}

/** For an input nested in a larger one: every path gets the prefix. */
export function withPathPrefix(error: unknown, prefix: Path): unknown {
  return mapPaths(error, (path) => [...prefix, ...path]);
}

/** Paths starting with `from` start with `to` instead. */
export function renamePath(error: unknown, from: Path, to: Path): unknown {
  return mapPaths(error, (path) => (from.every((part, i) => path[i] === part) ? [...to, ...path.slice(from.length)] : path));
}

/**
 * Live events cannot be followed right now (the event bus has lost its broker): a subscription
 * is refused rather than left waiting. Retry later; nothing was changed.
 */
export class EventBusUnavailableError extends ParleyError {
  readonly code = 'EVENT_BUS_UNAVAILABLE';
  constructor(message = 'Live events are unavailable right now (the event bus is disconnected); retry in a few seconds') {
    super(message);
    this.name = 'EventBusUnavailableError';
  }
}
