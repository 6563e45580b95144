import { Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcards } from '../../private/nag';

/**
 * Every cdk-nag finding of a `ChaosExperiment` that is not a violation here, acknowledged on its role's generated
 * policy: an inline policy made for this one role, and wildcards only where the resource exists at run time or the
 * call has no resource-level permissions. `statements` are the experiment's own statements (the log delivery
 * statement's `*` is added here).
 */
export function acknowledgeChaosExperimentFindings(role: iam.Role, statements: readonly iam.PolicyStatement[]): void {
  const policy = role.node.findChild('DefaultPolicy');
  Validations.of(policy).acknowledge(
    {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The experiment role\'s policy is generated for this one role and scoped to this experiment\'s target; a managed policy would only widen who could attach it.',
    },
  );
  acknowledgeWildcards(policy, ['*', ...statements.flatMap((s) => s.resources)],
    'Wildcards only where the resource exists at run time or the call has no resource-level permissions: the tasks of the service\'s '
    + 'cluster (task/<cluster>/*: task ids change with every deployment), the network ACL FIS creates during the experiment (network-acl/*, '
    + 'every change conditioned on its managedByFIS tag), the SSM managed instances the ECS tasks register as (managed-instance/*), and '
    + 'CloudWatch Logs vended delivery, describe/list calls, SSM ListCommands/CancelCommand and tag:GetResources (*). Every mutating call '
    + 'is scoped to the target\'s ARN, its cluster or FIS-tagged resources.');
}
