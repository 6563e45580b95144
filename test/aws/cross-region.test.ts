import { App, CfnOutput, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { crossStackValue } from '../../constructs/aws/cross-region';

/** A producer stack in eu-west-1 and a consumer stack in us-east-1 of one app, each with one placeholder resource. */
function stacks(): { producer: Stack; consumer: Stack } {
  const app = new App();
  const producer = new Stack(app, 'Producer', { env: { account: '111111111111', region: 'eu-west-1' } });
  const consumer = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'us-east-1' } });
  for (const stack of [producer, consumer]) new CfnWaitConditionHandle(stack, 'Placeholder');
  return { producer, consumer };
}

describe('crossStackValue', () => {
  test('within one stack the value is returned as is: no output, no dependency', () => {
    const { producer } = stacks();
    expect(crossStackValue(producer, producer, 'Arn', 'arn:aws:sns:eu-west-1:111111111111:x')).toBe('arn:aws:sns:eu-west-1:111111111111:x');
    expect(Template.fromStack(producer).toJSON()).not.toHaveProperty('Outputs');
    expect(producer.dependencies).toEqual([]);
  });

  test('the producer\'s output is plain (no export) and carries the description', () => {
    const { producer, consumer } = stacks();
    const value = crossStackValue(producer, consumer, 'TopicArn', 'arn:aws:sns:eu-west-1:111111111111:x', 'The paging topic');
    new CfnOutput(consumer, 'Seen', { value });
    expect(Template.fromStack(producer).toJSON().Outputs).toEqual({
      TopicArn: { Value: 'arn:aws:sns:eu-west-1:111111111111:x', Description: 'The paging topic' },
    });
    expect(Template.fromStack(consumer).toJSON().Outputs.Seen.Value).toEqual(
      { 'Fn::GetStackOutput': { StackName: 'Producer', OutputName: 'TopicArn', Region: 'eu-west-1' } });
    expect(consumer.dependencies).toEqual([producer]);
  });

  test.each([
    ['a dash', 'Topic-Arn'],
    ['an empty name', ''],
    ['an underscore', 'Topic_Arn'],
  ])('an output name with %s is refused', (_name, outputName) => {
    const { producer, consumer } = stacks();
    expect(() => crossStackValue(producer, consumer, outputName, 'x')).toThrow(
      `Producer: outputName ('${outputName}') is not a CloudFormation output name: use letters and digits only, e.g. LoadBalancerArn`);
  });

  test('a name already taken by another construct of the producer is refused', () => {
    const { producer, consumer } = stacks();
    new CfnWaitConditionHandle(producer, 'Taken');
    expect(() => crossStackValue(producer, consumer, 'Taken', 'x')).toThrow(
      "Producer: outputName ('Taken') already names another output or construct: pick an output name unique in the producer stack");
  });
});
