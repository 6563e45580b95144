import { SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { DistributedCache } from '../cache/distributed-cache';
import { ResilientService } from '../compute/resilient-service';
import { AuroraDatabase } from '../data/aurora-database';
import type { AuroraDatabaseProps } from '../data/aurora-database';
import { CloudFrontOriginAccess } from '../edge/cloudfront-origin-access';
import { PublicOriginAccess } from '../edge/public-origin-access';
import type { PlatformSpec } from './multi-region-platform-props';
import { originRoutingNames, regionalOriginName } from './private/origin-routing';

/** Options of {@link addRegionalApp}. */
export interface RegionalAppOptions {
  readonly spec: PlatformSpec;
  readonly vpc: ec2.IVpc;
  /** How the database takes part in the DR tier (regional, global primary or global secondary). */
  readonly database: Omit<AuroraDatabaseProps, 'vpc'>;
  /** Whether the region runs its own L2 cache. */
  readonly cache: boolean;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Whether the region's service is a DR standby that failover scales out (ResilientService `standby`). */
  readonly standby?: boolean;
}

/** What {@link addRegionalApp} built. */
export interface RegionalApp {
  readonly database: AuroraDatabase;
  readonly cache?: DistributedCache;
  readonly service: ResilientService;
  /** How CloudFront reaches the service: a VPC origin, or (with a domain) a DNS-routed public origin. */
  readonly edgeAccess: CloudFrontOriginAccess | PublicOriginAccess;
  /**
   * The test listener's URL as the smoke tests call it: the regional origin name over HTTPS with a domain; undefined
   * without one (the internal load balancer's name over HTTP, the release hooks' default).
   */
  readonly smokeTestUrl?: string;
}

/**
 * Adds what runs in one region to `scope` (a stack; construct IDs `Database`, `Cache`, `Service` are stable):
 * the Aurora cluster (regional or one side of a global database), the optional L2 cache, and the service
 * wired to both (network path, IAM database auth, the data path settings, cache credentials). A serving service deploys
 * CANARY (10 % of the users' traffic on the new revision for the bake time, judged by the rollback alarms, then all);
 * a standby BLUE_GREEN (no user traffic to judge a canary by: the smoke test through the test listener judges it).
 */
export function addRegionalApp(scope: Construct, props: RegionalAppOptions): RegionalApp {
  const { spec } = props;
  const database = new AuroraDatabase(scope, 'Database', { vpc: props.vpc, ...props.database });
  const cache = props.cache ? new DistributedCache(scope, 'Cache', { vpc: props.vpc }) : undefined;
  // With a domain, Route 53 picks the region (GlobalStack): the load balancer gets a public name on its
  // own certificate and admits CloudFront only; without one, it is internal behind a CloudFront VPC origin.
  const names = originRoutingNames(spec);
  const region = Stack.of(scope).region;
  const zone = names ? route53.HostedZone.fromHostedZoneId(scope, 'HostedZone', spec.domain!.hostedZoneId) : undefined;
  const certificate = names && zone
    ? new acm.Certificate(scope, 'OriginCertificate', {
      domainName: names.routed,
      subjectAlternativeNames: [regionalOriginName(names, region)],
      validation: acm.CertificateValidation.fromDns(zone),
    })
    : undefined;
  const service = new ResilientService(scope, 'Service', {
    vpc: props.vpc,
    image: spec.image,
    livenessProbe: spec.livenessProbe,
    containerPort: spec.containerPort,
    minCapacity: props.minCapacity,
    maxCapacity: props.maxCapacity,
    standby: props.standby,
    // The only way in from the internet is CloudFront (and its WAF): a VPC origin, or a public origin that admits
    // CloudFront's origin-facing servers with the origin-verify header only.
    internetFacing: names !== undefined,
    allowInternetIngress: false,
    certificate,
    // Chaos experiments (latency injection) target the tasks through the ECS fault injection endpoints.
    faultInjection: true,
    deploymentStrategy: props.standby ? ecs.DeploymentStrategy.BLUE_GREEN : ecs.DeploymentStrategy.CANARY,
    // The container gets exactly the settings the reference service reads (DESIGN.md "The workload's settings"; pinned
    // by test/reference-service/settings.test.ts): its data path over the database (IAM token, TLS) and both cache
    // tiers (the L1 settings and, with a cache, the L2 endpoint and credentials from distributedCache).
    distributedCache: cache,
    environment: {
      ...spec.environment,
      SERVICE_NAME: spec.service,
      PORT: String(spec.containerPort),
      AWS_REGION: region,
      DB_ENDPOINT: database.clientEndpoint,
      DB_READ_ONLY_ENDPOINT: database.clientReadOnlyEndpoint,
      DB_PORT: '5432',
      DB_NAME: 'postgres',
      DB_USER: database.clientUser,
      DB_IAM_AUTH: 'true',
      DB_TLS: 'require',
    },
  });
  const smokeTestUrl = names && service.testListener
    ? openTestListenerToNatGateways(service, props.vpc, regionalOriginName(names, region))
    : undefined;
  database.connections.allowDefaultPortFrom(service.service, 'service tasks to the database');
  database.grantConnect(service.taskDefinition.taskRole, database.clientUser);
  // Lets CloudFront in and publishes the origin outputs the global stack reads.
  const edgeAccess = names && zone
    ? new PublicOriginAccess(scope, 'PublicEdgeAccess', {
      service,
      originVerifyHeader: { name: names.headerName, value: SecretValue.secretsManager(names.secretName).unsafeUnwrap() },
      hostedZone: zone,
      regionalDomainName: regionalOriginName(names, region),
    })
    : new CloudFrontOriginAccess(scope, 'EdgeAccess', { service });
  return { database, cache, service, edgeAccess, smokeTestUrl };
}

/**
 * An internet-facing load balancer's test listener admits the VPC's NAT gateways only: the release hooks run in the
 * VPC's private subnets and reach the public load balancer through them. Returns the URL they call (the regional
 * origin name is on the listener's certificate).
 */
function openTestListenerToNatGateways(service: ResilientService, vpc: ec2.IVpc, regionalName: string): string {
  const listener = service.testListener as NonNullable<ResilientService['testListener']>;
  const ips = vpc.publicSubnets
    .map((subnet) => subnet.node.tryFindChild('EIP'))
    .filter((eip): eip is ec2.CfnEIP => eip instanceof ec2.CfnEIP)
    .map((eip) => eip.attrPublicIp);
  for (const [i, ip] of ips.entries()) {
    listener.connections.allowFrom(ec2.Peer.ipv4(`${ip}/32`), ec2.Port.tcp(listener.port), `Release smoke tests through NAT gateway ${i + 1} of the VPC`);
  }
  const reason = `Besides CloudFront's prefix list, the only sources are the VPC's own NAT gateway addresses (/32, resolved at deploy time, hence not evaluable at synth) on the test listener port ${listener.port}: the release hooks' smoke tests. Never 0.0.0.0/0.`;
  Validations.of(service.loadBalancer.node.findChild('SecurityGroup')).acknowledge(
    { id: 'AwsSolutions-EC23', reason },
    { id: 'NIST.800.53.R5-EC2RestrictedCommonPorts', reason },
    { id: 'NIST.800.53.R5-EC2RestrictedSSH', reason },
  );
  return `https://${regionalName}:${listener.port}`;
}
