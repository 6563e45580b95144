import { Fn } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { StackOutput } from '../../../core/stack-outputs';
import { crossStackValue } from '../../cross-region';

/**
 * The ARN `arn` names in `region`: the same partition, service, account and resource, its fourth field replaced
 * (a Secrets Manager replica keeps the name and suffix of its primary secret). Works on tokens (`Fn::Split` and
 * `Fn::Join`); secret names hold no colon, so a secret ARN has exactly 7 fields.
 */
export function arnInRegion(arn: string, region: string): string {
  const fields = Fn.split(':', arn, 7);
  return Fn.join(':', [fields[0], fields[1], fields[2], region, fields[4], fields[5], fields[6]]);
}

/**
 * The master secret of the database in `producer` (its `DatabaseSecretArn` output, read with `Fn::GetStackOutput`) as
 * replicated to `consumer`'s region, imported as `id` under `consumer`: what a global secondary's proxy logs in with.
 * The producer's AuroraDatabase must list the consumer's region in `secretReplicaRegions`.
 */
export function replicatedDatabaseSecret(producer: Stack, consumer: Stack, id: string, secret: secretsmanager.ISecret): secretsmanager.ISecret {
  const primaryArn = crossStackValue(producer, consumer, StackOutput.DATABASE_SECRET_ARN, secret.secretArn,
    'Master user secret the proxy logs in with (never its value)');
  return secretsmanager.Secret.fromSecretCompleteArn(consumer, id, arnInRegion(primaryArn, consumer.region));
}
