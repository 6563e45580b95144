import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import type { MultiAzNetworkProps } from '../../../constructs/aws/network/multi-az-network';
import { formatFindings, nagFindings, testApp, testStack } from '../../helpers/test-stack';

function network(props: MultiAzNetworkProps = {}, region?: string) {
  const stack = testStack({ region });
  const net = new MultiAzNetwork(stack, 'Network', props);
  return { stack, net, template: Template.fromStack(stack) };
}

describe('MultiAzNetwork', () => {
  describe('layout', () => {
    test('three AZs of public, private-with-egress and isolated subnets by default', () => {
      // GIVEN / WHEN
      const { template, net } = network();
      // THEN
      expect(net.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
      template.resourceCountIs('AWS::EC2::Subnet', 9);
      for (const [az, i] of [['eu-west-1a', 1], ['eu-west-1b', 2], ['eu-west-1c', 3]] as const) {
        for (const tier of ['Public', 'Private', 'Isolated']) {
          template.hasResourceProperties('AWS::EC2::Subnet', Match.objectLike({
            AvailabilityZone: az,
            Tags: Match.arrayWith([{ Key: 'Name', Value: `Test/Network/Vpc/${tier}Subnet${i}` }]),
          }));
        }
      }
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.8.0.0/24', MapPublicIpOnLaunch: false });
    });

    test('the VPC block comes from the region plan', () => {
      expect(network().net.cidr).toBe('10.8.0.0/16');
      expect(network({}, 'eu-central-1').net.cidr).toBe('10.11.0.0/16');
      network().template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.8.0.0/16', EnableDnsHostnames: true });
    });

    test('azCount 2 gives two zones', () => {
      const { template } = network({ azCount: 2 });
      template.resourceCountIs('AWS::EC2::Subnet', 6);
    });
  });

  describe('egress', () => {
    test('one NAT gateway per AZ by default', () => {
      network().template.resourceCountIs('AWS::EC2::NatGateway', 3);
    });

    test("natGateways 'one' keeps one and warns", () => {
      const { template, stack } = network({ natGateways: 'one' });
      template.resourceCountIs('AWS::EC2::NatGateway', 1);
      Annotations.fromStack(stack).hasWarning('/Test/Network', Match.stringLikeRegexp("natGateways is 'one'"));
    });

    test('gateway endpoints for S3 and DynamoDB, interface endpoints with private DNS and a closed SG', () => {
      const { template } = network();
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 9);
      for (const svc of ['s3', 'dynamodb']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', Match.objectLike({
          ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${svc}`]] },
          VpcEndpointType: 'Gateway',
        }));
      }
      for (const svc of ['ecr.api', 'ecr.dkr', 'logs', 'monitoring', 'secretsmanager', 'kms', 'sts']) {
        template.hasResourceProperties('AWS::EC2::VPCEndpoint', Match.objectLike({
          ServiceName: `com.amazonaws.eu-west-1.${svc}`, VpcEndpointType: 'Interface', PrivateDnsEnabled: true,
        }));
      }
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
        SecurityGroupIngress: [{ CidrIp: '10.8.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS from the VPC' }],
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
      });
    });
  });

  describe('security', () => {
    test('the default security group is stripped of its rules', () => {
      network().template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    });

    test('flow logs of all traffic go to a KMS-encrypted log group kept one year and retained', () => {
      const { template } = network();
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('NetworkLogKey'), 'Arn'] } },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true }),
        DeletionPolicy: 'Retain',
      });
    });

    test('cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', () => {
      const stack = testStack({ nag: true });
      new MultiAzNetwork(stack, 'Network');
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });

  describe('bad input', () => {
    test.each<[string, MultiAzNetworkProps, string]>([
      ['fewer than 2 AZs', { azCount: 1 },
        "Test/Network: azCount (1) must be an integer from 2 to 6: set azCount to a whole number between 2 and 6"],
      ['a fractional AZ count', { azCount: 2.5 },
        "Test/Network: azCount (2.5) must be an integer from 2 to 6: set azCount to a whole number between 2 and 6"],
      ['azCount and availabilityZones together', { azCount: 2, availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
        'Test/Network: azCount (2) is set together with availabilityZones: set only one of azCount and availabilityZones'],
      ['duplicate zones', { availabilityZones: ['eu-west-1a', 'eu-west-1a'] },
        `Test/Network: availabilityZones (["eu-west-1a","eu-west-1a"]) must list at least 2 distinct zones: list two or more distinct zones of the region`],
      ['a bad NAT placement', { natGateways: 'none' as never },
        "Test/Network: natGateways ('none') is not a supported value: use one of one, per-az"],
      ['a malformed CIDR', { cidr: '10.0.0.0' },
        "Test/Network: cidr ('10.0.0.0') is not an IPv4 CIDR block: use the form '10.0.0.0/16'"],
      ['a block too large', { cidr: '10.0.0.0/8' },
        "Test/Network: cidr ('10.0.0.0/8') must be a /16 to /20 block: use a /16 (the planned size) down to a /20"],
      ['more zones than the region has', { azCount: 4 },
        "Test/Network: azCount (4) exceeds the 3 zones known for region eu-west-1: lower azCount or pass availabilityZones explicitly"],
    ])('%s', (_name, props, message) => {
      expect(() => network(props)).toThrow(message);
    });

    test.each<[string, string, string]>([
      ['misspelled (no dash before the number)', 'eu-west1',
        "S/Network: cidr (undefined) cannot be planned: the stack's region ('eu-west1') is not a known AWS region: write it eu-west-1 (a region code has a dash before its number) in the stack's env, or pass cidr"],
      ['well formed but unknown', 'eu-west-9',
        "S/Network: cidr (undefined) cannot be planned: the stack's region ('eu-west-9') is not a known AWS region: use a region code such as eu-west-1, eu-west-2, eu-west-3, eu-central-1 in the stack's env, or pass cidr"],
    ])('a stack region %s names the region, not a missing one', (_name, region, message) => {
      // GIVEN a plain Stack (PlatformStack refuses a malformed region itself) in `region`
      const stack = new Stack(testApp(), 'S', { env: { account: '111111111111', region } });
      // WHEN a network is planned in it, THEN the message names the region and its fix
      expect(() => new MultiAzNetwork(stack, 'Network')).toThrow(message);
    });
  });
});
