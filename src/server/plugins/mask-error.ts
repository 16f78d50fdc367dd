import { GraphQLError } from 'graphql';
import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ParleyError,
  ValidationError,
} from '../../core/errors.js';
import { limitConstant } from '../../core/limits.js';

/**
 * What an error is the server's fault for: the thrown value behind it, or null when the error is
 * expected. Expected are Parley's typed errors, GraphQL errors raised on purpose with a code, and
 * errors about the request itself (no field path: variables that do not coerce, a document that
 * does not parse or validate). Anything else is unexpected, whatever its shape: a thrown non-Error, an error without
 * extensions, a GraphQLError raised at a field with no code (a scalar that cannot serialize a
 * value, as graphql-js and graphql-jit report it), with or without an originalError.
 */
export function unexpectedCause(error: unknown): { cause: unknown } | null {
  if (error instanceof ParleyError) return null;
  if (!(error instanceof GraphQLError)) return { cause: error };
  const original: unknown = error.originalError;
  if (original instanceof ParleyError) return null;
  if (original instanceof GraphQLError) {
    if (hasCode(original)) return null;
    return error.path !== undefined || original.path !== undefined ? { cause: original } : null;
  }
  if (original != null) return { cause: original };
  if (hasCode(error)) return null;
  return error.path !== undefined ? { cause: error } : null;
}

const hasCode = (error: GraphQLError) => typeof error.extensions?.code === 'string';

/**
 * Yoga's error masking, kept on: an expected failure that reaches it (from a field with no result
 * union, such as Session.messages) becomes a GraphQL error with a code and its details; an error
 * about the request keeps its message, shortened, and gets a code; anything else becomes "Unexpected error."
 * with code INTERNAL_SERVER_ERROR. useErrorLog logs the cause of those.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const at = error instanceof GraphQLError ? error : undefined;
  const where = { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path };
  const original = at ? at.originalError : error;
  if (original instanceof ParleyError) {
    return new GraphQLError(original.message, { ...where, extensions: { code: original.code, ...details(original) } });
  }
  const unexpected = unexpectedCause(error);
  if (unexpected || !at) {
    const cause = unexpected?.cause;
    const extensions = isDev ? { code: 'INTERNAL_SERVER_ERROR', originalError: describeCause(cause) } : { code: 'INTERNAL_SERVER_ERROR' };
    return new GraphQLError(message, { ...where, extensions });
  }
  const shown = shortened(at.message);
  if (hasCode(at) && shown === at.message) return at;
  return new GraphQLError(shown, { ...where, extensions: { ...at.extensions, code: hasCode(at) ? at.extensions.code : requestErrorCode(at) } });
}

const MESSAGE_MAX = 500;

/**
 * A message about the request, cut so that a client cannot make the answer or the log as large as
 * what it sent: every quoted value (graphql-js quotes the variable values and names it reports)
 * keeps its first 32 characters, and the whole keeps its first 500.
 */
export function shortened(message: string): string {
  const cut = message.replace(/"((?:[^"\\]|\\.){32})(?:[^"\\]|\\.)+"/g, '"$1…"');
  return cut.length > MESSAGE_MAX ? `${cut.slice(0, MESSAGE_MAX)}…` : cut;
}

/** A readable account of any thrown value, for logs: an Error's name, message and stack, or the value itself. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? `${cause.name}: ${cause.message}`;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause) ?? String(cause);
  } catch {
    return String(cause);
  }
}

/** An error about the request itself: one a plugin refused with HTTP 403 is forbidden, anything else is the client's to fix. */
function requestErrorCode(error: GraphQLError): string {
  return (error.extensions?.http as { status?: number } | undefined)?.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
}

/** The details the error's schema type has, limits spelled as the LimitName enum (MAX_PAGE_SIZE). */
function details(error: ParleyError): Record<string, unknown> {
  if (error instanceof ValidationError) {
    return { problems: error.problems.map((p) => (p.limit ? { ...p, limit: limitConstant(p.limit) } : p)) };
  }
  if (error instanceof LimitExceededError) {
    return { limit: limitConstant(error.limit), violations: error.violations.map((v) => ({ ...v, limit: limitConstant(v.limit) })) };
  }
  if (error instanceof ConflictError) return { reason: error.reason, expected: error.expected, actual: error.actual };
  if (error instanceof NotFoundError) return { entity: error.entity, id: error.id };
  return {};
}
