import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { serviceAudience } from './service-identity';

export interface TokenRequest {
  email: string;
  sub?: string | undefined;
  name?: string | undefined;
  emailVerified?: boolean | undefined;
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  audience?: string;
}

/** A user id derived from the email, so the same address always signs in as the same user. */
export const subFromEmail = (email: string) =>
  `local-${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 20)}`;

/**
 * The local identity provider: signs tokens like Cognito's ID tokens and
 * checks them as API Gateway's JWT authorizer does (signature, issuer,
 * audience, expiry).
 */
export async function createTokenIssuer(issuer: string, audience: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'local' }] };

  async function sign(request: TokenRequest): Promise<{ token: string; sub: string }> {
    const sub = request.sub ?? subFromEmail(request.email);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      email: request.email,
      email_verified: request.emailVerified ?? true,
      ...(request.name ? { name: request.name } : {}),
      token_use: 'id',
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'local' })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(request.audience ?? audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (request.expiresIn ?? 3600))
      .sign(privateKey);
    return { token, sub };
  }

  /** The stand-in for the telephony side's signed requests: accepted by the internal routes only. */
  async function signService(): Promise<{ token: string }> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ service: 'telephony' })
      .setProtectedHeader({ alg: 'ES256', kid: 'local' })
      .setSubject('service:telephony')
      .setIssuer(issuer)
      .setAudience(serviceAudience(audience))
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    return { token };
  }

  /** The verified claims, or undefined for a missing, forged, expired or foreign token. */
  async function verifyFor(
    authorization: string | undefined,
    expected: string,
  ): Promise<JWTPayload | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return undefined;
    try {
      const { payload } = await jwtVerify(match[1], publicKey, {
        issuer,
        audience: expected,
        algorithms: ['ES256'],
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  /** A user's token, as the JWT authorizer checks it (a service token fails: another audience). */
  const verify = (authorization: string | undefined) => verifyFor(authorization, audience);
  /** The telephony side's stand-in token (a user's token fails: another audience). */
  const verifyService = async (authorization: string | undefined) =>
    (await verifyFor(authorization, serviceAudience(audience)))?.service === 'telephony';

  return { issuer, audience, jwks, sign, signService, verify, verifyService };
}

export type TokenIssuer = Awaited<ReturnType<typeof createTokenIssuer>>;
