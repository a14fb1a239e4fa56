import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SwitchboardStack } from './stack';

/**
 * Settings come from context, e.g.
 * `cdk deploy -c oidcIssuer=https://issuer.example -c oidcAudience=my-client -c appUrl=https://app.example`;
 * see infra/config.ts for the full list. Without an issuer the stack creates a Cognito user pool.
 */
const app = new App();

new SwitchboardStack(app, 'Switchboard', {
  description: 'Switchboard: team management API (HTTP API, Lambda, DynamoDB)',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// cdk-nag v3 is a policy-validation plugin: any unacknowledged finding (error or warning)
// fails the synth. Acknowledge a finding with Validations.of(construct).acknowledge({ id, reason }).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
