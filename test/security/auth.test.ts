import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthError, createAuthenticator, type AuthConfig } from '../../src/server/auth.js';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const jwtConfig = (jwt: Partial<AuthConfig['jwt']>): AuthConfig => ({
  mode: 'jwt',
  apiKeys: [],
  jwt: { secret: SECRET, jwksUrl: null, issuer: null, audience: null, adminClaim: 'parley_admin', ...jwt },
});

const sign = (claims: Record<string, unknown>, secret = SECRET, expires = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expires).sign(new TextEncoder().encode(secret));

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('API keys', () => {
  const authenticate = createAuthenticator({
    mode: 'apikey',
    apiKeys: [
      { key: 'k-alice', ownerId: 'alice', admin: false },
      { key: 'k-ops', ownerId: 'ops', admin: true },
    ],
    jwt: jwtConfig({}).jwt,
  });

  it('maps each key to its owner, as a Bearer token or an X-API-Key header', async () => {
    expect(await authenticate({ authorization: 'Bearer k-alice' })).toEqual({ admin: false, ownerId: 'alice' });
    expect(await authenticate({ apiKey: 'k-ops' })).toEqual({ admin: true, ownerId: 'ops' });
  });

  it('tells a missing credential from a wrong one', async () => {
    expect((await rejection(authenticate({}))).reason).toBe('missing');
    expect((await rejection(authenticate({ authorization: 'Basic abc' }))).reason).toBe('missing');
    expect(await rejection(authenticate({ authorization: 'Bearer k-mallory' }))).toMatchObject({ reason: 'invalid', message: 'Invalid API key' });
  });
});

describe('JWT', () => {
  it('takes the subject as owner and the admin claim as admin rights (HS256)', async () => {
    const authenticate = createAuthenticator(jwtConfig({}));
    expect(await authenticate({ authorization: `Bearer ${await sign({ sub: 'alice' })}` })).toEqual({ admin: false, ownerId: 'alice' });
    expect(await authenticate({ authorization: `Bearer ${await sign({ sub: 'ops', parley_admin: true })}` })).toEqual({ admin: true, ownerId: 'ops' });
  });

  it('refuses a forged, expired, subject-less or misaddressed token', async () => {
    const authenticate = createAuthenticator(jwtConfig({ issuer: 'https://id.example', audience: 'parley' }));
    const good = { sub: 'alice', iss: 'https://id.example', aud: 'parley' };
    expect(await authenticate({ authorization: `Bearer ${await sign(good)}` })).toEqual({ admin: false, ownerId: 'alice' });
    const forged = await sign(good, 'another-secret-that-is-long-enough-too');
    expect((await rejection(authenticate({ authorization: `Bearer ${forged}` }))).message).toMatch(/^Invalid token: signature/);
    const expired = await sign(good, SECRET, '-1m');
    expect((await rejection(authenticate({ authorization: `Bearer ${expired}` }))).message).toMatch(/exp/);
    expect((await rejection(authenticate({ authorization: `Bearer ${await sign({ ...good, sub: undefined })}` }))).message).toMatch(/no subject/);
    expect((await rejection(authenticate({ authorization: `Bearer ${await sign({ ...good, aud: 'other' })}` }))).message).toMatch(/aud/);
    expect((await rejection(authenticate({ authorization: 'Bearer not.a.jwt' }))).reason).toBe('invalid');
  });

  it('verifies tokens signed with a key published at a JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const server = createServer((_, res) => res.end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const authenticate = createAuthenticator(jwtConfig({ secret: null, jwksUrl: `http://127.0.0.1:${port}/jwks.json` }));
      const token = await new SignJWT({ sub: 'carol' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('5m').sign(privateKey);
      expect(await authenticate({ authorization: `Bearer ${token}` })).toEqual({ admin: false, ownerId: 'carol' });
      const hs = await sign({ sub: 'carol' });
      expect((await rejection(authenticate({ authorization: `Bearer ${hs}` }))).reason).toBe('invalid');
    } finally {
      server.close();
    }
  });
});

describe('no authentication', () => {
  it('gives every caller full access, as the local default', async () => {
    const authenticate = createAuthenticator({ ...jwtConfig({}), mode: 'none' });
    expect(await authenticate({})).toEqual({ admin: true, ownerId: null });
  });
});
