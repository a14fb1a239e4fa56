/**
 * The telephony side as the local server knows it. In AWS the internal
 * routes are IAM-authorized: API Gateway checks the SigV4 signature and the
 * function checks the signing role against the stack's InternalCallerRoleArns.
 * Locally a `{service: "telephony"}` dev token stands in for the signature:
 * the server turns it into the IAM context API Gateway would pass, signed by
 * this role, which the local environment names as the one allowed caller.
 */
export const localTelephonyRole = 'arn:aws:iam::000000000000:role/switchboard-telephony';
const localTelephonySession = 'arn:aws:sts::000000000000:assumed-role/switchboard-telephony/local';

/** The audience of service tokens: never a user route's, so neither kind passes the other's check. */
export const serviceAudience = (audience: string) => `${audience}#internal`;

/** The `authorizer` of an IAM-authorized HTTP API event, as API Gateway builds it for a signed request. */
export const iamAuthorizerContext = () => ({
  iam: {
    accessKey: 'LOCAL',
    accountId: '000000000000',
    callerId: 'LOCAL:local',
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: localTelephonySession,
    userId: 'LOCAL:local',
  },
});
