import type { APIGatewayProxyEventV2WithIAMAuthorizer } from 'aws-lambda';
import type { Caller } from '../core/context';
import { AppError } from '../core/errors';

/**
 * The telephony side, as the internal routes know it. API Gateway has
 * checked the request's SigV4 signature and the caller's `execute-api:Invoke`
 * permission; this checks that the signer is one of the roles the stack's
 * parameter names (`INTERNAL_CALLER_ROLES`), since any principal of the
 * account with a broad policy could otherwise call these routes.
 */
const allowedRoles = () =>
  new Set(
    (process.env.INTERNAL_CALLER_ROLES ?? '')
      .split(',')
      .map((arn) => arn.trim())
      .filter(Boolean),
  );

/** `arn:aws:sts::<account>:assumed-role/<name>/<session>` → `arn:aws:iam::<account>:role/<name>`. */
function roleOf(principalArn: string): string {
  const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principalArn);
  return assumed ? `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}` : principalArn;
}

/** Role ARNs may carry a path (`role/telephony/caller`); STS's assumed-role ARN names the role only. */
const withoutPath = (roleArn: string) => roleArn.replace(/:role\/(?:[^/]+\/)*([^/]+)$/, ':role/$1');

export function serviceCallerFrom(event: APIGatewayProxyEventV2WithIAMAuthorizer): Caller {
  const principal = event.requestContext.authorizer?.iam?.userArn ?? '';
  const role = roleOf(principal);
  const allowed = [...allowedRoles()].map(withoutPath);
  if (!principal || !allowed.includes(role)) {
    throw new AppError(
      'UNAUTHORIZED',
      'This internal route takes the telephony side’s signed requests only.',
    );
  }
  // Audit events name the service by its role, never a person.
  return {
    userId: `service:${role.split('/').pop() ?? 'telephony'}`,
    email: '',
    emailVerified: false,
    name: 'Telephony service',
  };
}
