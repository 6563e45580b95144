import type { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BACKUP_TAG_KEY, markForBackup } from '../../../constructs/aws/private/stateful';
import { testStack } from '../../helpers/test-stack';

describe('markForBackup', () => {
  test.each<[string, string | undefined, string]>([
    ['the default tier', undefined, 'default'],
    ['a named tier', 'hourly', 'hourly'],
  ])('tags the resource with %s the backup selection keys on', (_name, tier, value) => {
    const stack = testStack();
    const queue = new sqs.Queue(stack, 'Queue');
    const other = new sqs.Queue(stack, 'Other');
    if (tier === undefined) markForBackup(queue); else markForBackup(queue, tier);
    const template = Template.fromStack(stack);
    const tagsOf = (construct: sqs.Queue): Array<{ Key: string; Value: string }> => {
      const resource = template.toJSON().Resources[stack.getLogicalId(construct.node.defaultChild as CfnResource)];
      return (resource.Properties.Tags ?? []) as Array<{ Key: string; Value: string }>;
    };
    expect(BACKUP_TAG_KEY).toBe('platform:backup');
    expect(tagsOf(queue)).toContainEqual({ Key: 'platform:backup', Value: value });
    expect(tagsOf(other).map((t) => t.Key)).not.toContain('platform:backup');
  });
});
