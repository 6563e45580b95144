import { Annotations, CfnOutput, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import type { IResilientService } from '../compute/resilient-service-ref';
import { lookUpManagedPrefixListId, requireOriginAccessProps } from '../private/prefix-list';
import { DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX, edgeOriginOutputNames } from './edge-origin';

/** Name of the AWS-managed prefix list of CloudFront's origin-facing servers (IPv4). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

/** Props of {@link CloudFrontOriginAccess}. */
export interface CloudFrontOriginAccessProps {
  /** The service whose load balancer becomes a CloudFront VPC origin; built with `internetFacing: false`. */
  readonly service: IResilientService;
  /**
   * ID of the `com.amazonaws.global.cloudfront.origin-facing` managed prefix list in this region (`pl-...`).
   * @default - looked up at deploy time (EC2 DescribeManagedPrefixLists through a custom resource): synthesis
   * stays offline
   */
  readonly prefixListId?: string;
  /**
   * Host name the distribution sends requests to, published as the domain-name output.
   * @default - the load balancer's DNS name (right for HTTP; for HTTPS pass a name on the listener's certificate)
   */
  readonly originDomainName?: string;
  /**
   * Prefix of the two stack outputs (`<prefix>LoadBalancerArn`, `<prefix>DomainName`) the global stack reads with
   * `EdgeOrigin.fromStackOutputs`; distinct per service when a stack holds several.
   * @default 'EdgeOrigin'
   */
  readonly outputPrefix?: string;
}

/**
 * The regional half of an {@link EdgeDistribution}: makes a `ResilientService`'s internal load balancer a CloudFront
 * VPC origin, from outside the service. It checks the load balancer is internal (no public address: CloudFront is the
 * only way in from the internet), attaches a dedicated security group that admits the listener port from CloudFront's
 * origin-facing managed prefix list (the source VPC-origin traffic arrives from; the prefix list weighs 55 rules, so it
 * gets a group of its own), and publishes the load balancer ARN and origin host name as stack outputs for
 * `EdgeOrigin.fromStackOutputs` in the us-east-1 stack.
 */
export class CloudFrontOriginAccess extends Construct {
  /** The security group admitting CloudFront, attached to the load balancer. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** ID of the origin-facing prefix list (a deploy-time token unless given). */
  public readonly prefixListId: string;
  /** Output holding the load balancer ARN. */
  public readonly loadBalancerArnOutput: CfnOutput;
  /** Output holding the origin host name. */
  public readonly domainNameOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: CloudFrontOriginAccessProps) {
    super(scope, id);
    const where = this.node.path;
    const outputPrefix = props.outputPrefix ?? DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX;
    requireOriginAccessProps(where, outputPrefix, props.prefixListId, CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST);
    const { loadBalancer, listener } = props.service;
    const scheme = (loadBalancer.node.defaultChild as elbv2.CfnLoadBalancer).scheme;
    if (scheme !== 'internal') {
      throw new PlatformValidationError(where, 'service', props.service.node.path, `has an ${scheme ?? 'internet-facing'} load balancer`,
        'build the ResilientService with internetFacing: false so CloudFront (VPC origin) is its only way in from the internet');
    }

    this.prefixListId = props.prefixListId ?? lookUpManagedPrefixListId(this, 'PrefixListLookup', CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: loadBalancer.vpc!,
      description: `${where}: CloudFront VPC origin to the load balancer listener`,
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(ec2.Peer.prefixList(this.prefixListId), ec2.Port.tcp(listener.port),
      'CloudFront origin-facing servers (VPC origin)');
    loadBalancer.addSecurityGroup(this.securityGroup);
    const fromPrefixList = `The only ingress source is the CloudFront origin-facing managed prefix list (${CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST}, its ID resolved at deploy time, hence not evaluable at synth), on the listener port; never a CIDR such as 0.0.0.0/0.`;
    Validations.of(this.securityGroup).acknowledge(
      { id: 'AwsSolutions-EC23', reason: fromPrefixList },
      { id: 'NIST.800.53.R5-EC2RestrictedCommonPorts', reason: fromPrefixList },
      { id: 'NIST.800.53.R5-EC2RestrictedSSH', reason: fromPrefixList },
    );
    if (listener.node.defaultChild && (listener.node.defaultChild as elbv2.CfnListener).protocol === 'HTTP') {
      const viaVpcOrigin = 'This listener of an internal load balancer is reached only by the CloudFront VPC origin over the AWS network (no public address). Viewers reach CloudFront, which redirects HTTP to HTTPS; their TLS version is the distribution\'s: TLSv1.2+ with domainNames and a certificate, while the default *.cloudfront.net certificate also accepts TLSv1 (EdgeDistribution warns and names the fix).';
      Validations.of(listener).acknowledge(
        { id: 'NIST.800.53.R5-ALBHttpToHttpsRedirection', reason: viaVpcOrigin },
        { id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired', reason: viaVpcOrigin },
      );
      Annotations.of(props.service).acknowledgeWarning('platform:service:no-certificate', viaVpcOrigin);
    }

    const names = edgeOriginOutputNames(outputPrefix);
    this.loadBalancerArnOutput = new CfnOutput(this, 'LoadBalancerArn', {
      value: loadBalancer.loadBalancerArn,
      description: 'ARN of the internal load balancer, the CloudFront VPC origin endpoint',
    });
    this.loadBalancerArnOutput.overrideLogicalId(names.loadBalancerArn);
    this.domainNameOutput = new CfnOutput(this, 'DomainName', {
      value: props.originDomainName ?? loadBalancer.loadBalancerDnsName,
      description: 'Host name CloudFront sends requests to',
    });
    this.domainNameOutput.overrideLogicalId(names.domainName);
  }
}
