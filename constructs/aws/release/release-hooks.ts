import { Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { PROBE_CRITICAL_PATHS, validateCriticalPaths } from '../../core/release/critical-paths';
import { budgetOverrideParameter } from '../../core/release/error-budget';
import type { IResilientService } from '../compute/resilient-service-ref';
import { allowCloudWatchLogs, createDataKey } from '../private/encryption';
import { createPlatformFunction, handlerBeside } from '../private/platform-function';
import type { ErrorBudgetDetails, SmokeDetails } from './release-hooks.handler';
import type { ReleaseHooksProps, ReleaseProtectionOptions } from './release-hooks-props';

export type { ReleaseHooksProps, ReleaseProtectionOptions } from './release-hooks-props';

/**
 * The release hooks of a service in one region: one function (in the VPC) that ECS invokes at stages of every
 * progressive deployment of the services it protects, and the role ECS invokes it with.
 *
 * - Before the new revision scales up: the error-budget gate. While the availability SLO's budget over its period is
 *   exhausted (from the load balancer's request and 5xx counts), the release is refused and ECS rolls back before
 *   anything changed, unless an override is recorded: `aws ssm put-parameter --name /<service>/release/budget-override
 *   --type String --overwrite --value '{"reason":"INC-42 fix","expiresAt":"<ISO time, at most 24 h ahead>"}'`. Parameter
 *   Store keeps who wrote it (its history); the gate logs the override, its author and its reason.
 * - After test traffic, and again after production traffic, shifts to the new revision: the smoke test, each critical
 *   path through the test listener; a path that keeps failing (three attempts, 15 s apart) rolls the deployment back.
 */
export class ReleaseHooks extends Construct {
  /** The hook function. */
  public readonly function: lambda.IFunction;
  /** The role ECS assumes to invoke it. */
  public readonly invokeRole: iam.Role;
  /** The function's security group (egress only): open a test listener to it, or to the VPC. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The override parameter (`/<service>/release/budget-override`, created by whoever overrides, never by a stack). */
  public readonly overrideParameterName: string;
  /** Region of the override parameter. */
  public readonly overrideParameterRegion: string;
  private readonly protectedServices = new Set<IResilientService>();

  constructor(scope: Construct, id: string, props: ReleaseHooksProps) {
    super(scope, id);
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
      throw new PlatformValidationError(this.node.path, 'service', props.service, 'is not a valid service name', 'use 1-40 lowercase letters, digits and dashes, starting with a letter');
    }
    const stack = Stack.of(this);
    this.overrideParameterName = budgetOverrideParameter(props.service);
    this.overrideParameterRegion = props.overrideParameterRegion ?? stack.region;
    const parameterArn = `arn:${stack.partition}:ssm:${this.overrideParameterRegion}:${stack.account}:parameter${this.overrideParameterName}`;
    const key: kms.IKey = props.key ?? createDataKey(this, 'Key', `${this.node.path} release hook logs`);
    allowCloudWatchLogs(key);
    const fn = createPlatformFunction(this, 'Function', {
      handler: handlerBeside(__dirname, 'release-hooks'),
      description: `release hooks of ${props.service}: error-budget gate before a deployment, smoke tests after each traffic shift`,
      environment: {},
      key,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      reservedConcurrency: 5,
      timeout: Duration.minutes(1),
      vpc: props.vpc,
      statements: [
        new iam.PolicyStatement({ sid: 'ReadTraffic', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }),
        new iam.PolicyStatement({ sid: 'ReadOverride', actions: ['ssm:GetParameter', 'ssm:GetParameterHistory'], resources: [parameterArn] }),
      ],
      unscopedStatementsReason: 'cloudwatch:GetMetricData has no resource-level permissions either: the gate reads the load balancer\'s request and 5xx counts with it, nothing else.',
      outsideVpcReason: '',
      noDeadLetterQueueReason: 'ECS invokes the hooks synchronously and rolls the deployment back when an invocation fails: nothing is lost, the deployment event says why.',
    });
    this.function = fn.fn;
    this.securityGroup = fn.securityGroup as ec2.SecurityGroup;
    this.invokeRole = new iam.Role(this, 'InvokeRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `${this.node.path}: ECS invokes the release hooks of ${props.service}'s deployments`,
    });
    // A managed policy of one statement, the function itself (no version wildcard): what ECS may invoke with the role.
    new iam.ManagedPolicy(this, 'InvokePolicy', {
      description: `${this.node.path}: ECS invokes the release hook function`,
      roles: [this.invokeRole],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] })],
    });
  }

  /**
   * Gates every deployment of `service` on its availability SLO's error budget and, unless `smokeTest` is off,
   * smoke-tests each traffic shift through its test listener. `service` must deploy progressively (BLUE_GREEN,
   * LINEAR or CANARY); its test listener must admit this construct's function (an internal load balancer admits its VPC).
   */
  public protect(service: IResilientService, options: ReleaseProtectionOptions): void {
    const where = this.node.path;
    if (this.protectedServices.has(service)) {
      throw new PlatformValidationError(where, 'service', service.node.path, 'is protected twice', 'call protect() once per service');
    }
    if (options.availability.kind !== 'availability') {
      throw new PlatformValidationError(where, 'availability', options.availability.name, `is a ${options.availability.kind} SLO`,
        'pass the service\'s availability SLO (Slo.availability): its error budget gates releases');
    }
    const testListener = service.testListener;
    if (!testListener) {
      throw new PlatformValidationError(where, 'service', service.node.path, 'deploys ROLLING: it has no test listener and runs no lifecycle hook',
        'give it deploymentStrategy BLUE_GREEN, LINEAR or CANARY');
    }
    const paths = options.criticalPaths ?? PROBE_CRITICAL_PATHS;
    validateCriticalPaths(where, 'criticalPaths', paths);
    this.protectedServices.add(service);
    const gate: ErrorBudgetDetails = {
      check: 'error-budget',
      loadBalancer: service.loadBalancer.loadBalancerFullName,
      target: options.availability.target,
      periodDays: options.availability.periodDays,
      overrideParameter: this.overrideParameterName,
      overrideRegion: this.overrideParameterRegion,
    };
    service.addDeploymentLifecycleHook({
      target: this.function, role: this.invokeRole, stages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP], details: gate,
    });
    if (options.smokeTest ?? true) {
      const smoke: SmokeDetails = {
        check: 'smoke',
        baseUrl: options.testUrl ?? `http://${service.loadBalancer.loadBalancerDnsName}:${testListener.port}`,
        paths,
      };
      service.addDeploymentLifecycleHook({
        target: this.function,
        role: this.invokeRole,
        stages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT, ecs.DeploymentLifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT],
        details: smoke,
      });
    }
  }
}
