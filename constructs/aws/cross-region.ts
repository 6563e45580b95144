import type { Stack } from 'aws-cdk-lib';
import { CfnOutput, Fn } from 'aws-cdk-lib';
import { PlatformValidationError } from '../core/errors';

/**
 * Hands `value` from `producer` to `consumer` across stacks and regions with CloudFormation's native
 * `Fn::GetStackOutput` (no export, no custom resource): a plain output named `outputName` in the producer, a
 * dependency so the producer deploys first, and the token the consumer uses.
 *
 * The output name is API: drills and `cdk deploy --outputs-file` consumers read it too.
 */
export function crossStackValue(producer: Stack, consumer: Stack, outputName: string, value: string, description?: string): string {
  if (producer === consumer) return value;
  if (!/^[A-Za-z0-9]{1,255}$/.test(outputName)) {
    throw new PlatformValidationError(producer.node.path, 'outputName', outputName, 'is not a CloudFormation output name',
      'use letters and digits only, e.g. LoadBalancerArn');
  }
  const existing = producer.node.tryFindChild(outputName);
  if (existing === undefined) {
    new CfnOutput(producer, outputName, { value, description });
  } else if (!(existing instanceof CfnOutput) || JSON.stringify(producer.resolve(existing.value)) !== JSON.stringify(producer.resolve(value))) {
    throw new PlatformValidationError(producer.node.path, 'outputName', outputName, 'already names another output or construct',
      'pick an output name unique in the producer stack');
  }
  consumer.addStackDependency(producer, `reads output ${outputName}`);
  return Fn.getStackOutput(producer.stackName, outputName, producer.region);
}
