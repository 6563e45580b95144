import { Annotations, Duration, RemovalPolicy, Size, Token, Validations } from 'aws-cdk-lib';
import * as arczonalshift from 'aws-cdk-lib/aws-arczonalshift';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import type { IDistributedCache } from '../cache/distributed-cache';
import { requireIntegerInRange, requireMinNotAboveMax, requireNumberInRange, requirePath } from '../../core/validate';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { GOLDEN_SIGNALS } from '../../core/observability/golden-signals';
import type { ContainerLimits } from '../../core/observability/golden-signals';
import { applicationShare } from '../private/container-share';
import { acknowledgeControlTower, acknowledgeLogBucketControls, acknowledgeShortLogRetention } from '../private/control-tower';
import { acknowledgeRoutedByComposer, createRunbookAlarm, mirrorSignal } from '../private/runbook-alarm';
import { markForBackup } from '../private/stateful';
import { requireFargateSize } from './fargate-sizes';

/** How a container checks its liveness path from inside (ECS container health check). */
export class LivenessProbe {
  /** `curl -fsS http://localhost:<port><path>`: the image needs curl. */
  public static curl(): LivenessProbe {
    return new LivenessProbe((port, path) => ['CMD-SHELL', `curl -fsS http://localhost:${port}${path} || exit 1`]);
  }

  /** `wget -q -O /dev/null ...`: busybox and Alpine images. */
  public static wget(): LivenessProbe {
    return new LivenessProbe((port, path) => ['CMD-SHELL', `wget -q -O /dev/null http://localhost:${port}${path} || exit 1`]);
  }

  /** Node's built-in fetch, for Node images without curl (the reference service). */
  public static nodeFetch(): LivenessProbe {
    return new LivenessProbe((port, path) => ['CMD', 'node', '-e',
      `fetch('http://127.0.0.1:${port}${path}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`]);
  }

  /** A command of your own in exec form (`['CMD', ...]`), e.g. a health-check binary shipped in the image. */
  public static custom(command: string[]): LivenessProbe {
    return new LivenessProbe(() => [...command]);
  }

  private constructor(private readonly render: (port: number, path: string) => string[]) {}

  /** The container health-check command for `port` and `path`. */
  public command(port: number, path: string): string[] {
    return this.render(port, path);
  }
}

/** Props of {@link ResilientService}. */
export interface ResilientServiceProps {
  /** The VPC: tasks run in its private-with-egress subnets of every AZ, the load balancer in its public (or private) subnets. */
  readonly vpc: ec2.IVpc;
  /** The container image of the service. */
  readonly image: ecs.ContainerImage;
  /**
   * Port the container listens on (HTTP), 1024 to 65535: the container runs as a non-root user, which cannot bind a
   * privileged port.
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * CPU units of a task (and of its one container); must form a valid Fargate size with `memoryLimitMiB`.
   * @default 1024
   */
  readonly cpu?: number;
  /**
   * Memory of a task (and of its one container) in MiB; must form a valid Fargate size with `cpu`.
   * @default 2048
   */
  readonly memoryLimitMiB?: number;
  /**
   * The ECS cluster to run in.
   * @default - a new cluster in `vpc` with Container Insights (enhanced observability)
   */
  readonly cluster?: ecs.ICluster;
  /**
   * Plain environment variables of the container (no secrets here: use `secrets`).
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Secrets injected as environment variables from Secrets Manager or SSM Parameter Store.
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;
  /**
   * User (and group) the container runs as; root is refused.
   * @default '1000:1000'
   */
  readonly user?: string;
  /**
   * Readiness path: the load balancer sends traffic only to tasks that answer 200-399 here.
   * @default '/ready'
   */
  readonly readinessPath?: string;
  /**
   * Liveness path: ECS replaces a task whose container stops answering here (see `livenessProbe`). Must
   * differ from `readinessPath`, so a task shedding load is taken out of rotation instead of being killed.
   * @default '/health'
   */
  readonly livenessPath?: string;
  /**
   * How the container checks its own liveness path (the image must have the tool).
   * @default LivenessProbe.curl()
   */
  readonly livenessProbe?: LivenessProbe;
  /**
   * Minimum number of tasks (also the desired count at deploy). Below one task per AZ (0 included) warns, unless
   * `standby` says the service is a DR standby sized so on purpose.
   * @default 3
   */
  readonly minCapacity?: number;
  /**
   * Whether the service is a DR standby that failover scales out (pilot light with 0 tasks, warm standby scaled
   * down): a `minCapacity` of 0 or below the number of AZs is then the design and does not warn.
   * @default false - a serving service: `minCapacity` 0 or below the number of AZs warns
   */
  readonly standby?: boolean;
  /**
   * Maximum number of tasks auto scaling may run.
   * @default 20
   */
  readonly maxCapacity?: number;
  /**
   * Target average CPU utilization (percent) of the CPU target-tracking policy.
   * @default 70
   */
  readonly cpuTargetPercent?: number;
  /**
   * Target requests per task per minute (ALBRequestCountPerTarget) of the request target-tracking policy.
   * @default 1000
   */
  readonly requestsPerTarget?: number;
  /**
   * How new task definitions are rolled out. Every strategy keeps the circuit breaker and alarm-based rollback;
   * BLUE_GREEN, LINEAR and CANARY shift traffic between two target groups through a production listener rule.
   * @default ecs.DeploymentStrategy.ROLLING
   */
  readonly deploymentStrategy?: ecs.DeploymentStrategy;
  /**
   * For BLUE_GREEN, LINEAR and CANARY: how long the new revision serves traffic (and, for LINEAR and CANARY,
   * each traffic step lasts) before the old one is retired. Not allowed with ROLLING.
   * @default - 5 minutes for BLUE_GREEN, LINEAR and CANARY
   */
  readonly bakeTime?: Duration;
  /**
   * How long the target group drains a deregistered task before ECS stops it.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;
  /**
   * How long the container has between SIGTERM and SIGKILL; at most 120 s on Fargate, longer than `deregistrationDelay`.
   * @default Duration.seconds(60)
   */
  readonly stopTimeout?: Duration;
  /**
   * Retention of the container logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Certificate of an HTTPS listener on 443 (TLS 1.2+, port 80 redirects to it); required when `internetFacing`.
   * @default - plain HTTP on port 80 inside the VPC (internal load balancer only), with a warning
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Whether the load balancer has a public DNS name (in public subnets) or is internal (private subnets, VPC only).
   * An internet-facing load balancer needs `certificate`: it serves HTTPS only (port 80 redirects).
   * @default false - internal: reachable from the VPC only (e.g. behind a CloudFront VPC origin)
   */
  readonly internetFacing?: boolean;
  /**
   * Whether an internet-facing load balancer's listeners admit any address (0.0.0.0/0). Turn it off when something
   * else opens the way in, e.g. {@link PublicOriginAccess} admitting CloudFront's origin-facing servers only.
   * Ignored (nothing is opened) for an internal load balancer.
   * @default true
   */
  readonly allowInternetIngress?: boolean;
  /**
   * p99 target response time above which the latency alarm fires (3 of 5 one-minute periods).
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Let AWS enable ARC zonal autoshift on the load balancer: AWS shifts traffic away from an impaired AZ on its own,
   * and runs a weekly practice shift that the 5xx-rate alarm judges (the unhealthy-target alarm blocks it). Zonal
   * shift itself (the `az-evacuation` drill) is always enabled.
   * @default false - zonal shift is enabled, autoshift is not
   */
  readonly zonalAutoshift?: boolean;
  /**
   * Let AWS FIS inject faults into the tasks through the ECS fault injection endpoints (network latency,
   * packet loss, CPU stress); inert until an experiment runs.
   * @default false
   */
  readonly faultInjection?: boolean;
  /**
   * Whether the image keeps an in-process (L1) cache: the container then gets `CACHE_L1_TTL_SECONDS` and
   * `CACHE_L1_MAX_ITEMS`. Turn it off for an image without one, so the task passes no setting nothing reads.
   * @default true
   */
  readonly inProcessCache?: boolean;
  /**
   * Time to live of entries in the in-process (L1) cache of each task, 1 second to 1 day; passed as `CACHE_L1_TTL_SECONDS`.
   * @default Duration.minutes(5) - the seed L1 TTL (hit-rate target 80%)
   */
  readonly cacheL1Ttl?: Duration;
  /**
   * Entries the in-process (L1) cache of each task holds before evicting the least recently used, 1 to 10,000,000;
   * passed as `CACHE_L1_MAX_ITEMS`.
   * @default 10000
   */
  readonly cacheL1MaxItems?: number;
  /**
   * Distributed (L2) cache the service reads through: the container gets `CACHE_L2_ENDPOINT`, `CACHE_L2_PORT`,
   * `CACHE_L2_TLS`, `CACHE_L2_CLUSTER_MODE`, `CACHE_L2_TTL_SECONDS` and the credentials as the secrets
   * `CACHE_L2_USERNAME` / `CACHE_L2_PASSWORD`; the cache accepts connections from the service and the task role may
   * re-read the credentials.
   * @default - no L2 tier: only the in-process cache
   */
  readonly distributedCache?: IDistributedCache;
  /**
   * Time to live of entries the service writes to the distributed (L2) cache, 1 second to 7 days; passed as
   * `CACHE_L2_TTL_SECONDS`. Only with `distributedCache`.
   * @default Duration.minutes(30) - the seed L2 TTL (hit-rate target 60%)
   */
  readonly cacheL2Ttl?: Duration;
}

/** Runbook paths of the alarms {@link ResilientService} creates (each a committed `runbooks/<path>.md`). */
const RUNBOOKS = {
  high5xxRate: 'alerts/service/ServiceHigh5xxRate',
  unhealthyTargets: 'alerts/service/ServiceUnhealthyTargets',
  highLatency: 'alerts/service/ServiceHighLatency',
} as const;

/** 5xx share of requests above which the service is failing, and for how long: the core's `HttpErrorRateHigh`. */
const HIGH_5XX_RATE = mirrorSignal(GOLDEN_SIGNALS.errorRatio);
const CONTAINER_NAME = 'App';
const PROGRESSIVE = new Set<ecs.DeploymentStrategy>([ecs.DeploymentStrategy.BLUE_GREEN, ecs.DeploymentStrategy.LINEAR, ecs.DeploymentStrategy.CANARY]);

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

/**
 * An ECS Fargate service behind an Application Load Balancer (internal unless asked, HTTPS only when internet-facing;
 * ARC zonal shift enabled, cross-zone off in the target groups), spread over every AZ, with readiness and liveness
 * checks, CPU and request auto scaling, circuit breaker plus alarm-based rollback (5xx rate, unhealthy targets, p99
 * latency), graceful shutdown, a non-root read-only container, encrypted logs and ALB access logs, and 5xx /
 * unhealthy-target / latency alarms with runbooks.
 */
export class ResilientService extends Construct {
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** The cluster the service runs in (given or created). */
  public readonly cluster: ecs.ICluster;
  /** The Application Load Balancer in front of the service. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The production target group (blue for BLUE_GREEN, LINEAR and CANARY). */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The alternate (green) target group of BLUE_GREEN, LINEAR and CANARY deployments; undefined for ROLLING. */
  public readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** The listener clients connect to: HTTPS 443 with a certificate, else HTTP 80. */
  public readonly listener: elbv2.ApplicationListener;
  /**
   * The listener rule that forwards every path to the service (its weights shift in progressive deployments);
   * add conditions to it (e.g. an origin-verify header) rather than rules in front of it.
   */
  public readonly productionRule: elbv2.ApplicationListenerRule;
  /** Whether the listeners admit any address (internet-facing and `allowInternetIngress` on). */
  public readonly allowsInternetIngress: boolean;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The container log group (KMS-encrypted, retained). */
  public readonly logGroup: logs.LogGroup;
  /** The bucket of the load balancer access logs (retained, versioned). */
  public readonly accessLogBucket: s3.Bucket;
  /** Every alarm the construct created; the 5xx-rate, unhealthy-target and p99-latency alarms also roll deployments back. */
  public readonly alarms: cloudwatch.Alarm[];
  /** Whether the service is a DR standby (`standby`): sized below one task per AZ on purpose, scaled out at failover. */
  public readonly standby: boolean;
  /** The ARC zonal autoshift configuration of the load balancer; undefined unless `zonalAutoshift` is on. */
  public readonly zonalAutoshiftConfiguration?: arczonalshift.CfnZonalAutoshiftConfiguration;

  constructor(scope: Construct, id: string, props: ResilientServiceProps) {
    super(scope, id);
    const where = this.node.path;
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

    // ---- validation: every bad input named, with its fix, before anything is built
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
    const latencySeconds = latencyThreshold.toMilliseconds() / 1000;
    requireNumberInRange(where, 'latencyThreshold (seconds)', latencySeconds, 0.01, 60);
    const cacheEnvironment = this.cacheTier(props);

    // A DR standby sized below one task per AZ is the tier's design (failover scales it out): nothing to act on.
    this.standby = props.standby ?? false;
    if (!this.standby && minCapacity === 0) {
      Annotations.of(this).addWarningV2('platform:service:min-capacity-zero',
        'minCapacity is 0: the service runs no task until scaled up. Use at least one task per AZ for a serving service, or set standby: true for a DR standby that failover scales out.');
    } else if (!this.standby && minCapacity < props.vpc.availabilityZones.length) {
      Annotations.of(this).addWarningV2('platform:service:min-below-azs',
        `minCapacity (${minCapacity}) is below the number of AZs (${props.vpc.availabilityZones.length}): some AZs run no task, and losing an AZ can take out the whole service. Raise minCapacity to ${props.vpc.availabilityZones.length}, or set standby: true for a DR standby that failover scales out.`);
    }

    // ---- cluster, logs, task definition
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });
    if (!props.cluster) {
      acknowledgeControlTower(this.cluster, 'CT.ECS.PR.2',
        "Container Insights is on, with enhanced observability (ClusterSettings containerInsights 'enhanced', a superset of 'enabled'); the control's rule accepts only the value 'enabled'.");
    }

    const logKey = createDataKey(this, 'LogKey', `${where} container logs`);
    allowCloudWatchLogs(logKey);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    this.logGroup = createEncryptedLogGroup(this, 'Logs', { key: logKey, retention: logRetention });
    acknowledgeShortLogRetention(this.logGroup, logRetention, 'Container logs', 'logRetention');

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu,
      memoryLimitMiB,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
      enableFaultInjection: props.faultInjection,
    });
    this.container = this.taskDefinition.addContainer(CONTAINER_NAME, {
      image: props.image,
      cpu,
      memoryLimitMiB,
      essential: true,
      user,
      readonlyRootFilesystem: true,
      environment: { ...props.environment, ...cacheEnvironment.environment },
      secrets: { ...props.secrets, ...cacheEnvironment.secrets },
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP, name: 'http' }],
      stopTimeout,
      healthCheck: {
        command: (props.livenessProbe ?? LivenessProbe.curl()).command(containerPort, livenessPath),
        interval: Duration.seconds(10),
        timeout: Duration.seconds(2),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'app',
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
    });
    Validations.of(this.taskDefinition.obtainExecutionRole().node.findChild('DefaultPolicy')).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The execution role policy CDK generates (log stream writes to this service\'s log group, image pulls) is attached to this one role only and lives and dies with it; a managed policy would not narrow it.',
    });
    Validations.of(this.taskDefinition.obtainExecutionRole().node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, which pulling a private (e.g. asset-built) image needs, has no resource-level permission; the repository pull actions are scoped to the repository.',
    });
    Validations.of(this.taskDefinition.taskRole).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'Grants to the task role (grantConnect, grantRead, ...) land in the policy CDK generates for this one role, each statement scoped to the granted resource; a managed policy would only widen who could attach it.',
    });
    // The cache tier settings are always passed as plain environment variables (no secrets: credentials are ECS secrets).
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'environment carries non-secret configuration only (cache TTLs and sizes, the cache endpoint, and the environment prop, documented as secret-free); secrets are injected from Secrets Manager or SSM through ECS secrets.',
    });
    // A read-only root file system still needs somewhere to write temporary files.
    this.taskDefinition.addVolume({ name: 'tmp' });
    this.container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });

    // ---- load balancer, access logs
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // ALB access logs support SSE-S3 only
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    });
    markForBackup(this.accessLogBucket);
    Validations.of(this.accessLogBucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: 'This bucket is itself a log destination (ALB access logs); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.' },
      { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'This bucket is itself a log destination (ALB access logs); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.' },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'Elastic Load Balancing writes access logs only to buckets encrypted with SSE-S3; SSE-KMS is not supported for ALB access logs.' },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'ALB access logs are regional diagnostics that expire after 365 days; they are covered by the backup plan (platform:backup tag) rather than cross-region replication.' },
    );
    acknowledgeLogBucketControls(this.accessLogBucket, 'ALB access logs', { sseS3Only: true });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing,
      vpcSubnets: { subnetType: internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS },
      dropInvalidHeaderFields: true,
      deletionProtection: true,
      http2Enabled: true,
    });
    this.loadBalancer.logAccessLogs(this.accessLogBucket, 'alb');
    // ARC zonal shift (the az-evacuation drill, and zonal autoshift when asked): off by default on every load balancer.
    this.loadBalancer.setAttribute('zonal_shift.config.enabled', 'true');
    Validations.of(this.loadBalancer).acknowledge({
      id: 'NIST.800.53.R5-ALBWAFEnabled',
      reason: 'Request filtering rules are not owned by a service construct: the composing stack (edge layer) associates its WAFv2 web ACL with loadBalancer, so one rule set serves every service of the environment.',
    });
    if (internetFacing && (props.allowInternetIngress ?? true)) {
      Validations.of(this.loadBalancer.node.findChild('SecurityGroup')).acknowledge({
        id: 'AwsSolutions-EC23',
        reason: 'An internet-facing load balancer accepts its listener ports (443, and 80 which only redirects when a certificate is set) from any address; the tasks behind it accept only the load balancer security group.',
      });
    }

    const newTargetGroup = (tgId: string) => new elbv2.ApplicationTargetGroup(this, tgId, {
      vpc: props.vpc,
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      // Zonal independence: each load balancer node sends only to the tasks of its own AZ, so a zonal shift (or an
      // impaired zone) takes that zone's tasks out of every path; an ALB cannot turn cross-zone off at its own level.
      crossZoneEnabled: false,
      deregistrationDelay,
      healthCheck: {
        path: readinessPath,
        interval: Duration.seconds(10),
        timeout: Duration.seconds(2),
        unhealthyThresholdCount: 3,
        healthyThresholdCount: 2,
        healthyHttpCodes: '200-399',
      },
    });
    this.targetGroup = newTargetGroup('TargetGroup');
    this.alternateTargetGroup = progressive ? newTargetGroup('AlternateTargetGroup') : undefined;
    for (const tg of [this.targetGroup, this.alternateTargetGroup]) {
      if (tg) {
        acknowledgeControlTower(tg, 'CT.ELASTICLOADBALANCING.PR.15',
          'Cross-zone load balancing is off on purpose (zonal independence): each load balancer node sends only to the tasks of its own AZ, so an ARC zonal shift (the az-evacuation drill) or an impaired zone takes that zone out of every path.');
      }
    }

    // ---- listeners: HTTPS with redirect from 80, or HTTP (internal load balancers only) with a warning
    const open = this.allowsInternetIngress = internetFacing && (props.allowInternetIngress ?? true);
    if (props.certificate) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        open,
        defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' }),
      });
      const redirect = this.loadBalancer.addRedirect({ sourcePort: 80, sourceProtocol: elbv2.ApplicationProtocol.HTTP, targetPort: 443, targetProtocol: elbv2.ApplicationProtocol.HTTPS, open });
      Validations.of(redirect).acknowledge({
        id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired',
        reason: 'This port-80 listener serves nothing: its only action is a 301 redirect to the HTTPS listener on 443, which uses the ACM certificate.',
      });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open,
        defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not Found' }),
      });
      Annotations.of(this).addWarningV2('platform:service:no-certificate',
        'No certificate: the internal load balancer serves plain HTTP on port 80 inside the VPC. Pass certificate for HTTPS on 443 with HTTP redirected to it.');
      acknowledgeControlTower(this.listener, 'CT.ELASTICLOADBALANCING.PR.1',
        'No certificate was given, so this internal load balancer (reachable from inside the VPC only, e.g. by a CloudFront VPC origin) serves plain HTTP on port 80, as the synth warning platform:service:no-certificate says. Pass certificate: HTTPS on 443 with port 80 redirected passes this control.');
    }
    if (!internetFacing) {
      this.loadBalancer.connections.allowFrom(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(this.listener.port),
        'Clients inside the VPC');
      for (const id of ['AwsSolutions-EC23', 'NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH']) {
        Validations.of(this.loadBalancer.node.findChild('SecurityGroup')).acknowledge({
          id,
          reason: 'Internal load balancer: its only CIDR source is the VPC block (a token the rule cannot evaluate), on the listener port only; nothing outside the VPC can route to it (the edge reaches it through a CloudFront VPC origin).',
        });
      }
    }
    // One rule matching every path; ECS shifts its weights between blue and green in progressive deployments.
    const productionRule = this.productionRule = new elbv2.ApplicationListenerRule(this, 'ProductionRule', {
      listener: this.listener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: this.alternateTargetGroup
        ? elbv2.ListenerAction.weightedForward([
          { targetGroup: this.targetGroup, weight: 100 },
          { targetGroup: this.alternateTargetGroup, weight: 0 },
        ])
        : elbv2.ListenerAction.forward([this.targetGroup]),
    });

    // ---- alarms (created before the service: it rolls back on them)
    this.alarms = this.createAlarms(latencySeconds);
    const [high5xxRate, unhealthyTargets, highLatency] = this.alarms;
    if (props.zonalAutoshift === true) {
      this.zonalAutoshiftConfiguration = new arczonalshift.CfnZonalAutoshiftConfiguration(this, 'ZonalAutoshift', {
        resourceIdentifier: this.loadBalancer.loadBalancerArn,
        zonalAutoshiftStatus: 'ENABLED',
        // Autoshift requires weekly practice runs (one outcome alarm, one blocking alarm): a run fails (and ends) when
        // the service answers 5xx, and does not start while tasks are failing their readiness checks.
        practiceRunConfiguration: {
          outcomeAlarms: [{ type: 'CLOUDWATCH', alarmIdentifier: high5xxRate.alarmArn }],
          blockingAlarms: [{ type: 'CLOUDWATCH', alarmIdentifier: unhealthyTargets.alarmArn }],
        },
      });
    }

    // ---- service
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: minCapacity,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      circuitBreaker: { enable: true, rollback: true },
      deploymentAlarms: {
        alarmNames: [high5xxRate.alarmName, unhealthyTargets.alarmName, highLatency.alarmName],
        behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
      },
      deploymentStrategy: strategy,
      bakeTime,
      linearConfiguration: strategy === ecs.DeploymentStrategy.LINEAR ? { stepPercent: 20, stepBakeTime: bakeTime } : undefined,
      canaryConfiguration: strategy === ecs.DeploymentStrategy.CANARY ? { stepPercent: 10, stepBakeTime: bakeTime } : undefined,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    this.service.loadBalancerTarget({
      containerName: CONTAINER_NAME,
      containerPort,
      protocol: ecs.Protocol.TCP,
      alternateTarget: this.alternateTargetGroup
        ? new ecs.AlternateTarget('AlternateTarget', {
          alternateTargetGroup: this.alternateTargetGroup,
          productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(productionRule),
        })
        : undefined,
    }).attachToApplicationTargetGroup(this.targetGroup);
    const alternateTargetRole = this.service.node.tryFindChild('AlternateTargetRole');
    if (alternateTargetRole) {
      Validations.of(alternateTargetRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
        reason: 'AWS documents this managed policy as the infrastructure role ECS assumes to shift listener rule weights between blue and green target groups; AWS keeps it in step with the ECS API.',
      });
    }

    // ---- L2 cache: network path from the tasks, credentials readable by the task role (re-read after a rotation)
    if (props.distributedCache) {
      props.distributedCache.connections.allowDefaultPortFrom(this.service, `${where} (L2 cache clients)`);
      props.distributedCache.grantConnect(this.taskDefinition.taskRole);
    }

    // ---- auto scaling
    const scaling = this.service.autoScaleTaskCount({ minCapacity, maxCapacity });
    scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: cpuTargetPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
    scaling.scaleOnRequestCount('RequestScaling', {
      requestsPerTarget,
      targetGroup: this.targetGroup,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });
  }

  /**
   * Validates the cache tier settings and returns the container environment and secrets of the in-process (L1)
   * cache and, when given, the distributed (L2) cache. An L1 TTL longer than the L2 TTL warns: an entry outlives in
   * the tasks the copy every task shares, so invalidations through L2 reach the tasks late.
   */
  private cacheTier(props: ResilientServiceProps): { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } {
    const where = this.node.path;
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
    const environment: Record<string, string> = inProcessCache
      ? { CACHE_L1_TTL_SECONDS: String(l1Seconds), CACHE_L1_MAX_ITEMS: String(l1MaxItems) }
      : {};
    for (const [prop, values] of [['environment', props.environment], ['secrets', props.secrets]] as const) {
      const reserved = Object.keys(values ?? {}).find((key) => key.startsWith('CACHE_L1_') || key.startsWith('CACHE_L2_'));
      if (reserved) {
        throw new PlatformValidationError(where, prop, reserved, 'sets a variable the cache tier props own',
          'configure the cache with cacheL1Ttl, cacheL1MaxItems, distributedCache and cacheL2Ttl instead');
      }
    }
    const cache = props.distributedCache;
    if (!cache) {
      if (props.cacheL2Ttl !== undefined) {
        throw new PlatformValidationError(where, 'cacheL2Ttl', props.cacheL2Ttl.toHumanString(), 'is set without distributedCache',
          'pass distributedCache (e.g. a DistributedCache) or remove cacheL2Ttl');
      }
      return { environment, secrets: {} };
    }
    const l2Seconds = (props.cacheL2Ttl ?? Duration.minutes(30)).toSeconds({ integral: false });
    requireIntegerInRange(where, 'cacheL2Ttl (seconds)', l2Seconds, 1, 604_800);
    if (inProcessCache && l1Seconds > l2Seconds) {
      Annotations.of(this).addWarningV2('platform:service:l1-ttl-above-l2',
        `cacheL1Ttl (${l1Seconds} seconds) is longer than cacheL2Ttl (${l2Seconds} seconds): tasks keep serving entries the shared cache has already expired or invalidated. Keep the L1 TTL at or below the L2 TTL.`);
    }
    return {
      environment: {
        ...environment,
        CACHE_L2_ENDPOINT: cache.endpoint,
        CACHE_L2_PORT: String(cache.port),
        CACHE_L2_TLS: 'true',
        CACHE_L2_CLUSTER_MODE: String(cache.clusterMode),
        CACHE_L2_TTL_SECONDS: String(l2Seconds),
      },
      secrets: {
        CACHE_L2_USERNAME: ecs.Secret.fromSecretsManager(cache.secret, 'username'),
        CACHE_L2_PASSWORD: ecs.Secret.fromSecretsManager(cache.secret, 'password'),
      },
    };
  }

  /** Requests the load balancer received (Sum). */
  public metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancer.metrics.requestCount({ period: Duration.minutes(1), ...props });
  }

  /** 5xx responses the tasks returned (Sum). */
  public metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), ...props });
  }

  /** 5xx responses the load balancer itself returned (no healthy target, timeouts, resets) (Sum). */
  public metricElb5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: Duration.minutes(1), ...props });
  }

  /** Time from the request leaving the load balancer to the response headers (p99 unless `statistic` says otherwise). */
  public metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancer.metrics.targetResponseTime({ statistic: 'p99', period: Duration.minutes(1), ...props });
  }

  /** Targets of the production target group failing the readiness check (Maximum). */
  public metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /**
   * CPU and memory limits of the application container as built: the task's, less what sidecars added to it (also
   * later, e.g. `addOtelCollector`) reserve. What saturation alerts and dashboards divide by.
   */
  public get containerLimits(): ContainerLimits {
    const share = applicationShare(this.taskDefinition);
    return { cpuCores: share.cpu / 1024, memoryBytes: share.memoryMiB * 1024 ** 2 };
  }

  /** CPU utilization of the service, percent of the reserved CPU (Average). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  /** Memory utilization of the service, percent of the reserved memory (Average). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization(props);
  }

  /** 5xx rate, unhealthy targets (over both target groups when there are two) and p99 latency, in that order. */
  private createAlarms(latencySeconds: number): cloudwatch.Alarm[] {
    const high5xxRate = createRunbookAlarm(this, 'High5xxRateAlarm', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
        usingMetrics: { requests: this.metricRequestCount(), target5xx: this.metricTarget5xxCount(), elb5xx: this.metricElb5xxCount() },
        label: '5xx responses (% of requests)',
        period: Duration.minutes(1),
      }),
      threshold: HIGH_5XX_RATE.percent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: HIGH_5XX_RATE.minutes,
      severity: 'critical',
      summary: `More than ${HIGH_5XX_RATE.percent}% of requests to ${this.node.path} answered 5xx for ${HIGH_5XX_RATE.minutes} minutes.`,
      runbook: RUNBOOKS.high5xxRate,
    });

    const unhealthy = this.alternateTargetGroup
      ? new cloudwatch.MathExpression({
        expression: 'FILL(blue, 0) + FILL(green, 0)',
        usingMetrics: {
          blue: this.metricUnhealthyHostCount(),
          green: this.alternateTargetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
        },
        label: 'Unhealthy targets (both target groups)',
        period: Duration.minutes(1),
      })
      : this.metricUnhealthyHostCount();
    const unhealthyTargets = createRunbookAlarm(this, 'UnhealthyTargetsAlarm', {
      metric: unhealthy,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      severity: 'warning',
      summary: `Tasks of ${this.node.path} have failed the readiness check for 3 minutes.`,
      runbook: RUNBOOKS.unhealthyTargets,
    });

    const highLatency = createRunbookAlarm(this, 'HighLatencyAlarm', {
      metric: this.metricTargetResponseTime(),
      threshold: latencySeconds,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      severity: 'warning',
      summary: `p99 response time of ${this.node.path} above ${latencySeconds} s in 3 of 5 minutes.`,
      runbook: RUNBOOKS.highLatency,
    });
    const alarms = [high5xxRate, unhealthyTargets, highLatency];
    acknowledgeRoutedByComposer(alarms, 'ResilientService.alarms',
      'The 5xx, unhealthy-target and p99-latency alarms are also read directly by ECS to roll deployments back.');
    return alarms;
  }
}
