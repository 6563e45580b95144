import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { requireIntegerInRange, requireMinNotAboveMax, requireNumberInRange, requirePath } from '../../../core/validate';
import { requireFargateSize } from '../fargate-sizes';
import { LivenessProbe } from '../liveness-probe';
import type { ResilientServiceProps } from '../resilient-service-props';

const PROGRESSIVE = new Set<ecs.DeploymentStrategy>([
  ecs.DeploymentStrategy.BLUE_GREEN, ecs.DeploymentStrategy.LINEAR, ecs.DeploymentStrategy.CANARY,
]);

/** The cache tier settings of a {@link ResilientServiceProps}, checked and with defaults applied. */
export interface CacheTierSettings {
  /** Whether the image keeps an in-process (L1) cache. */
  readonly inProcessCache: boolean;
  /** L1 time to live in seconds. */
  readonly l1Seconds: number;
  /** L1 entries per task. */
  readonly l1MaxItems: number;
  /** L2 time to live in seconds; undefined without `distributedCache`. */
  readonly l2Seconds?: number;
}

/** A {@link ResilientServiceProps}, checked and with every default applied (the `@default` of each prop). */
export interface ResilientServiceSettings {
  readonly containerPort: number;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly livenessProbe: LivenessProbe;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cpuTargetPercent: number;
  readonly requestsPerTarget: number;
  readonly strategy: ecs.DeploymentStrategy;
  /** BLUE_GREEN, LINEAR or CANARY: two target groups and a bake time. */
  readonly progressive: boolean;
  /** Only for a progressive strategy. */
  readonly bakeTime?: Duration;
  /** Port of the test listener (progressive strategies). */
  readonly testListenerPort: number;
  readonly deregistrationDelay: Duration;
  readonly stopTimeout: Duration;
  readonly user: string;
  readonly internetFacing: boolean;
  /** Whether the listeners admit any address: internet-facing and `allowInternetIngress` on. */
  readonly allowsInternetIngress: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly latencySeconds: number;
  readonly standby: boolean;
  readonly cache: CacheTierSettings;
}

/**
 * Checks `props` of the `ResilientService` at `where` (its construct path) and returns them with defaults applied.
 * Every bad input throws a {@link PlatformValidationError} naming the prop, the value and the fix, before anything
 * is built.
 */
export function validateResilientServiceProps(where: string, props: ResilientServiceProps): ResilientServiceSettings {
  const containerPort = props.containerPort ?? 8080;
  const cpu = props.cpu ?? 1024;
  const memoryLimitMiB = props.memoryLimitMiB ?? 2048;
  const readinessPath = props.readinessPath ?? '/ready';
  const livenessPath = props.livenessPath ?? '/health';
  const minCapacity = props.minCapacity ?? 3;
  const maxCapacity = props.maxCapacity ?? 20;
  const cpuTargetPercent = props.cpuTargetPercent ?? 70;
  const requestsPerTarget = props.requestsPerTarget ?? 1000;
  const strategy = props.deploymentStrategy ?? ecs.DeploymentStrategy.ROLLING;
  const progressive = PROGRESSIVE.has(strategy);
  const deregistrationDelay = props.deregistrationDelay ?? Duration.seconds(30);
  const stopTimeout = props.stopTimeout ?? Duration.seconds(60);
  const user = props.user ?? '1000:1000';
  const internetFacing = props.internetFacing ?? false;
  const latencyThreshold = props.latencyThreshold ?? Duration.seconds(1);

  requireIntegerInRange(where, 'containerPort', containerPort, 1, 65535);
  requireFargateSize(where, cpu, memoryLimitMiB);
  requirePath(where, 'readinessPath', readinessPath);
  requirePath(where, 'livenessPath', livenessPath);
  if (readinessPath === livenessPath) {
    throw new PlatformValidationError(where, 'livenessPath', livenessPath, 'equals readinessPath',
      "serve readiness and liveness on different paths (e.g. '/ready' and '/health') so an overloaded task leaves rotation instead of being restarted");
  }
  requireIntegerInRange(where, 'minCapacity', minCapacity, 0, 1000);
  requireIntegerInRange(where, 'maxCapacity', maxCapacity, 1, 1000);
  requireMinNotAboveMax(where, 'minCapacity', minCapacity, 'maxCapacity', maxCapacity);
  requireNumberInRange(where, 'cpuTargetPercent', cpuTargetPercent, 10, 90);
  requireIntegerInRange(where, 'requestsPerTarget', requestsPerTarget, 1, 1_000_000);
  if (/^(root|0)(:|$)/.test(user)) {
    throw new PlatformValidationError(where, 'user', user, 'runs the container as root',
      "use a non-root uid:gid such as '1000:1000'");
  }
  if (containerPort < 1024) {
    throw new PlatformValidationError(where, 'containerPort', containerPort, `is a privileged port, which the non-root user '${user}' cannot bind`,
      'listen on a port from 1024 to 65535 (e.g. 8080)');
  }
  requireMultiAzVpc(where, props.vpc);
  if (internetFacing && !props.certificate) {
    throw new PlatformValidationError(where, 'certificate', props.certificate, 'is required with internetFacing: true (a public load balancer serves HTTPS only)',
      'pass certificate (an ACM certificate for the name clients use), or remove internetFacing for an internal load balancer reachable from the VPC');
  }
  const deregistrationSeconds = deregistrationDelay.toSeconds({ integral: false });
  const stopSeconds = stopTimeout.toSeconds({ integral: false });
  requireIntegerInRange(where, 'deregistrationDelay', deregistrationSeconds, 0, 3600);
  requireIntegerInRange(where, 'stopTimeout', stopSeconds, 2, 120);
  if (stopSeconds <= deregistrationSeconds) {
    throw new PlatformValidationError(where, 'stopTimeout', `${stopSeconds} seconds`,
      `does not exceed deregistrationDelay (${deregistrationSeconds} seconds)`,
      'raise stopTimeout (at most 120 seconds) or lower deregistrationDelay');
  }
  if (props.bakeTime !== undefined && !progressive) {
    throw new PlatformValidationError(where, 'bakeTime', props.bakeTime.toHumanString(), `does not apply to deploymentStrategy ${strategy}`,
      'remove bakeTime or use BLUE_GREEN, LINEAR or CANARY');
  }
  const bakeTime = progressive ? props.bakeTime ?? Duration.minutes(5) : undefined;
  const bakeMinutes = bakeTime?.toMinutes({ integral: false }) ?? 0;
  if (bakeTime && (!Number.isInteger(bakeMinutes) || bakeMinutes > 1440)) {
    throw new PlatformValidationError(where, 'bakeTime', bakeTime.toHumanString(), 'must be a whole number of minutes from 0 to 1440',
      'use Duration.minutes(n) with n between 0 and 1440');
  }
  if (props.testListenerPort !== undefined && !progressive) {
    throw new PlatformValidationError(where, 'testListenerPort', props.testListenerPort, `does not apply to deploymentStrategy ${strategy} (no test listener)`,
      'remove testListenerPort or use BLUE_GREEN, LINEAR or CANARY');
  }
  const testListenerPort = props.testListenerPort ?? (props.certificate ? 9443 : 9080);
  requireIntegerInRange(where, 'testListenerPort', testListenerPort, 1, 65535);
  if (testListenerPort === 80 || testListenerPort === 443) {
    throw new PlatformValidationError(where, 'testListenerPort', testListenerPort, 'is a port of the production listeners',
      'use another port, e.g. 9443 (with a certificate) or 9080');
  }
  const latencySeconds = latencyThreshold.toMilliseconds() / 1000;
  requireNumberInRange(where, 'latencyThreshold (seconds)', latencySeconds, 0.01, 60);
  const cache = validateCacheTier(where, props);

  return {
    containerPort, cpu, memoryLimitMiB, readinessPath, livenessPath, minCapacity, maxCapacity, cpuTargetPercent,
    requestsPerTarget, strategy, progressive, bakeTime, testListenerPort, deregistrationDelay, stopTimeout, user, internetFacing, latencySeconds,
    cache,
    livenessProbe: props.livenessProbe ?? LivenessProbe.curl(),
    allowsInternetIngress: internetFacing && (props.allowInternetIngress ?? true),
    logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    standby: props.standby ?? false,
  };
}

/**
 * Legal but risky settings, as synth warnings on `scope`: an L1 TTL longer than the L2 TTL (an entry outlives in the
 * tasks the copy every task shares, so invalidations through L2 reach the tasks late), a serving (non-standby) service
 * below one task per AZ, and plain HTTP without a certificate.
 */
export function warnOnResilientServiceRisks(scope: IConstruct, props: ResilientServiceProps, settings: ResilientServiceSettings): void {
  const { minCapacity, standby, cache } = settings;
  const zones = props.vpc.availabilityZones.length;
  if (cache.l2Seconds !== undefined && cache.inProcessCache && cache.l1Seconds > cache.l2Seconds) {
    Annotations.of(scope).addWarningV2('platform:service:l1-ttl-above-l2',
      `cacheL1Ttl (${cache.l1Seconds} seconds) is longer than cacheL2Ttl (${cache.l2Seconds} seconds): tasks keep serving entries the shared cache has already expired or invalidated. Keep the L1 TTL at or below the L2 TTL.`);
  }
  // A DR standby sized below one task per AZ is the tier's design (failover scales it out): nothing to act on.
  if (!standby && minCapacity === 0) {
    Annotations.of(scope).addWarningV2('platform:service:min-capacity-zero',
      'minCapacity is 0: the service runs no task until scaled up. Use at least one task per AZ for a serving service, or set standby: true for a DR standby that failover scales out.');
  } else if (!standby && minCapacity < zones) {
    Annotations.of(scope).addWarningV2('platform:service:min-below-azs',
      `minCapacity (${minCapacity}) is below the number of AZs (${zones}): some AZs run no task, and losing an AZ can take out the whole service. Raise minCapacity to ${zones}, or set standby: true for a DR standby that failover scales out.`);
  }
  if (!props.certificate) {
    Annotations.of(scope).addWarningV2('platform:service:no-certificate',
      'No certificate: the internal load balancer serves plain HTTP on port 80 inside the VPC. Pass certificate for HTTPS on 443 with HTTP redirected to it.');
  }
}

/**
 * The tasks run in the VPC's private subnets with egress; they must span two AZs at least, so losing one zone does
 * not take out every task (the load balancer needs two zones too, which CDK would report later without the fix).
 */
function requireMultiAzVpc(where: string, vpc: ec2.IVpc): void {
  if (vpc.privateSubnets.length === 0) {
    throw new PlatformValidationError(where, 'vpc', vpc.node.path, 'has no private subnets with egress, where the tasks run',
      'use a VPC with PRIVATE_WITH_EGRESS subnets in at least 2 availability zones (MultiAzNetwork builds them in 3)');
  }
  const zones = [...new Set(vpc.privateSubnets.map((subnet) => subnet.availabilityZone))].filter((az) => !Token.isUnresolved(az));
  if (zones.length === 1) {
    throw new PlatformValidationError(where, 'vpc', vpc.node.path, `has its private subnets in one availability zone (${zones[0]}): losing that zone takes out every task`,
      'use a VPC with subnets in at least 2 availability zones (MultiAzNetwork builds 3)');
  }
}

/** The cache tier props: TTLs and sizes in range, nothing set that the chosen tiers do not read, no reserved variable. */
function validateCacheTier(where: string, props: ResilientServiceProps): CacheTierSettings {
  const l1Seconds = (props.cacheL1Ttl ?? Duration.minutes(5)).toSeconds({ integral: false });
  requireIntegerInRange(where, 'cacheL1Ttl (seconds)', l1Seconds, 1, 86_400);
  const l1MaxItems = props.cacheL1MaxItems ?? 10_000;
  requireIntegerInRange(where, 'cacheL1MaxItems', l1MaxItems, 1, 10_000_000);
  const inProcessCache = props.inProcessCache ?? true;
  if (!inProcessCache) {
    const set = (['cacheL1Ttl', 'cacheL1MaxItems'] as const).find((prop) => props[prop] !== undefined);
    if (set) {
      const value = props[set];
      throw new PlatformValidationError(where, set, value instanceof Duration ? value.toHumanString() : value,
        'is set with inProcessCache false', `remove ${set}, or set inProcessCache to true if the image keeps an in-process cache`);
    }
  }
  for (const [prop, values] of [['environment', props.environment], ['secrets', props.secrets]] as const) {
    const reserved = Object.keys(values ?? {}).find((key) => key.startsWith('CACHE_L1_') || key.startsWith('CACHE_L2_'));
    if (reserved) {
      throw new PlatformValidationError(where, prop, reserved, 'sets a variable the cache tier props own',
        'configure the cache with cacheL1Ttl, cacheL1MaxItems, distributedCache and cacheL2Ttl instead');
    }
  }
  if (!props.distributedCache) {
    if (props.cacheL2Ttl !== undefined) {
      throw new PlatformValidationError(where, 'cacheL2Ttl', props.cacheL2Ttl.toHumanString(), 'is set without distributedCache',
        'pass distributedCache (e.g. a DistributedCache) or remove cacheL2Ttl');
    }
    return { inProcessCache, l1Seconds, l1MaxItems };
  }
  const l2Seconds = (props.cacheL2Ttl ?? Duration.minutes(30)).toSeconds({ integral: false });
  requireIntegerInRange(where, 'cacheL2Ttl (seconds)', l2Seconds, 1, 604_800);
  return { inProcessCache, l1Seconds, l1MaxItems, l2Seconds };
}
