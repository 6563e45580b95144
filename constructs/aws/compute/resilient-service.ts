import { Duration, Lazy } from 'aws-cdk-lib';
import type * as arczonalshift from 'aws-cdk-lib/aws-arczonalshift';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import type { ContainerLimits } from '../../core/observability/golden-signals';
import { requireIntegerInRange } from '../../core/validate';
import { acknowledgeResilientServiceFindings } from './private/acknowledge-resilient-service-findings';
import { createServiceAlarms } from './private/service-alarms';
import { configureServiceAutoScaling } from './private/service-auto-scaling';
import { buildServiceLoadBalancer } from './private/service-load-balancer';
import { APP_CONTAINER_NAME, buildServiceTask } from './private/service-task';
import type { TaskShare } from './private/service-task';
import { validateResilientServiceProps, warnOnResilientServiceRisks } from './private/validate-resilient-service-props';
import { configureZonalAutoshift } from './private/zonal-shift';
import type { ResilientServiceProps } from './resilient-service-props';
import type { DeploymentLifecycleHook, IResilientService, SidecarOptions } from './resilient-service-ref';

export { LivenessProbe } from './liveness-probe';
export type { ResilientServiceProps } from './resilient-service-props';

/** The smallest share (CPU units, MiB) the application container keeps when sidecars take theirs: the smallest Fargate task. */
const MIN_APP_SHARE: TaskShare = { cpu: 256, memoryMiB: 512 };

/**
 * An ECS Fargate service behind an Application Load Balancer (internal unless asked, HTTPS only when internet-facing;
 * ARC zonal shift enabled, cross-zone off in the target groups), spread over every AZ, with readiness and liveness
 * checks, CPU and request auto scaling, circuit breaker plus alarm-based rollback (5xx rate, unhealthy targets, p99
 * latency), graceful shutdown, a non-root read-only container, encrypted logs and ALB access logs, and 5xx /
 * unhealthy-target / latency alarms with runbooks.
 */
export class ResilientService extends Construct implements IResilientService {
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
   * The listener ECS sends test traffic to the new revision through, before production traffic moves (BLUE_GREEN,
   * LINEAR and CANARY; `testListenerPort`); undefined for ROLLING.
   */
  public readonly testListener?: elbv2.ApplicationListener;
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
  /**
   * More than the core's `HttpErrorRateHigh` share of requests (`GOLDEN_SIGNALS.errorRatio`) answered 5xx, target or
   * load balancer, for its duration; critical. Rolls deployments back and judges zonal autoshift practice runs.
   */
  public readonly high5xxRateAlarm: cloudwatch.Alarm;
  /**
   * Targets failing the readiness check for 3 minutes (over both target groups when there are two); warning. Rolls
   * deployments back and blocks zonal autoshift practice runs.
   */
  public readonly unhealthyTargetsAlarm: cloudwatch.Alarm;
  /** p99 target response time above `latencyThreshold` in 3 of 5 minutes; warning. Rolls deployments back. */
  public readonly highLatencyAlarm: cloudwatch.Alarm;
  /** Every alarm the construct created: `high5xxRateAlarm`, `unhealthyTargetsAlarm` and `highLatencyAlarm`. */
  public readonly alarms: cloudwatch.Alarm[];
  /** Whether the service is a DR standby (`standby`): sized below one task per AZ on purpose, scaled out at failover. */
  public readonly standby: boolean;
  /** The ARC zonal autoshift configuration of the load balancer; undefined unless `zonalAutoshift` is on. */
  public readonly zonalAutoshiftConfiguration?: arczonalshift.CfnZonalAutoshiftConfiguration;

  /** CPU units and MiB the sidecars reserve out of the task, taken from the application container. */
  private sidecarShare: TaskShare = { cpu: 0, memoryMiB: 0 };
  /** Alarms added by `addDeploymentAlarm` (rendered after the service's own). */
  private readonly extraDeploymentAlarms: cloudwatch.IAlarm[] = [];
  private readonly lifecycleHooks: DeploymentLifecycleHook[] = [];
  private readonly strategy: ecs.DeploymentStrategy;

  constructor(scope: Construct, id: string, props: ResilientServiceProps) {
    super(scope, id);
    const settings = validateResilientServiceProps(this.node.path, props);
    warnOnResilientServiceRisks(this, props, settings);
    this.standby = settings.standby;
    this.allowsInternetIngress = settings.allowsInternetIngress;
    this.strategy = settings.strategy;

    // ---- cluster, logs, task definition
    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });
    const task = buildServiceTask(this, props, settings, () => this.applicationShare());
    this.logGroup = task.logGroup;
    this.taskDefinition = task.taskDefinition;
    this.container = task.container;

    // ---- load balancer, access logs, target groups, listeners
    const ingress = buildServiceLoadBalancer(this, props.vpc, settings, props.certificate);
    this.accessLogBucket = ingress.accessLogBucket;
    this.loadBalancer = ingress.loadBalancer;
    this.targetGroup = ingress.targetGroup;
    this.alternateTargetGroup = ingress.alternateTargetGroup;
    this.listener = ingress.listener;
    this.productionRule = ingress.productionRule;
    this.testListener = ingress.testListener;

    // ---- alarms (created before the service: it rolls back on them)
    const alarms = createServiceAlarms(this, settings.latencySeconds);
    this.high5xxRateAlarm = alarms.high5xxRate;
    this.unhealthyTargetsAlarm = alarms.unhealthyTargets;
    this.highLatencyAlarm = alarms.highLatency;
    this.alarms = [this.high5xxRateAlarm, this.unhealthyTargetsAlarm, this.highLatencyAlarm];
    if (props.zonalAutoshift === true) {
      this.zonalAutoshiftConfiguration = configureZonalAutoshift(this, this.loadBalancer,
        { outcome: this.high5xxRateAlarm, blocking: this.unhealthyTargetsAlarm });
    }

    // ---- service
    const { strategy, bakeTime } = settings;
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: settings.minCapacity,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(60),
      circuitBreaker: { enable: true, rollback: true },
      deploymentAlarms: {
        alarmNames: Lazy.list({ produce: () => [...this.alarms, ...this.extraDeploymentAlarms].map((alarm) => alarm.alarmName) }),
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
      containerName: APP_CONTAINER_NAME,
      containerPort: settings.containerPort,
      protocol: ecs.Protocol.TCP,
      alternateTarget: this.alternateTargetGroup
        ? new ecs.AlternateTarget('AlternateTarget', {
          alternateTargetGroup: this.alternateTargetGroup,
          productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(this.productionRule),
          testListener: ingress.testRule ? ecs.ListenerRuleConfiguration.applicationListenerRule(ingress.testRule) : undefined,
        })
        : undefined,
    }).attachToApplicationTargetGroup(this.targetGroup);

    // ---- L2 cache: network path from the tasks, credentials readable by the task role (re-read after a rotation)
    if (props.distributedCache) {
      props.distributedCache.connections.allowDefaultPortFrom(this.service, `${this.node.path} (L2 cache clients)`);
      props.distributedCache.grantConnect(this.taskDefinition.taskRole);
    }
    configureServiceAutoScaling(this.service, this.targetGroup, settings);
    acknowledgeResilientServiceFindings(this, { settings, clusterCreated: !props.cluster, redirect: ingress.redirect });
  }

  /**
   * CPU and memory limits of the application container as built: the task's, less what sidecars (also those added
   * later, e.g. by `addOtelCollector`) reserve. What saturation alerts and dashboards divide by.
   */
  public get containerLimits(): ContainerLimits {
    const share = this.applicationShare();
    return { cpuCores: share.cpu / 1024, memoryBytes: share.memoryMiB * 1024 ** 2 };
  }

  /**
   * Adds a sidecar container (construct ID and container name `id`) to every task. Its `cpu` and `memoryLimitMiB`
   * come out of the application container's share of the task, which must keep at least 256 CPU units and 512 MiB;
   * the task size does not change (Fargate rejects containers that reserve more than their task). The application
   * container's CPU and memory, and `containerLimits`, follow.
   */
  public addSidecar(id: string, options: SidecarOptions): ecs.ContainerDefinition {
    const where = this.node.path;
    if (this.taskDefinition.node.tryFindChild(id)) {
      throw new PlatformValidationError(where, 'sidecar id', id, 'is already a container of the task', 'give each sidecar its own id');
    }
    requireIntegerInRange(where, `cpu of sidecar ${id}`, options.cpu, 0, this.taskDefinition.cpu);
    requireIntegerInRange(where, `memoryLimitMiB of sidecar ${id}`, options.memoryLimitMiB, 6, this.taskDefinition.memoryMiB);
    const app = this.applicationShare();
    const appCpu = app.cpu - options.cpu;
    const appMemory = app.memoryMiB - options.memoryLimitMiB;
    if (appCpu < MIN_APP_SHARE.cpu || appMemory < MIN_APP_SHARE.memoryMiB) {
      throw new PlatformValidationError(where, `cpu/memoryLimitMiB of sidecar ${id}`, `${options.cpu}/${options.memoryLimitMiB}`,
        `leave the application ${appCpu} CPU units and ${appMemory} MiB of the ${this.taskDefinition.cpu}/${this.taskDefinition.memoryMiB} task (at least ${MIN_APP_SHARE.cpu} and ${MIN_APP_SHARE.memoryMiB} needed)`,
        "raise the service's cpu and memoryLimitMiB or lower the sidecar's");
    }
    this.sidecarShare = { cpu: this.sidecarShare.cpu + options.cpu, memoryMiB: this.sidecarShare.memoryMiB + options.memoryLimitMiB };
    return this.taskDefinition.addContainer(id, options);
  }

  /**
   * Rolls deployments back when `alarm` goes to ALARM during one (ECS deployment alarms), besides the service's own
   * 5xx, unhealthy-target and p99-latency alarms; e.g. an SLO's fast-burn alarm.
   */
  public addDeploymentAlarm(alarm: cloudwatch.IAlarm): void {
    if (![...this.alarms, ...this.extraDeploymentAlarms].includes(alarm)) this.extraDeploymentAlarms.push(alarm);
  }

  /**
   * Runs `hook` (a Lambda function) at its stages of every deployment: ECS continues on `SUCCEEDED`, rolls back on
   * `FAILED`. Needs a progressive `deploymentStrategy` (BLUE_GREEN, LINEAR or CANARY): its stages are those of the
   * traffic shift. The hooks, with their `details`, are rendered at synth.
   */
  public addDeploymentLifecycleHook(hook: DeploymentLifecycleHook): void {
    if (!this.alternateTargetGroup) {
      throw new PlatformValidationError(this.node.path, 'deploymentStrategy', this.strategy,
        'runs no lifecycle hook (no traffic shift between two target groups)', 'use BLUE_GREEN, LINEAR or CANARY to add deployment lifecycle hooks');
    }
    if (hook.stages.length === 0) {
      throw new PlatformValidationError(this.node.path, 'stages', [], 'is empty: the hook would never run', 'name at least one DeploymentLifecycleStage');
    }
    if (this.lifecycleHooks.length === 0) {
      (this.service.node.defaultChild as ecs.CfnService).addPropertyOverride('DeploymentConfiguration.LifecycleHooks', Lazy.any({
        produce: () => this.lifecycleHooks.map((h) => ({
          HookTargetArn: h.target.functionArn,
          RoleArn: h.role.roleArn,
          LifecycleStages: [...h.stages],
          ...(h.details ? { HookDetails: h.details } : {}),
        })),
      }));
    }
    this.lifecycleHooks.push(hook);
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

  /** 5xx responses (target and load balancer) as a percent of requests, per minute: what `high5xxRateAlarm` watches. */
  public metric5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)',
      usingMetrics: { requests: this.metricRequestCount(), target5xx: this.metricTarget5xxCount(), elb5xx: this.metricElb5xxCount() },
      label: '5xx responses (% of requests)',
      period: Duration.minutes(1),
      ...props,
    });
  }

  /** Time from the request leaving the load balancer to the response headers (p99 unless `statistic` says otherwise). */
  public metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancer.metrics.targetResponseTime({ statistic: 'p99', period: Duration.minutes(1), ...props });
  }

  /** Targets of the production target group failing the readiness check (Maximum). */
  public metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** CPU utilization of the service, percent of the reserved CPU (Average). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  /** Memory utilization of the service, percent of the reserved memory (Average). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization(props);
  }

  /** CPU units and MiB the application container keeps: the task's, less what the sidecars reserve. */
  private applicationShare(): TaskShare {
    return { cpu: this.taskDefinition.cpu - this.sidecarShare.cpu, memoryMiB: this.taskDefinition.memoryMiB - this.sidecarShare.memoryMiB };
  }
}
