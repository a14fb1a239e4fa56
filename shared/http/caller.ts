import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Caller } from '../core/context';
import { AppError } from '../core/errors';
import { cleanName, maxEmailLength, maxIdLength, maxNameLength } from '../core/text';

// API Gateway hands every claim over as a string ("true" for a boolean).
const isTrue = (value: unknown) => value === true || value === 'true';

/** The signed-in user, from the claims the JWT authorizer verified. */
export function callerFrom(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const userId = typeof claims.sub === 'string' ? claims.sub : '';
  if (!userId) throw new AppError('UNAUTHORIZED');
  // Keys built from claims stay within DynamoDB's key sizes.
  if (Buffer.byteLength(userId) > maxIdLength) {
    throw new AppError('UNAUTHORIZED', `The token's subject (sub) is longer than ${maxIdLength} bytes.`);
  }
  // A Cognito access token passes the authorizer (same client) but carries no email or name.
  if (claims.token_use === 'access') {
    throw new AppError(
      'UNAUTHORIZED',
      'Send the ID token, which carries your email address, not the access token.',
    );
  }
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  if (email.length > maxEmailLength) {
    throw new AppError('UNAUTHORIZED', `The token's email is longer than ${maxEmailLength} characters.`);
  }
  // Names are shown, sorted and emailed: held to the rules of a workspace name.
  const name =
    (typeof claims.name === 'string' ? cleanName(claims.name, maxNameLength) : '') || email || userId;
  return { userId, email, emailVerified: isTrue(claims.email_verified), name };
}
