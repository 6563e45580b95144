import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { PlatformValidationError } from '../../core/errors';
import type { IResilientService } from '../compute/resilient-service-ref';

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

/** A request header CloudFront adds to every origin request and the load balancer requires (see {@link PublicOriginAccess}). */
export interface OriginVerifyHeader {
  /** Header name, e.g. `X-Origin-Verify`. */
  readonly name: string;
  /**
   * Header value: a secret (e.g. `SecretValue.secretsManager(...).unsafeUnwrap()`, a CloudFormation dynamic
   * reference resolved at deploy time), never a literal in the template.
   */
  readonly value: string;
}

/** Props of {@link EdgeOrigin.fromPublicName}. */
export interface PublicEdgeOriginProps {
  /**
   * DNS name CloudFront connects to over HTTPS: a Route 53 failover or latency record (e.g. `origin.shop.example.com`)
   * or one region's name (e.g. `eu-west-1.origin.shop.example.com`); on the certificate of every load balancer it
   * resolves to.
   */
  readonly domainName: string;
  /** The header that proves a request came through this distribution (the load balancers are internet-facing). */
  readonly originVerifyHeader: OriginVerifyHeader;
  /**
   * The region the name is pinned to, for a regional name: Origin Shield runs there and health-check paths name it.
   * @default - a routed name (failover or latency record): no region, no Origin Shield (a fixed shield region would
   * pull every edge towards one region and undo latency routing)
   */
  readonly region?: string;
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
  private constructor(
    /** `vpc`: an internal load balancer behind a CloudFront VPC origin; `public`: a DNS name reached over HTTPS. */
    public readonly kind: 'vpc' | 'public',
    /** Host name CloudFront sends requests to. */
    public readonly domainName: string,
    /** Region of the load balancer (a VPC origin, or a public name pinned to one region); undefined for a routed name. */
    public readonly region: string | undefined,
    /** `HTTP_ONLY` or `HTTPS_ONLY`. */
    public readonly protocolPolicy: cloudfront.OriginProtocolPolicy,
    /** ARN of the internal load balancer (VPC origins only). */
    public readonly loadBalancerArn?: string,
    /** The header CloudFront adds for the load balancers to check (public origins only). */
    public readonly originVerifyHeader?: OriginVerifyHeader,
  ) {}

  /** An origin from explicit values (e.g. tokens of `Fn.getStackOutput`). */
  public static fromLoadBalancer(props: EdgeOriginProps): EdgeOrigin {
    return new EdgeOrigin('vpc', props.domainName, props.region,
      props.protocolPolicy ?? cloudfront.OriginProtocolPolicy.HTTP_ONLY, props.loadBalancerArn);
  }

  /**
   * An internet-facing origin CloudFront reaches by DNS name over HTTPS (TLS 1.2), with the origin-verify header the
   * load balancers require ({@link PublicOriginAccess}). This is the origin kind DNS routing needs: a Route 53
   * failover or latency record can choose the region, which a VPC origin (bound to one load balancer ARN) cannot.
   */
  public static fromPublicName(props: PublicEdgeOriginProps): EdgeOrigin {
    return new EdgeOrigin('public', props.domainName, props.region, cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      undefined, props.originVerifyHeader);
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
  public static fromService(service: IResilientService, options: EdgeOriginFromServiceOptions = {}): EdgeOrigin {
    return EdgeOrigin.fromLoadBalancer({
      loadBalancerArn: service.loadBalancer.loadBalancerArn,
      domainName: options.domainName ?? service.loadBalancer.loadBalancerDnsName,
      region: Stack.of(service).region,
      protocolPolicy: options.protocolPolicy,
    });
  }

  /** Validates the description for `prop` of the construct at `where`. */
  public validate(where: string, prop: string): void {
    if (this.kind === 'public') {
      const header = this.originVerifyHeader!;
      if (!/^[A-Za-z0-9-]{1,64}$/.test(header.name)) {
        throw new PlatformValidationError(where, `${prop}.originVerifyHeader.name`, header.name, 'is not an HTTP header name',
          "use letters, digits and dashes, e.g. 'X-Origin-Verify'");
      }
      if (!Token.isUnresolved(header.value)) {
        throw new PlatformValidationError(where, `${prop}.originVerifyHeader.value`, '<literal>', 'is a literal string, readable by anyone who can read the template',
          "pass a secret resolved at deploy time, e.g. SecretValue.secretsManager('<name>').unsafeUnwrap()");
      }
      if (this.region === undefined) return;
    }
    if (this.region === undefined || Token.isUnresolved(this.region) || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(this.region)) {
      throw new PlatformValidationError(where, `${prop}.region`, Token.isUnresolved(this.region) ? '<token>' : this.region,
        'is not a region name', "pass the origin's region as a plain string such as 'eu-west-1'");
    }
    if (!SUPPORTED_PROTOCOLS.includes(this.protocolPolicy)) {
      throw new PlatformValidationError(where, `${prop}.protocolPolicy`, this.protocolPolicy, 'is not supported for a VPC origin',
        'use OriginProtocolPolicy.HTTP_ONLY (listener on 80) or OriginProtocolPolicy.HTTPS_ONLY (listener on 443)');
    }
  }
}
