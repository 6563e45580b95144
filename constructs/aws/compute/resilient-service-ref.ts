import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { ContainerLimits } from '../../core/observability/golden-signals';

/** Options of {@link IResilientService.addSidecar}: a container definition whose CPU and memory are required. */
export interface SidecarOptions extends ecs.ContainerDefinitionOptions {
  /** CPU units the sidecar reserves, taken from the application container's share of the task. */
  readonly cpu: number;
  /** Memory (MiB) the sidecar reserves (its hard limit), taken from the application container's share of the task. */
  readonly memoryLimitMiB: number;
}

/**
 * A Lambda function ECS invokes at stages of a deployment (a deployment lifecycle hook): it answers `SUCCEEDED`,
 * `FAILED` (ECS rolls the deployment back) or `IN_PROGRESS` (ECS asks again).
 */
export interface DeploymentLifecycleHook {
  /** The function ECS invokes. */
  readonly target: lambda.IFunction;
  /** The role ECS assumes to invoke it (trusting `ecs.amazonaws.com`, allowed `lambda:InvokeFunction` on `target`). */
  readonly role: iam.IRole;
  /** The stages it runs at. */
  readonly stages: readonly ecs.DeploymentLifecycleStage[];
  /**
   * JSON object ECS passes to every invocation as `hookDetails` (settings of this service the function needs).
   * @default - none
   */
  readonly details?: object;
}

/**
 * What consumers read from a {@link ResilientService}: the load balancer path in (load balancer, listener, production
 * rule, target group), the ECS parts (cluster, service, task definition, application container, logs), the container
 * limits saturation alerts and dashboards divide by, the metrics, and the alarms that roll deployments back.
 * Implemented by `ResilientService`; monitoring, edge origins and the OpenTelemetry collector take this interface.
 */
export interface IResilientService extends IConstruct {
  /** The Fargate service. */
  readonly service: ecs.FargateService;
  /** The cluster the service runs in. */
  readonly cluster: ecs.ICluster;
  /** The Application Load Balancer in front of the service. */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The production target group (blue for BLUE_GREEN, LINEAR and CANARY). */
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  /** The listener clients connect to: HTTPS 443 with a certificate, else HTTP 80. */
  readonly listener: elbv2.ApplicationListener;
  /**
   * The listener rule that forwards every path to the service (its weights shift in progressive deployments);
   * add conditions to it (e.g. an origin-verify header) rather than rules in front of it.
   */
  readonly productionRule: elbv2.ApplicationListenerRule;
  /** Whether the listeners admit any address (internet-facing and `allowInternetIngress` on). */
  readonly allowsInternetIngress: boolean;
  /** The task definition. */
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  readonly container: ecs.ContainerDefinition;
  /** The container log group. */
  readonly logGroup: logs.ILogGroup;
  /**
   * CPU and memory limits of the application container as built: the task's, less what sidecars (also those added
   * later, e.g. by `addOtelCollector`) reserve. What saturation alerts and dashboards divide by; read it at synth.
   */
  readonly containerLimits: ContainerLimits;
  /** 5xx responses (target and load balancer) above the core's `HttpErrorRateHigh` share of requests; critical. */
  readonly high5xxRateAlarm: cloudwatch.Alarm;
  /** Targets failing the readiness check for 3 minutes (over both target groups when there are two); warning. */
  readonly unhealthyTargetsAlarm: cloudwatch.Alarm;
  /** p99 target response time above the latency threshold in 3 of 5 minutes; warning. */
  readonly highLatencyAlarm: cloudwatch.Alarm;
  /** Every alarm of the service, in the order 5xx rate, unhealthy targets, p99 latency; each also rolls deployments back. */
  readonly alarms: readonly cloudwatch.Alarm[];
  /**
   * The listener ECS sends test traffic to the new revision through (BLUE_GREEN, LINEAR and CANARY); undefined for
   * ROLLING.
   */
  readonly testListener?: elbv2.ApplicationListener;

  /**
   * Adds a sidecar container to every task. Its CPU and memory come out of the application container's share of the
   * task (the task size does not change), and `containerLimits` follows.
   */
  addSidecar(id: string, options: SidecarOptions): ecs.ContainerDefinition;
  /** Rolls deployments back when `alarm` goes to ALARM during one, besides the service's own alarms. */
  addDeploymentAlarm(alarm: cloudwatch.IAlarm): void;
  /** Runs `hook` at its stages of every deployment (progressive strategies only). */
  addDeploymentLifecycleHook(hook: DeploymentLifecycleHook): void;
  /** Requests the load balancer received (Sum). */
  metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 5xx responses the tasks returned (Sum). */
  metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 5xx responses the load balancer itself returned (no healthy target, timeouts, resets) (Sum). */
  metricElb5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** 5xx responses (target and load balancer) as a percent of requests, per minute: what `high5xxRateAlarm` watches. */
  metric5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression;
  /** Time from the request leaving the load balancer to the response headers (p99 unless `statistic` says otherwise). */
  metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Targets of the production target group failing the readiness check (Maximum). */
  metricUnhealthyHostCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** CPU utilization of the service, percent of the reserved CPU (Average). */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Memory utilization of the service, percent of the reserved memory (Average). */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}
