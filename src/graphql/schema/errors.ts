import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ParleyError,
  ValidationError,
  type LimitViolation,
  type Path,
  type Problem,
} from '../../core/errors.js';
import { MODEL_ERROR_CODES, ModelError } from '../../core/provider.js';
import { DEFAULT_LIMITS, limitConstant, type LimitName } from '../../core/limits.js';
import { builder } from '../builder.js';

export const ErrorInterface = builder.interfaceRef<ParleyError>('Error').implement({
  description: 'An expected failure. Every result union of an operation lists the ones it can return.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

export const LimitNameEnum = builder.enumType('LimitName', {
  description: 'A configurable limit (see the configuration table of the README).',
  values: Object.fromEntries(
    (Object.keys(DEFAULT_LIMITS) as LimitName[]).map((name) => [limitConstant(name), { value: name }]),
  ) as Record<string, { value: LimitName }>,
});

const pathField = (path: Path) => path.map(String);

const ProblemRef = builder.objectRef<Problem>('Problem').implement({
  description: 'One thing wrong with the input.',
  fields: (t) => ({
    path: t.stringList({
      description: 'Where, starting from the argument name: ["input", "messages", "2", "role"].',
      resolve: (p) => pathField(p.path),
    }),
    message: t.exposeString('message'),
    limit: t.field({ type: LimitNameEnum, nullable: true, description: 'The limit exceeded, if that is the problem.', resolve: (p) => p.limit ?? null }),
  }),
});

const LimitViolationRef = builder.objectRef<LimitViolation>('LimitViolation').implement({
  fields: (t) => ({
    limit: t.field({ type: LimitNameEnum, resolve: (v) => v.limit }),
    max: t.exposeInt('max'),
    actual: t.exposeInt('actual', { nullable: true, description: 'The size asked for, where known.' }),
    path: t.stringList({ resolve: (v) => pathField(v.path) }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The session or user does not exist (or is not yours to see).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entity: t.exposeString('entity', { description: '"Session" or "User".' }),
    entityId: t.exposeID('id', { description: 'The id asked for, of the session or user that was not found.' }),
    id: t.exposeID('id', {
      deprecationReason:
        'Use entityId. An error has no identity: normalized caches key objects by __typename and id, so a session and a user not found under one id became one cached object.',
    }),
  }),
});

const ConflictReasonEnum = builder.enumType('ConflictReason', {
  values: {
    ID_TAKEN: { description: 'The id asked for is already in use.' },
    VERSION_MISMATCH: { description: 'The session changed since the version given in expectedVersion.' },
    SEQ_MISMATCH: { description: 'Messages were appended since the seq given in expectedSeq.' },
    RUN_ACTIVE: { description: 'The session already has a run in progress, and the strategy is REJECT: wait for it, cancel it, or ask for ENQUEUE or INTERRUPT.' },
  } as const,
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The write lost a race or reuses an id: read again, then retry.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.field({ type: ConflictReasonEnum, resolve: (e) => e.reason }),
    expected: t.exposeInt('expected', { nullable: true }),
    actual: t.exposeInt('actual', { nullable: true, description: 'What is stored now.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input is malformed. Every problem is listed; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [ProblemRef], resolve: (e) => e.problems }) }),
});

builder.objectType(LimitExceededError, {
  name: 'LimitExceededError',
  description: 'The input is well-formed but exceeds configured limits (each one is listed); nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    limit: t.field({ type: LimitNameEnum, description: 'The first limit exceeded.', resolve: (e) => e.limit }),
    violations: t.field({ type: [LimitViolationRef], resolve: (e) => e.violations }),
  }),
});

/** The failures of any operation that validates its input. */
export const INPUT_ERRORS = [ValidationError, LimitExceededError];

const ModelErrorCodeEnum = builder.enumType('ModelErrorCode', { values: MODEL_ERROR_CODES });

builder.objectType(ModelError, {
  name: 'ModelError',
  description: 'The model did not answer (summaries and simulated turns; runs record theirs in Run.error).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.field({ type: ModelErrorCodeEnum, resolve: (e) => e.reason }),
    retryable: t.exposeBoolean('retryable', { description: 'Whether the same call may succeed later.' }),
  }),
});
