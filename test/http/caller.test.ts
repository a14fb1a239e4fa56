import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/core/errors';
import { callerFrom } from '../../shared/http/caller';

const eventWith = (claims: Record<string, string>) =>
  ({
    requestContext: { authorizer: { jwt: { claims, scopes: [] } } },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

describe('callerFrom', () => {
  it('reads the ID token’s claims as API Gateway passes them (strings), lower-casing the email', () => {
    expect(
      callerFrom(
        eventWith({
          sub: 'u1',
          email: 'Ada@Acme.TEST',
          email_verified: 'true',
          name: ' Ada ',
          token_use: 'id',
        }),
      ),
    ).toEqual({ userId: 'u1', email: 'ada@acme.test', emailVerified: true, name: 'Ada' });
    expect(callerFrom(eventWith({ sub: 'u2', email: 'b@acme.test', email_verified: 'false' }))).toEqual({
      userId: 'u2',
      email: 'b@acme.test',
      emailVerified: false,
      name: 'b@acme.test',
    });
  });

  it('refuses a token without a subject, and an access token, which carries no email', () => {
    expect(() => callerFrom(eventWith({ email: 'a@acme.test' }))).toThrow(AppError);
    const refusal = (() => {
      try {
        callerFrom(eventWith({ sub: 'u1', token_use: 'access', client_id: 'web' }));
      } catch (error) {
        return error as AppError;
      }
    })();
    expect(refusal).toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
      message: expect.stringMatching(/ID token/),
    });
  });
});

describe('callerFrom limits', () => {
  it('bounds names and refuses claims too long to key the table by', () => {
    const long = callerFrom(eventWith({ sub: 'u1', email: 'a@acme.test', name: 'é'.repeat(600) }));
    expect([...long.name]).toHaveLength(200);
    expect(() => callerFrom(eventWith({ sub: 'x'.repeat(256) }))).toThrow(/sub/);
    expect(() => callerFrom(eventWith({ sub: 'u1', email: `${'a'.repeat(250)}@acme.test` }))).toThrow(
      /email/,
    );
  });
});
