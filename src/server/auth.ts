import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../core/service/scoped.js';

export const AUTH_MODES = ['none', 'apikey', 'jwt'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface ApiKey {
  key: string;
  ownerId: string;
  admin: boolean;
}

export interface AuthConfig {
  mode: AuthMode;
  apiKeys: ApiKey[];
  jwt: {
    /** HS256 shared secret. */
    secret: string | null;
    /** Where to fetch the signing keys (RS256, ES256, …) instead. */
    jwksUrl: string | null;
    issuer: string | null;
    audience: string | null;
    /** A claim that, when true, makes the caller an admin. */
    adminClaim: string;
  };
}

/** What a request or a WebSocket connection presents. */
export interface Credentials {
  /** An `Authorization` header value: `Bearer <API key or JWT>`. */
  authorization?: string | null | undefined;
  /** An `X-API-Key` header value. */
  apiKey?: string | null | undefined;
}

/** The credentials were absent (`missing`) or wrong (`invalid`); the message says which and why. */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    readonly reason: 'missing' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** Resolves to the caller the credentials prove, or rejects with an AuthError. */
export type Authenticator = (credentials: Credentials) => Promise<Caller>;

const LOCAL: Caller = { admin: true, ownerId: null };

export function createAuthenticator(config: AuthConfig): Authenticator {
  switch (config.mode) {
    case 'none':
      return async () => LOCAL;
    case 'apikey':
      return apiKeyAuthenticator(config.apiKeys);
    case 'jwt':
      return jwtAuthenticator(config.jwt);
  }
}

function presented(credentials: Credentials): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization ?? '')?.[1];
  const token = bearer ?? credentials.apiKey?.trim();
  if (!token) throw new AuthError('missing', 'Authentication required: send an Authorization header of Bearer <credential> (an API key or a JWT)');
  return token;
}

const digest = (key: string) => createHash('sha256').update(key).digest();

function apiKeyAuthenticator(keys: ApiKey[]): Authenticator {
  // Keys are compared by digest, in constant time, so response times say nothing about them.
  const known = keys.map((k) => ({ digest: digest(k.key), caller: { admin: k.admin, ownerId: k.ownerId } as Caller }));
  return async (credentials) => {
    const candidate = digest(presented(credentials));
    const match = known.find((k) => timingSafeEqual(k.digest, candidate));
    if (!match) throw new AuthError('invalid', 'Invalid API key');
    return match.caller;
  };
}

function jwtAuthenticator(options: AuthConfig['jwt']): Authenticator {
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : new TextEncoder().encode(options.secret ?? '');
  const algorithms = options.jwksUrl ? ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256', 'EdDSA'] : ['HS256'];
  return async (credentials) => {
    const token = presented(credentials);
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        ...(options.issuer && { issuer: options.issuer }),
        ...(options.audience && { audience: options.audience }),
      }));
    } catch (error) {
      throw new AuthError('invalid', `Invalid token: ${(error as Error).message}`);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthError('invalid', 'Invalid token: it names no subject (sub)');
    return payload[options.adminClaim] === true ? { admin: true, ownerId: payload.sub } : { admin: false, ownerId: payload.sub };
  };
}

/** The credentials an HTTP request presents, in its headers. */
export const credentialsOf = (request: Request | undefined): Credentials => ({ authorization: request?.headers.get('authorization'), apiKey: request?.headers.get('x-api-key') });

/** Authenticates an HTTP request from its headers; a failure becomes a 401 GraphQL error. */
export async function authenticateRequest(authenticate: Authenticator, request: Request | undefined): Promise<Caller> {
  try {
    return await authenticate(credentialsOf(request));
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    throw new GraphQLError(error.message, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
    });
  }
}
