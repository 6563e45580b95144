import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { arnInRegion, replicatedDatabaseSecret } from '../../../../constructs/aws/platform/private/replicated-database-secret';

const PRIMARY_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:DatabaseClusterSecretD1FB63-AbCdEfGhIjKl-a1B2c3';

describe('arnInRegion', () => {
  test('swaps the region field of a literal ARN and keeps the rest', () => {
    expect(new Stack().resolve(arnInRegion(PRIMARY_ARN, 'eu-central-1')))
      .toBe('arn:aws:secretsmanager:eu-central-1:111111111111:secret:DatabaseClusterSecretD1FB63-AbCdEfGhIjKl-a1B2c3');
  });
});

describe('replicatedDatabaseSecret', () => {
  test('imports the producer\'s DatabaseSecretArn output with the consumer\'s region put in the ARN', () => {
    // GIVEN a primary stack whose secret is already published under DatabaseSecretArn
    const app = new App();
    const env = { account: '111111111111' };
    const primary = new Stack(app, 'Primary', { env: { ...env, region: 'eu-west-1' }, stackName: 'checkout-primary' });
    const secret = secretsmanager.Secret.fromSecretCompleteArn(primary, 'Secret', PRIMARY_ARN);
    new CfnOutput(primary, 'DatabaseSecretArn', { value: secret.secretArn });
    const secondary = new Stack(app, 'Secondary', { env: { ...env, region: 'eu-central-1' } });
    // WHEN
    const replica = replicatedDatabaseSecret(primary, secondary, 'DatabaseProxySecret', secret);
    // THEN
    const output = { 'Fn::GetStackOutput': { StackName: 'checkout-primary', OutputName: 'DatabaseSecretArn', Region: 'eu-west-1' } };
    const field = (i: number) => ({ 'Fn::Select': [i, { 'Fn::Split': [':', output] }] });
    expect(secondary.resolve(replica.secretArn)).toEqual({
      'Fn::Join': [':', [field(0), field(1), field(2), 'eu-central-1', field(4), field(5), field(6)]],
    });
    expect(secondary.dependencies).toContain(primary);
    expect(replica.node.path).toBe('Secondary/DatabaseProxySecret');
  });
});
