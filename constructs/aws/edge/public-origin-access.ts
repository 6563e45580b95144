import { CfnOutput, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import type { IResilientService } from '../compute/resilient-service-ref';
import { lookUpManagedPrefixListId, requireOriginAccessProps } from '../private/prefix-list';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST } from './cloudfront-origin-access';
import type { OriginVerifyHeader } from './edge-origin';

/** Output names a {@link PublicOriginAccess} publishes, from its `outputPrefix`. */
export function publicOriginOutputNames(outputPrefix: string): { loadBalancerDnsName: string; canonicalHostedZoneId: string; domainName: string } {
  return {
    loadBalancerDnsName: `${outputPrefix}LoadBalancerDnsName`,
    canonicalHostedZoneId: `${outputPrefix}CanonicalHostedZoneId`,
    domainName: `${outputPrefix}DomainName`,
  };
}

/** The output prefix {@link PublicOriginAccess} uses unless told otherwise. */
export const DEFAULT_PUBLIC_ORIGIN_OUTPUT_PREFIX = 'PublicOrigin';

/** Props of {@link PublicOriginAccess}. */
export interface PublicOriginAccessProps {
  /**
   * The service whose load balancer CloudFront reaches by DNS name: built with `internetFacing: true`,
   * `allowInternetIngress: false` and a `certificate` covering `regionalDomainName` and the routed name.
   */
  readonly service: IResilientService;
  /** The header CloudFront adds to every origin request; every path of the service requires it. */
  readonly originVerifyHeader: OriginVerifyHeader;
  /** Hosted zone of the names (e.g. `HostedZone.fromHostedZoneId`: no lookup). */
  readonly hostedZone: route53.IHostedZone;
  /**
   * This region's own name, fully qualified (e.g. `eu-west-1.origin.shop.example.com`): an alias of the load
   * balancer, used by the region-pinned origins (origin-group fallback, health checks).
   */
  readonly regionalDomainName: string;
  /**
   * ID of the `com.amazonaws.global.cloudfront.origin-facing` managed prefix list in this region (`pl-...`).
   * @default - looked up at deploy time (EC2 DescribeManagedPrefixLists through a custom resource)
   */
  readonly prefixListId?: string;
  /**
   * Prefix of the stack outputs (`<prefix>LoadBalancerDnsName`, `<prefix>CanonicalHostedZoneId`, `<prefix>DomainName`)
   * the global stack reads for its Route 53 records ({@link RegionRouting}).
   * @default 'PublicOrigin'
   */
  readonly outputPrefix?: string;
}

/**
 * The regional half of a DNS-routed {@link EdgeDistribution} origin: makes a `ResilientService`'s internet-facing
 * load balancer reachable by CloudFront only. It checks the load balancer is internet-facing, listens on HTTPS and
 * admits nobody by itself; attaches a security group admitting 443 from CloudFront's origin-facing managed prefix list
 * (55 rules' weight, hence a group of its own); adds the origin-verify header as a condition of the service's
 * production rule, so a request from another CloudFront distribution gets the listener's 404; creates this region's
 * alias record; and publishes what the global stack's Route 53 records need.
 *
 * Use it instead of {@link CloudFrontOriginAccess} (VPC origin) when Route 53 picks the region: a VPC origin is
 * bound to one load balancer ARN and cannot be DNS-routed.
 */
export class PublicOriginAccess extends Construct {
  /** The security group admitting CloudFront, attached to the load balancer. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** ID of the origin-facing prefix list (a deploy-time token unless given). */
  public readonly prefixListId: string;
  /** This region's alias record. */
  public readonly record: route53.ARecord;

  constructor(scope: Construct, id: string, props: PublicOriginAccessProps) {
    super(scope, id);
    const where = this.node.path;
    const outputPrefix = props.outputPrefix ?? DEFAULT_PUBLIC_ORIGIN_OUTPUT_PREFIX;
    requireOriginAccessProps(where, outputPrefix, props.prefixListId, CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST);
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(props.regionalDomainName)) {
      throw new PlatformValidationError(where, 'regionalDomainName', props.regionalDomainName, 'is not a fully qualified DNS name',
        "pass this region's name such as 'eu-west-1.origin.shop.example.com' (no trailing dot)");
    }
    const { service } = props;
    const { loadBalancer, listener } = service;
    const cfnLoadBalancer = loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer;
    if (cfnLoadBalancer.scheme === 'internal') {
      throw new PlatformValidationError(where, 'service', service.node.path, 'has an internal load balancer, which no DNS record on the internet can route to',
        'build the ResilientService with internetFacing: true and allowInternetIngress: false, or use CloudFrontOriginAccess (VPC origin) without DNS routing');
    }
    if (service.allowsInternetIngress) {
      throw new PlatformValidationError(where, 'service', service.node.path, 'admits any address on its listeners (allowInternetIngress is on)',
        'build the ResilientService with allowInternetIngress: false so CloudFront (and its WAF) is the only way in');
    }
    if ((listener.node.defaultChild as elbv2.CfnListener).protocol !== 'HTTPS') {
      throw new PlatformValidationError(where, 'service', service.node.path, 'serves plain HTTP: a public origin would carry requests unencrypted over the internet',
        `pass certificate to the ResilientService (an ACM certificate in its region covering ${props.regionalDomainName} and the routed name)`);
    }

    this.prefixListId = props.prefixListId ?? lookUpManagedPrefixListId(this, 'PrefixListLookup', CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: loadBalancer.vpc!,
      description: `${where}: CloudFront origin-facing servers to the HTTPS listener`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.prefixList(this.prefixListId), ec2.Port.tcp(listener.port),
      'CloudFront origin-facing servers (public origin, HTTPS)');
    loadBalancer.addSecurityGroup(this.securityGroup);
    const fromPrefixList = `The only ingress source is the CloudFront origin-facing managed prefix list (${CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST}, its ID resolved at deploy time, hence not evaluable at synth), on the HTTPS listener port; never a CIDR such as 0.0.0.0/0.`;
    Validations.of(this.securityGroup).acknowledge(
      { id: 'AwsSolutions-EC23', reason: fromPrefixList },
      { id: 'NIST.800.53.R5-EC2RestrictedCommonPorts', reason: fromPrefixList },
      { id: 'NIST.800.53.R5-EC2RestrictedSSH', reason: fromPrefixList },
    );

    // Every path of the service requires the secret header: the prefix list admits every CloudFront distribution.
    service.productionRule.addCondition(elbv2.ListenerCondition.httpHeader(props.originVerifyHeader.name, [props.originVerifyHeader.value]));

    this.record = new route53.ARecord(this, 'RegionalRecord', {
      zone: props.hostedZone,
      recordName: `${props.regionalDomainName}.`,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
    });

    const names = publicOriginOutputNames(outputPrefix);
    const output = (outputId: string, name: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description }).overrideLogicalId(name);
    output('LoadBalancerDnsName', names.loadBalancerDnsName, loadBalancer.loadBalancerDnsName,
      'DNS name of the internet-facing load balancer (alias target of the routed records)');
    output('CanonicalHostedZoneId', names.canonicalHostedZoneId, loadBalancer.loadBalancerCanonicalHostedZoneId,
      'Route 53 hosted zone ID of the load balancer (alias target of the routed records)');
    output('DomainName', names.domainName, props.regionalDomainName, "This region's own origin name");
  }
}
