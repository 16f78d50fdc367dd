import { z } from 'zod';
import { MAX_INT } from './bounds.js';
import { checkJsonObject, ILL_FORMED, isPlainObject, isWellFormed, type JsonObject, type JsonPrimitive } from './json.js';
import type { LimitName, Limits } from './limits.js';
import { ROLES, RUN_STRATEGIES } from './model.js';

/** Caller-chosen ids are URL- and log-safe: letters, digits and `._:-`, starting with a letter or digit. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Makes a refinement run even when items of the value already failed, so that every problem of an
 * input is reported at once; such refinements must therefore cope with items of any shape.
 */
export const ALWAYS = { when: () => true };

/** Reports each item that repeats the value of `field` of an earlier item, at `prefix.i.field`. */
export function reportRepeats(items: readonly unknown[], field: string, ctx: z.RefinementCtx, prefix: (string | number)[]): void {
  const seen = new Map<unknown, number>();
  items.forEach((item, i) => {
    const value: unknown = item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined;
    if (typeof value !== 'string') return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, i);
    else ctx.addIssue({ code: 'custom', path: [...prefix, i, field], message: `Repeats the ${field} of item ${first}` });
  });
}

/** The building blocks of every input schema, with the configured limits applied. */
export function createFieldSchemas(limits: Limits) {
  const limited = (name: LimitName, what: string) =>
    z.string().superRefine((value, ctx) => {
      if (!isWellFormed(value)) ctx.addIssue({ code: 'custom', message: ILL_FORMED });
      if (value.length > limits[name]) {
        ctx.addIssue({
          code: 'custom',
          message: `${what} is ${value.length} characters long; at most ${limits[name]} are allowed`,
          params: { limit: name, max: limits[name], actual: value.length },
        });
      }
    });

  const jsonObject = (kind: 'metadata' | 'context') => {
    const [bytes, keys]: [LimitName, LimitName] =
      kind === 'metadata' ? ['maxMetadataBytes', 'maxMetadataKeys'] : ['maxContextBytes', 'maxContextKeys'];
    return z.custom<JsonObject>().superRefine((value, ctx) => {
      const problems = checkJsonObject(value, {
        maxDepth: limits.maxJsonDepth,
        maxKeys: { name: keys, max: limits[keys] },
        maxBytes: { name: bytes, max: limits[bytes] },
      });
      for (const problem of problems) {
        ctx.addIssue({
          code: 'custom',
          path: problem.path,
          message: problem.message,
          params: problem.limit ? { limit: problem.limit.name, max: problem.limit.max } : undefined,
        });
      }
    });
  };

  const id = limited('maxIdLength', 'An id').regex(ID_PATTERN, {
    message: 'An id starts with a letter or digit and holds only letters, digits and . _ : -',
  });
  const ref = z.string().min(1, { message: 'Must not be empty' });
  const role = z.enum(ROLES);
  const pageSize = z
    .number()
    .int()
    .min(0, { message: 'A page size cannot be negative' })
    .superRefine((value, ctx) => {
      if (value > limits.maxPageSize) {
        ctx.addIssue({
          code: 'custom',
          message: `A page holds at most ${limits.maxPageSize} items`,
          params: { limit: 'maxPageSize', max: limits.maxPageSize, actual: value },
        });
      }
    });
  /** An integer that a GraphQL Int can return. */
  const int = (min: number, max = MAX_INT) =>
    z
      .number()
      .int()
      .min(min, { message: `Must be at least ${min}` })
      .max(max, { message: `Must be at most ${max}` });
  const seq = int(0);

  const message = z.strictObject({
    role,
    content: limited('maxContentLength', 'Content'),
    name: limited('maxNameLength', 'A name').nullish(),
    metadata: jsonObject('metadata').nullish(),
    clientId: limited('maxIdLength', 'A clientId').min(1).nullish(),
  });

  return { limited, jsonObject, id, ref, role, pageSize, int, seq, message };
}

/**
 * zod schemas for every input of the session service, built from the configured limits. They are the
 * only description of what valid input is: the GraphQL layer validates with these same schemas.
 */
export function createInputSchemas(limits: Limits) {
  const { limited, jsonObject, id, ref, role, pageSize, int, seq, message } = createFieldSchemas(limits);

  const batch = (min: number) =>
    z
      .array(message)
      .min(min, { message: `At least ${min} message is required` })
      .superRefine((messages, ctx) => {
        if (messages.length > limits.maxBatchSize) {
          ctx.addIssue({
            code: 'custom',
            message: `${messages.length} messages in one call; at most ${limits.maxBatchSize} are allowed`,
            params: { limit: 'maxBatchSize', max: limits.maxBatchSize, actual: messages.length },
          });
        }
        reportRepeats(messages, 'clientId', ctx, []);
      }, ALWAYS);

  const settings = {
    title: limited('maxTitleLength', 'A title').nullish(),
    model: limited('maxNameLength', 'A model name').nullish(),
    systemPrompt: limited('maxContentLength', 'A system prompt').nullish(),
    context: jsonObject('context').nullish(),
    metadata: jsonObject('metadata').nullish(),
    personaId: ref.nullish(),
  };

  // A custom check rather than z.record, which would drop a "__proto__" key (and so the criterion).
  const metadataFilter = z
    .custom<JsonObject>()
    .superRefine((filter, ctx) => {
      if (!isPlainObject(filter)) return void ctx.addIssue({ code: 'custom', message: 'Expected an object of metadata keys and values' });
      for (const [key, value] of Object.entries(filter)) {
        const scalar = value === null || ['string', 'boolean'].includes(typeof value) || (typeof value === 'number' && Number.isFinite(value));
        if (!scalar) ctx.addIssue({ code: 'custom', path: [key], message: 'A metadata filter value is a string, a finite number, a boolean or null' });
      }
    })
    .transform((filter) => filter as Record<string, JsonPrimitive>);

  const sessionFilter = z.strictObject({
    ownerId: ref.nullish(),
    metadata: metadataFilter.nullish(),
    titleContains: z.string().max(limits.maxTitleLength).nullish(),
    createdAfter: z.date().nullish(),
    createdBefore: z.date().nullish(),
    updatedAfter: z.date().nullish(),
    updatedBefore: z.date().nullish(),
  });

  const runSettings = {
    model: settings.model,
    maxOutputTokens: int(1).nullish(),
    temperature: z.number().min(0, { message: 'Must be at least 0' }).max(2, { message: 'Must be at most 2' }).nullish(),
    strategy: z.enum(RUN_STRATEGIES).nullish(),
  };

  const newSessionTarget = { newId: id.nullish(), ownerId: ref.nullish(), title: settings.title };

  return {
    message,
    createSession: z.strictObject({ id: id.nullish(), ownerId: ref.nullish(), ...settings, messages: batch(0).nullish() }),
    updateSession: z.strictObject({
      ...settings,
      mode: z.enum(['MERGE', 'REPLACE']).nullish(),
      expectedVersion: int(1).nullish(),
    }),
    appendMessages: z.strictObject({ messages: batch(1), expectedSeq: seq.nullish() }),
    sendMessage: z.strictObject({
      message: message.omit({ role: true }),
      expectedSeq: seq.nullish(),
      run: z.strictObject(runSettings).nullish(),
    }),
    simulateTurns: z.strictObject({
      personaId: ref,
      turns: int(1).superRefine((turns, ctx) => {
        if (turns > limits.maxSimulatedTurns) {
          ctx.addIssue({
            code: 'custom',
            message: `${turns} turns in one call; at most ${limits.maxSimulatedTurns} are allowed`,
            params: { limit: 'maxSimulatedTurns', max: limits.maxSimulatedTurns, actual: turns },
          });
        }
      }),
    }),
    startRun: z.strictObject({ ...runSettings, clientId: limited('maxIdLength', 'A clientId').min(1).nullish() }),
    history: z.strictObject({
      first: pageSize.nullish(),
      after: z.string().nullish(),
      last: pageSize.nullish(),
      before: z.string().nullish(),
      roles: z.array(role).nullish(),
    }),
    listSessions: z.strictObject({
      filter: sessionFilter.nullish(),
      orderBy: z
        .strictObject({ field: z.enum(['UPDATED_AT', 'CREATED_AT']), direction: z.enum(['ASC', 'DESC']).nullish() })
        .nullish(),
      first: pageSize.nullish(),
      after: z.string().nullish(),
    }),
    sessionFilter,
    modelMessages: z.strictObject({ lastN: int(1, limits.maxMessagesPerSession).nullish() }),
    copySession: z.strictObject({ ...newSessionTarget, upToSeq: seq.nullish() }),
    mergeSessions: z.strictObject({
      ids: z
        .array(ref)
        .min(2, { message: 'A merge needs at least 2 sessions' })
        .superRefine((ids, ctx) => {
          if (ids.length > limits.maxMergeSources) {
            ctx.addIssue({
              code: 'custom',
              message: `${ids.length} sessions; at most ${limits.maxMergeSources} can be merged at once`,
              params: { limit: 'maxMergeSources', max: limits.maxMergeSources, actual: ids.length },
            });
          }
          if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'Lists a session twice' });
        }, ALWAYS),
      order: z.enum(['CONCATENATE', 'CHRONOLOGICAL']).nullish(),
      ...newSessionTarget,
    }),
    importSession: z.strictObject({ newId: id.nullish(), ownerId: ref.nullish() }),
    upsertUser: z.strictObject({
      id: id.nullish(),
      name: limited('maxNameLength', 'A name').min(1, { message: 'A name must not be empty' }),
      profile: limited('maxProfileLength', 'A profile').nullish(),
      metadata: jsonObject('metadata').nullish(),
      vector: z
        .array(z.number().refine(Number.isFinite, { message: 'A vector holds finite numbers' }))
        .superRefine((vector, ctx) => {
          if (vector.length > limits.maxVectorLength) {
            ctx.addIssue({
              code: 'custom',
              message: `A vector of ${vector.length} numbers; at most ${limits.maxVectorLength} are allowed`,
              params: { limit: 'maxVectorLength', max: limits.maxVectorLength, actual: vector.length },
            });
          }
        })
        .nullish(),
    }),
    listUsers: z.strictObject({ first: pageSize.nullish(), after: z.string().nullish() }),
  };
}

export type InputSchemas = ReturnType<typeof createInputSchemas>;
export type InputOf<K extends keyof InputSchemas> = z.input<InputSchemas[K]>;
export type ParsedOf<K extends keyof InputSchemas> = z.output<InputSchemas[K]>;
