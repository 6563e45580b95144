import { Annotations, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { parseCidr, plannedRegionCidr, requireSubnetsFit } from '../../core/cidr';
import { PlatformValidationError } from '../../core/errors';
import { defaultAvailabilityZones, isKnownRegion, regionFix } from '../../core/regions';
import { requireIntegerInRange, requireOneOf } from '../../core/validate';
import { acknowledgeControlTower } from '../private/control-tower';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';

/** How many NAT gateways the network runs. */
export type NatGatewayPlacement = 'one' | 'per-az';

/** Interface endpoints created unless `interfaceEndpoints` says otherwise: the AWS APIs the platform calls. */
export const DEFAULT_INTERFACE_ENDPOINTS: readonly ec2.InterfaceVpcEndpointAwsService[] = [
  ec2.InterfaceVpcEndpointAwsService.ECR,
  ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  ec2.InterfaceVpcEndpointAwsService.KMS,
  ec2.InterfaceVpcEndpointAwsService.STS,
];

/** Props of {@link MultiAzNetwork}. */
export interface MultiAzNetworkProps {
  /**
   * Number of availability zones, at least 2.
   * @default 3
   */
  readonly azCount?: number;
  /**
   * Explicit availability zones (overrides `azCount`).
   * @default - the first `azCount` zones of the stack's region, from config (no lookup)
   */
  readonly availabilityZones?: string[];
  /**
   * The VPC IPv4 block, a /16 to /20.
   * @default - the region's block of the planned allocation (`plannedRegionCidr`), disjoint across regions
   */
  readonly cidr?: string;
  /**
   * One NAT gateway per AZ (an AZ failure leaves the others their egress) or a single one (cheaper, one AZ
   * holds all egress).
   * @default 'per-az'
   */
  readonly natGateways?: NatGatewayPlacement;
  /**
   * Retention of the VPC flow logs.
   * @default RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * Interface endpoints to create, keeping AWS API traffic off the NAT gateways.
   * @default DEFAULT_INTERFACE_ENDPOINTS (ECR, ECR Docker, CloudWatch Logs and Monitoring, Secrets Manager, KMS, STS)
   */
  readonly interfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];
}

/**
 * A VPC over several availability zones with public, private-with-egress and isolated subnets, NAT per AZ,
 * encrypted flow logs, gateway (S3, DynamoDB) and interface endpoints, and a closed default security group.
 */
export class MultiAzNetwork extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The zones the subnets are in. */
  public readonly availabilityZones: string[];
  /** The VPC IPv4 block. */
  public readonly cidr: string;
  /** Log group of the VPC flow logs (KMS-encrypted, retained). */
  public readonly flowLogGroup: logs.LogGroup;
  /** Key of the flow log group. */
  public readonly logKey: kms.Key;

  constructor(scope: Construct, id: string, props: MultiAzNetworkProps = {}) {
    super(scope, id);
    const where = this.node.path;
    const region = Stack.of(this).region;

    if (props.azCount !== undefined && props.availabilityZones !== undefined) {
      throw new PlatformValidationError(where, 'azCount', props.azCount, 'is set together with availabilityZones',
        'set only one of azCount and availabilityZones');
    }
    const azCount = props.availabilityZones?.length ?? props.azCount ?? 3;
    if (props.availabilityZones !== undefined) {
      if (props.availabilityZones.length < 2 || new Set(props.availabilityZones).size !== props.availabilityZones.length) {
        throw new PlatformValidationError(where, 'availabilityZones', props.availabilityZones,
          'must list at least 2 distinct zones', 'list two or more distinct zones of the region');
      }
    } else {
      requireIntegerInRange(where, 'azCount', azCount, 2, 6);
    }
    const natGateways = requireOneOf<NatGatewayPlacement>(where, 'natGateways', props.natGateways ?? 'per-az', ['one', 'per-az']);

    const regionKnown = !Token.isUnresolved(region) && isKnownRegion(region);
    if (props.cidr === undefined && !regionKnown) {
      if (!Token.isUnresolved(region)) {
        throw new PlatformValidationError(where, 'cidr', props.cidr, `cannot be planned: the stack's region ('${region}') is not a known AWS region`,
          `${regionFix(region)} in the stack's env, or pass cidr`);
      }
      throw new PlatformValidationError(where, 'cidr', props.cidr,
        'cannot be planned for a stack without a concrete region', "set the stack's env.region or pass cidr");
    }
    this.cidr = props.cidr ?? plannedRegionCidr(region);
    const vpcBlock = parseCidr(where, 'cidr', this.cidr);
    if (vpcBlock.prefix < 16 || vpcBlock.prefix > 20) {
      throw new PlatformValidationError(where, 'cidr', this.cidr, 'must be a /16 to /20 block',
        'use a /16 (the planned size) down to a /20');
    }
    const masks = { public: vpcBlock.prefix + 8, private: vpcBlock.prefix + 3, isolated: vpcBlock.prefix + 6 };
    requireSubnetsFit(where, this.cidr, azCount, masks);

    this.availabilityZones = props.availabilityZones
      ?? (regionKnown ? defaultAvailabilityZones(region, azCount) : Stack.of(this).availabilityZones.slice(0, azCount));
    if (this.availabilityZones.length < azCount) {
      throw new PlatformValidationError(where, 'azCount', azCount,
        `exceeds the ${this.availabilityZones.length} zones known for region ${region}`,
        'lower azCount or pass availabilityZones explicitly');
    }

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(this.cidr),
      availabilityZones: this.availabilityZones,
      natGateways: natGateways === 'per-az' ? azCount : 1,
      restrictDefaultSecurityGroup: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: masks.public, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: masks.private },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: masks.isolated },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    acknowledgeNetworkFindings(this.vpc);
    if (natGateways === 'one') {
      Annotations.of(this).addWarningV2('platform:network:single-nat',
        "natGateways is 'one': private subnets of every AZ send egress through one AZ's NAT gateway; losing that AZ cuts egress for all. Use 'per-az' for production.");
    }

    this.logKey = createDataKey(this, 'LogKey', `${where} VPC flow logs`);
    allowCloudWatchLogs(this.logKey);
    this.flowLogGroup = createEncryptedLogGroup(this, 'FlowLogs', {
      key: this.logKey,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    const flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    const flowLogPolicy = flowLog.node.tryFindChild('IAMRole')?.node.tryFindChild('DefaultPolicy');
    if (flowLogPolicy) {
      Validations.of(flowLogPolicy).acknowledge({
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'CDK-generated policy of the flow-log delivery role, scoped to this one log group and to passing this one role; it has no other principal to share a managed policy with.',
      });
    }

    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(ec2.Peer.ipv4(this.cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const service of props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS) {
      this.vpc.addInterfaceEndpoint(endpointId(service), {
        service,
        privateDnsEnabled: true,
        open: false,
        securityGroups: [endpointSg],
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
    }
  }
}

/**
 * Findings that are the design, not a defect, acknowledged on the narrowest constructs.
 */
function acknowledgeNetworkFindings(vpc: ec2.Vpc): void {
  // restrictDefaultSecurityGroup: one function per stack, from aws-cdk-lib's CustomResourceProvider (no VPC option).
  const restrictDefaultSg = Stack.of(vpc).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
  if (restrictDefaultSg) {
    acknowledgeControlTower(restrictDefaultSg, 'CT.LAMBDA.PR.3',
      "aws-cdk-lib's function that removes the rules of the VPC's default security group (restrictDefaultSecurityGroup): it runs only during deployments, calls only the EC2 API and holds no data; aws-cdk-lib offers no way to place it in a VPC.");
  }
  for (const subnet of vpc.publicSubnets) {
    const route = subnet.node.tryFindChild('DefaultRoute');
    if (route) {
      Validations.of(route).acknowledge({
        id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
        reason: 'Public subnets hold only the internet-facing load balancer and the NAT gateways; their default route to the internet gateway is what makes them public. Workloads run in private and isolated subnets without such a route.',
      });
    }
  }
  for (const az of vpc.node.findAll().filter((c) => c instanceof ec2.CfnSubnet)) {
    Validations.of(az).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'Availability zones come from config so that synthesis stays offline and deterministic (no lookup); they are validated against the region.',
    });
  }
}

/** `com.amazonaws.eu-west-1.ecr.dkr` -> `EcrDkrEndpoint`: stable IDs independent of the region. */
function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  const short = service.shortName;
  return short.split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('') + 'Endpoint';
}
