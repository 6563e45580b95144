import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A resolved CloudFormation value written as cdk-nag writes it in finding ids: `Ref` as `<LogicalId>`,
 * `Fn::GetAtt` as `<LogicalId.Attribute>`, `Fn::Join` joined, anything else as JSON.
 */
export function flattenIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Ref' in v) return `<${String(v.Ref)}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flattenIntrinsics).join(sep);
    }
  }
  return JSON.stringify(value);
}

/**
 * The finding id cdk-nag's AwsSolutions-IAM5 reports for a wildcard resource: the ARN with references written as
 * `<LogicalId>`, `<LogicalId.Attribute>` and `<AWS::Partition>` (how the rule flattens intrinsics).
 */
export function iam5FindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenIntrinsics(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges AwsSolutions-IAM5 on `policy` for each wildcard resource in `resources`, with `reason`. */
export function acknowledgeWildcards(policy: IConstruct, resources: readonly string[], reason: string): void {
  const ids = [...new Set(resources.filter((r) => r.includes('*')).map((r) => iam5FindingId(policy, r)))];
  if (ids.length > 0) Validations.of(policy).acknowledge(...ids.map((id) => ({ id, reason })));
}
