import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { AppError } from './errors';

/** The signed-in user, from the claims the JWT authorizer verified. */
export interface Caller {
  userId: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

// API Gateway hands every claim over as a string ("true" for a boolean).
const isTrue = (value: unknown) => value === true || value === 'true';

export function callerFrom(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const userId = typeof claims.sub === 'string' ? claims.sub : '';
  if (!userId) throw new AppError('UNAUTHORIZED');
  // A Cognito access token passes the authorizer (same client) but carries no email or name.
  if (claims.token_use === 'access') {
    throw new AppError(
      'UNAUTHORIZED',
      'Send the ID token, which carries your email address, not the access token.',
    );
  }
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  // Names are shown and sorted: no control characters, no surrounding spaces.
  const claimedName = typeof claims.name === 'string' ? claims.name.replace(/\p{Cc}/gu, ' ').trim() : '';
  const name = claimedName || email || userId;
  return { userId, email, emailVerified: isTrue(claims.email_verified), name };
}
