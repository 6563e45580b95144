import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { CHAOS_EXPERIMENTS } from '../chaos-experiments-props';
import type { AzNetworkDisruptionOptions } from '../chaos-experiments-props';
import type { ChaosExperimentTemplate } from './chaos-template';
import { requireFisDuration } from './validate-chaos-experiments-props';

/**
 * `AzNetworkDisruption` under `scope` (the `ChaosExperiments`): denies all traffic in and out of the public and
 * private (with egress) subnets of one zone of the VPC (default its first) for `duration` (default 10 minutes) with
 * `aws:network:disrupt-connectivity`, scope `all`. The role may create, change and delete only network ACLs FIS
 * tags `managedByFIS`, and swap the ACLs of the target subnets only.
 */
export function azNetworkDisruptionTemplate(scope: Construct, options: AzNetworkDisruptionOptions): ChaosExperimentTemplate {
  const constructId = 'AzNetworkDisruption';
  const where = `${scope.node.path}/${constructId}`;
  const zones = options.vpc.availabilityZones;
  const zone = options.availabilityZone ?? zones[0];
  if (Token.isUnresolved(zone) || !zones.includes(zone)) {
    throw new PlatformValidationError(where, 'availabilityZone', zone, 'is not a zone of the VPC',
      `use one of ${zones.join(', ')} (zones must be known at synth: set them in config)`);
  }
  const duration = requireFisDuration(where, 'duration', options.duration ?? Duration.minutes(10));
  const subnets = [
    ...options.vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC, availabilityZones: [zone] }).subnets,
    ...options.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: [zone] }).subnets,
  ];
  if (subnets.length === 0) {
    throw new PlatformValidationError(where, 'vpc', options.vpc.node.path, `has no public or private subnet in ${zone}`,
      'give a VPC with public and private (with egress) subnets in the zone, such as MultiAzNetwork.vpc');
  }
  const stack = Stack.of(scope);
  const ec2Arn = (resource: string, name: string): string => stack.formatArn({ service: 'ec2', resource, resourceName: name });
  const subnetArns = subnets.map((s) => ec2Arn('subnet', s.subnetId));
  const fisAcls = ec2Arn('network-acl', '*');
  const meta = CHAOS_EXPERIMENTS.azNetworkDisruption;
  return {
    constructId,
    props: {
      id: meta.id, outputName: meta.output,
      description: `Deny all traffic in and out of the public and private subnets of ${zone} for ${duration}, as an AZ impairment would.`,
      actionId: 'aws:network:disrupt-connectivity',
      actionParameters: { duration, scope: 'all' },
      targetKey: 'Subnets',
      target: { resourceType: 'aws:ec2:subnet', resourceArns: subnetArns, selectionMode: 'ALL' },
      statements: [
        new iam.PolicyStatement({
          sid: 'CreateFisNetworkAcl', actions: ['ec2:CreateNetworkAcl'], resources: [fisAcls],
          conditions: { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } },
        }),
        new iam.PolicyStatement({ sid: 'CreateFisNetworkAclInVpc', actions: ['ec2:CreateNetworkAcl'], resources: [ec2Arn('vpc', options.vpc.vpcId)] }),
        new iam.PolicyStatement({
          sid: 'TagFisNetworkAcl', actions: ['ec2:CreateTags'], resources: [fisAcls],
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl' } },
        }),
        new iam.PolicyStatement({
          sid: 'ChangeFisNetworkAcl', actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'], resources: [fisAcls],
          conditions: { StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'SwapSubnetNetworkAcl', actions: ['ec2:ReplaceNetworkAclAssociation'], resources: [...subnetArns, fisAcls],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNetwork',
          actions: ['ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
          resources: ['*'],
        }),
      ],
    },
  };
}
