import type { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IDistributedCache } from '../cache/distributed-cache';
import type { LivenessProbe } from './liveness-probe';

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
   * For BLUE_GREEN, LINEAR and CANARY: port of the test listener, through which ECS sends test traffic to the new
   * revision before production traffic moves (smoke tests call it). Internal load balancers admit it from the VPC;
   * internet-facing ones from nothing until the composer opens it (`testListener.connections`). Not allowed with ROLLING.
   * @default 9443 (HTTPS) with a certificate, else 9080 (HTTP)
   */
  readonly testListenerPort?: number;
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
   * @default Duration.minutes(5) - the L1 tier of the README's "Tiered caching" table (hit-rate target about 80%)
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
   * @default Duration.minutes(30) - the L2 tier of the README's "Tiered caching" table (hit-rate target about 60%)
   */
  readonly cacheL2Ttl?: Duration;
}
