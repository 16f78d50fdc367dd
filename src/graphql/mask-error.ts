import { GraphQLError } from 'graphql';
import { maskError as maskUnexpected } from 'graphql-yoga';
import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ParleyError,
  ValidationError,
} from '../core/errors.js';
import { limitConstant } from '../core/limits.js';

/**
 * Yoga's error masking, kept on: an expected failure that reaches it (from a field with no result
 * union, such as Session.messages) becomes a GraphQL error with a code and its details; anything
 * else stays masked as "Unexpected error.".
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (!(original instanceof ParleyError)) {
    const masked = maskUnexpected(error, message, isDev);
    if (!(masked instanceof GraphQLError) || masked.extensions.code) return masked;
    return new GraphQLError(masked.message, { nodes: masked.nodes, path: masked.path, extensions: { ...masked.extensions, code: codeOf(masked, masked === error) } });
  }
  const at = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(original.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: { code: original.code, ...details(original) },
  });
}

/**
 * The code of an error that came without one. An error yoga let through unmasked and that belongs
 * to no field is about the request itself (variables that do not coerce, a missing CSRF header):
 * the client's to fix. Anything else (masked, or raised while executing a field) is the server's.
 */
function codeOf(error: GraphQLError, unmasked: boolean): string {
  if (!unmasked || error.path !== undefined) return 'INTERNAL_SERVER_ERROR';
  return (error.extensions.http as { status?: number } | undefined)?.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
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
