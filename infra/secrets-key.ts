import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  Effect,
  type IRole,
  Policy,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** What a function may do with the key: make data keys, or decrypt them. Never both, never more. */
export type SecretKeyUse = 'encrypt' | 'decrypt';

const actionsOf: Record<SecretKeyUse, string> = { encrypt: 'kms:GenerateDataKey', decrypt: 'kms:Decrypt' };

/**
 * The account administers the key (policy, rotation, deletion) but cannot
 * use it: encrypting and decrypting are for the roles named one by one
 * below. PutKeyPolicy is administration too, so an account administrator
 * could still grant themselves use, in a change CloudTrail records.
 */
const administration = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListAliases',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/**
 * The customer-managed KMS key of the service's secrets (the porting PINs),
 * rotated yearly. Its policy lets only the functions that encrypt or
 * decrypt use it, each for that one action, and only with an encryption
 * context of exactly the keys their records bind (workspace, request and
 * purpose) and that purpose.
 */
export class SecretsKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Switchboard: envelope encryption of secrets at rest (carrier PINs of porting requests)',
      enableKeyRotation: true,
      // The secrets in the table cannot be read without it: kept when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'Administration',
            effect: Effect.ALLOW,
            principals: [new AccountRootPrincipal()],
            actions: administration,
            resources: ['*'],
          }),
        ],
      }),
    });
  }

  /**
   * Lets one function use the key for one action: in the key's policy and in
   * a policy of its role (the role's inline policy cannot name the key: the
   * key's policy names the role). The function waits for that policy.
   */
  allow(
    name: string,
    fn: { role: IRole; function: IFunction },
    { use, purpose, contextKeys }: { use: SecretKeyUse; purpose: string; contextKeys: readonly string[] },
  ): void {
    const conditions = {
      // No key beyond these, each of them present, and the purpose this one.
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [...contextKeys] },
      Null: Object.fromEntries(contextKeys.map((key) => [`kms:EncryptionContext:${key}`, 'false'])),
      StringEquals: { 'kms:EncryptionContext:purpose': purpose },
    };
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: `${use === 'encrypt' ? 'Encrypt' : 'Decrypt'}For${name.charAt(0).toUpperCase()}${name.slice(1)}`,
        effect: Effect.ALLOW,
        principals: [fn.role],
        actions: [actionsOf[use]],
        resources: ['*'],
        conditions,
      }),
    );
    const policy = new Policy(fn.function, 'SecretsKey', {
      statements: [
        new PolicyStatement({
          sid: 'SecretsKey',
          effect: Effect.ALLOW,
          actions: [actionsOf[use]],
          resources: [this.key.keyArn],
          conditions,
        }),
      ],
    });
    policy.attachToRole(fn.role);
    fn.function.node.addDependency(policy);
  }
}
