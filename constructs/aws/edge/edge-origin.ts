import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { PlatformValidationError } from '../../core/errors';
import type { ResilientService } from '../compute/resilient-service';

/** Output names a {@link CloudFrontOriginAccess} publishes, from its `outputPrefix`. */
export function edgeOriginOutputNames(outputPrefix: string): { loadBalancerArn: string; domainName: string } {
  return { loadBalancerArn: `${outputPrefix}LoadBalancerArn`, domainName: `${outputPrefix}DomainName` };
}

/** The output prefix {@link CloudFrontOriginAccess} and {@link EdgeOrigin.fromStackOutputs} use unless told otherwise. */
export const DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX = 'EdgeOrigin';

/** Props of {@link EdgeOrigin.fromLoadBalancer}: the origin as plain values (tokens from other stacks welcome). */
export interface EdgeOriginProps {
  /** ARN of the internal Application Load Balancer CloudFront reaches through a VPC origin (same account). */
  readonly loadBalancerArn: string;
  /**
   * Host name CloudFront sends requests to: the load balancer's DNS name, or a name on its certificate for HTTPS.
   */
  readonly domainName: string;
  /** Region of the load balancer (a plain string: Origin Shield runs there). */
  readonly region: string;
  /**
   * How CloudFront talks to the load balancer: `HTTP_ONLY` (port 80) or `HTTPS_ONLY` (port 443, `domainName` must
   * be on the listener's certificate).
   * @default OriginProtocolPolicy.HTTP_ONLY - the listener of a ResilientService without certificate; the VPC origin
   * keeps the traffic on the AWS network
   */
  readonly protocolPolicy?: cloudfront.OriginProtocolPolicy;
}

/** Options of {@link EdgeOrigin.fromStackOutputs}. */
export interface EdgeOriginFromStackOutputsOptions {
  /** Name of the regional stack holding the {@link CloudFrontOriginAccess} (e.g. `checkout-primary`). */
  readonly stackName: string;
  /** Region of that stack (a plain string). */
  readonly region: string;
  /**
   * Prefix of the outputs, as given to the {@link CloudFrontOriginAccess}.
   * @default 'EdgeOrigin'
   */
  readonly outputPrefix?: string;
  /**
   * How CloudFront talks to the load balancer.
   * @default OriginProtocolPolicy.HTTP_ONLY
   */
  readonly protocolPolicy?: cloudfront.OriginProtocolPolicy;
}

/** Options of {@link EdgeOrigin.fromService}. */
export interface EdgeOriginFromServiceOptions {
  /**
   * Host name CloudFront sends requests to.
   * @default - the load balancer's DNS name
   */
  readonly domainName?: string;
  /**
   * How CloudFront talks to the load balancer.
   * @default OriginProtocolPolicy.HTTP_ONLY
   */
  readonly protocolPolicy?: cloudfront.OriginProtocolPolicy;
}

const SUPPORTED_PROTOCOLS: readonly cloudfront.OriginProtocolPolicy[] = [
  cloudfront.OriginProtocolPolicy.HTTP_ONLY,
  cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
];

/**
 * An origin of an {@link EdgeDistribution}: an internal Application Load Balancer in some region, described by plain
 * values so the global (us-east-1) stack can take it from a regional stack's outputs (`Fn.getStackOutput`) instead
 * of an L2 object of its own stack.
 */
export class EdgeOrigin {
  /** An origin from explicit values (e.g. tokens of `Fn.getStackOutput`). */
  public static fromLoadBalancer(props: EdgeOriginProps): EdgeOrigin {
    return new EdgeOrigin(props.loadBalancerArn, props.domainName, props.region,
      props.protocolPolicy ?? cloudfront.OriginProtocolPolicy.HTTP_ONLY);
  }

  /**
   * The origin a {@link CloudFrontOriginAccess} published in a regional stack, read at deploy time with
   * `Fn.getStackOutput(stackName, outputName, region)` (a native cross-region reference: no export writer).
   */
  public static fromStackOutputs(options: EdgeOriginFromStackOutputsOptions): EdgeOrigin {
    const names = edgeOriginOutputNames(options.outputPrefix ?? DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX);
    return EdgeOrigin.fromLoadBalancer({
      loadBalancerArn: Fn.getStackOutput(options.stackName, names.loadBalancerArn, options.region),
      domainName: Fn.getStackOutput(options.stackName, names.domainName, options.region),
      region: options.region,
      protocolPolicy: options.protocolPolicy,
    });
  }

  /**
   * The load balancer of a service in the distribution's own stack (same-stack convenience; across regions use
   * {@link CloudFrontOriginAccess} and {@link EdgeOrigin.fromStackOutputs}).
   */
  public static fromService(service: ResilientService, options: EdgeOriginFromServiceOptions = {}): EdgeOrigin {
    return EdgeOrigin.fromLoadBalancer({
      loadBalancerArn: service.loadBalancer.loadBalancerArn,
      domainName: options.domainName ?? service.loadBalancer.loadBalancerDnsName,
      region: Stack.of(service).region,
      protocolPolicy: options.protocolPolicy,
    });
  }

  private constructor(
    /** ARN of the internal load balancer. */
    public readonly loadBalancerArn: string,
    /** Host name CloudFront sends requests to. */
    public readonly domainName: string,
    /** Region of the load balancer. */
    public readonly region: string,
    /** `HTTP_ONLY` or `HTTPS_ONLY`. */
    public readonly protocolPolicy: cloudfront.OriginProtocolPolicy,
  ) {}

  /** Validates the description for `prop` of the construct at `where`. */
  public validate(where: string, prop: string): void {
    if (Token.isUnresolved(this.region) || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(this.region)) {
      throw new PlatformValidationError(where, `${prop}.region`, Token.isUnresolved(this.region) ? '<token>' : this.region,
        'is not a region name', "pass the origin's region as a plain string such as 'eu-west-1'");
    }
    if (!SUPPORTED_PROTOCOLS.includes(this.protocolPolicy)) {
      throw new PlatformValidationError(where, `${prop}.protocolPolicy`, this.protocolPolicy, 'is not supported for a VPC origin',
        'use OriginProtocolPolicy.HTTP_ONLY (listener on 80) or OriginProtocolPolicy.HTTPS_ONLY (listener on 443)');
    }
  }
}
