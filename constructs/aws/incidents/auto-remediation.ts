import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { remediationDocumentName, remediationDocumentPrefix, renderRemediationDocument } from '../../core/incidents/remediation';
import type { RemediationAction } from '../../core/incidents/remediation';
import { CACHE_BYPASS, KILL_SWITCH, REPLACE_UNHEALTHY_TASKS, SCALE_OUT, TIGHTEN_WAF_RATE_LIMIT } from '../../core/incidents/remediations';
import { remediationPauseParameter } from '../../core/incidents/runbook-sections';
import { runbookPathFromUrl } from '../../core/runbooks';
import type { IResilientService } from '../compute/resilient-service-ref';
import { allowCloudWatchLogs, createDataKey } from '../private/encryption';
import { acknowledgeWildcards } from '../private/nag';
import { createPlatformFunction, handlerBeside } from '../private/platform-function';
import type { AutoRemediationProps, FlagActionsOptions, WafRateLimitActionOptions } from './auto-remediation-props';
import { acknowledgeAutoRemediationFindings } from './private/acknowledge-auto-remediation-findings';

export type { AutoRemediationProps, FlagActionsOptions, WafRateLimitActionOptions } from './auto-remediation-props';

/** An action deployed here: its document, the deployed parameter values, the alarms bound to it. */
interface Deployed {
  readonly action: RemediationAction;
  readonly document: ssm.CfnDocument;
  readonly parameters: Record<string, string | number>;
}

/**
 * Automatic remediation of a service in one region, from the core allowlist (`REMEDIATIONS`): each action added is
 * deployed as an SSM Automation document (`<service>-remediate-<action>`, the core rendering) with one automation role
 * allowed exactly its calls on this service's resources; `bindAlarms()` starts an action through EventBridge when an
 * alarm whose runbook is one of its triggers goes to ALARM. A guard function decides: at most one run per action
 * within its cool-down, none while a run, a drill automation or a deployment of the service is in progress or while
 * `/<service>/remediation/paused` is `true`; every run, held-back run, failure and end of a run goes on the timeline of
 * the service's open incident.
 */
export class AutoRemediation extends Construct {
  /** The role every remediation automation assumes. */
  public readonly automationRole: iam.Role;
  /** The guard function (reserved concurrency 1). */
  public readonly guard: nodejs.NodejsFunction;
  /** The pause parameter, when created here. */
  public readonly pauseParameter?: ssm.StringParameter;
  /** The EventBridge rule starting the actions, once an alarm is bound. */
  public trigger?: events.Rule;
  private readonly service: string;
  private readonly deployed = new Map<string, Deployed>();
  private readonly bound: Array<{ readonly alarm: cloudwatch.IAlarm; readonly actions: readonly string[] }> = [];
  private readonly automationPolicy: iam.ManagedPolicy;
  private readonly guardPolicy: iam.ManagedPolicy;
  private ecsService?: IResilientService;

  constructor(scope: Construct, id: string, props: AutoRemediationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
      throw new PlatformValidationError(this.node.path, 'service', props.service, 'is not a valid service name', 'use 1-40 lowercase letters, digits and dashes, starting with a letter');
    }
    this.service = props.service;
    const pauseName = remediationPauseParameter(props.service);
    const pauseRegion = props.pauseParameterRegion ?? stack.region;
    if (props.createPauseParameter ?? pauseRegion === stack.region) {
      this.pauseParameter = new ssm.StringParameter(this, 'Paused', {
        parameterName: pauseName, stringValue: 'false',
        description: `true pauses every automatic remediation of ${props.service} (all regions)`,
      });
      this.pauseParameter.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }
    this.automationRole = new iam.Role(this, 'AutomationRole', {
      description: `SSM Automation role of the ${props.service} automatic remediations`,
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }) },
        },
      }),
    });
    this.automationPolicy = new iam.ManagedPolicy(this, 'AutomationPolicy', {
      description: `${this.node.path}: exactly the calls of the deployed remediation actions, on this service's resources`,
      roles: [this.automationRole],
    });

    const key: kms.IKey = props.key ?? createDataKey(this, 'Key', `${this.node.path} remediation guard logs`);
    allowCloudWatchLogs(key);
    const drillRegions = props.drillRegions ?? [stack.region];
    const incidentRegion = props.incidentRegion ?? stack.region;
    const guard = createPlatformFunction(this, 'Guard', {
      handler: handlerBeside(__dirname, 'remediation-guard'),
      description: `guard rail of the ${props.service} automatic remediations (cool-down, deployments, drills, pause, incident timeline)`,
      environment: {
        SERVICE: props.service,
        ACTIONS: Lazy.string({ produce: () => stack.toJsonString(this.guardedActions()) }),
        ALARMS: Lazy.string({ produce: () => stack.toJsonString(this.bound.map((b) => ({ alarm: b.alarm.alarmName, actions: b.actions }))) }),
        AUTOMATION_ROLE_ARN: this.automationRole.roleArn,
        PAUSE_PARAMETER: pauseName,
        PAUSE_PARAMETER_REGION: pauseRegion,
        DRILL_DOCUMENT_PREFIX: `${props.service}-drill-`,
        DRILL_REGIONS: drillRegions.join(','),
        INCIDENT_REGION: incidentRegion,
        ECS_CLUSTER: Lazy.string({ produce: () => this.ecsService?.cluster.clusterName ?? '' }),
        ECS_SERVICE: Lazy.string({ produce: () => this.ecsService?.service.serviceName ?? '' }),
        ...(props.responsePlanName ? { RESPONSE_PLAN_NAME: props.responsePlanName } : {}),
      },
      key,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      // One invocation at a time: two alarms firing together cannot both pass the cool-down check.
      reservedConcurrency: 1,
      timeout: Duration.minutes(1),
      statements: [],
      outsideVpcReason: 'The function calls the SSM, ECS and Incident Manager control-plane APIs and holds no data.',
      noDeadLetterQueueReason: 'EventBridge retries a failed invocation twice; a failure to start an action is recorded on the incident timeline and the alarm still notifies the on-call, who acts by hand.',
    });
    this.guard = guard.fn;
    this.guardPolicy = guard.policy;
    const arn = (service: string, resource: string, region = stack.region): string => `arn:${stack.partition}:${service}:${region}:${stack.account}:${resource}`;
    this.guardPolicy.addStatements(
      new iam.PolicyStatement({ sid: 'ReadRuns', actions: ['ssm:DescribeAutomationExecutions'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'ReadPause', actions: ['ssm:GetParameter'], resources: [arn('ssm', `parameter${pauseName}`, pauseRegion)] }),
      new iam.PolicyStatement({
        sid: 'PassAutomationRole', actions: ['iam:PassRole'], resources: [this.automationRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      }),
    );
    if (props.responsePlanName) {
      const incidentRecords = `arn:${stack.partition}:ssm-incidents::${stack.account}:incident-record/${props.responsePlanName}/*`;
      acknowledgeWildcards(this.guardPolicy, [incidentRecords],
        'Timeline events go to the incidents of the service\'s response plan only; which incident is open is known at run time.');
      this.guardPolicy.addStatements(
        new iam.PolicyStatement({ sid: 'FindOpenIncidents', actions: ['ssm-incidents:ListIncidentRecords'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'RecordOnTimeline', actions: ['ssm-incidents:CreateTimelineEvent'],
          resources: [incidentRecords],
        }),
      );
    }
    const documents = arn('ssm', `automation-definition/${remediationDocumentPrefix(props.service)}*`);
    this.guardPolicy.addStatements(new iam.PolicyStatement({ sid: 'StartActions', actions: ['ssm:StartAutomationExecution'], resources: [documents] }));
    acknowledgeAutoRemediationFindings(this.automationPolicy, this.guardPolicy, documents);
    this.node.addValidation({ validate: () => (this.deployed.size === 0 ? [`${this.node.path} deploys no remediation action: add one (addServiceActions(), addFlagActions(), addWafRateLimitAction())`] : []) });
  }

  /** The actions each bound alarm starts, by action id. */
  public get bindings(): ReadonlyMap<string, readonly cloudwatch.IAlarm[]> {
    const map = new Map<string, cloudwatch.IAlarm[]>();
    for (const { alarm, actions } of this.bound) for (const a of actions) map.set(a, [...(map.get(a) ?? []), alarm]);
    return map;
  }

  /** The ids of the deployed actions. */
  public get actionIds(): string[] {
    return [...this.deployed.keys()];
  }

  /** Scale out (to the maximum of its range) and replace the tasks of `service`; its deployments hold remediation back. */
  public addServiceActions(service: IResilientService): void {
    if (this.ecsService) {
      throw new PlatformValidationError(this.node.path, 'service', service.node.path, 'is a second service', 'use one AutoRemediation per service');
    }
    this.ecsService = service;
    const params = { ClusterName: service.cluster.clusterName, ServiceName: service.service.serviceName };
    this.deploy(SCALE_OUT, params);
    this.deploy(REPLACE_UNHEALTHY_TASKS, params);
    const serviceArn = service.service.serviceArn;
    this.automationPolicy.addStatements(
      new iam.PolicyStatement({ sid: 'UpdateTheService', actions: ['ecs:UpdateService', 'ecs:DescribeServices'], resources: [serviceArn] }),
      new iam.PolicyStatement({ sid: 'ReadScalingRange', actions: ['application-autoscaling:DescribeScalableTargets'], resources: ['*'] }),
    );
    this.guardPolicy.addStatements(new iam.PolicyStatement({ sid: 'ReadDeployments', actions: ['ecs:DescribeServices'], resources: [serviceArn] }));
  }

  /**
   * The cache-bypass and kill-switch actions: each switches its feature flags on at once in `options.environment`
   * through the flags' switch function (an AppConfig hosted version and deployment), then waits for the deployment.
   */
  public addFlagActions(options: FlagActionsOptions): void {
    const { flags, environment } = options;
    if (!environment.name) {
      throw new PlatformValidationError(this.node.path, 'environment', environment.node.path, 'has no name (the switch function finds environments by name)',
        'pass the AppConfig environment FeatureFlagEnvironment created');
    }
    const stack = Stack.of(this);
    const parameters = {
      FlagFunctionName: flags.switchFunction.functionName,
      Environment: environment.name,
      ApplicationId: flags.application.applicationId,
      EnvironmentId: environment.environmentId,
    };
    for (const action of [CACHE_BYPASS, KILL_SWITCH]) this.deploy(action, parameters);
    const deployments = stack.formatArn({
      service: 'appconfig', resource: 'application', resourceName: `${flags.application.applicationId}/environment/${environment.environmentId}`,
    });
    this.automationPolicy.addStatements(
      new iam.PolicyStatement({ sid: 'SwitchFlags', actions: ['lambda:InvokeFunction'], resources: [flags.switchFunction.functionArn] }),
      new iam.PolicyStatement({ sid: 'ReadFlagDeployments', actions: ['appconfig:ListDeployments'], resources: [deployments] }),
    );
  }

  /** Tightening the edge WAF's per-IP rate limit for 30 minutes (the rule group of an `EdgeDistribution`). */
  public addWafRateLimitAction(options: WafRateLimitActionOptions): void {
    const tight = options.tightLimit ?? Math.max(100, Math.floor(options.normalLimit / 4));
    if (!Number.isInteger(tight) || tight < 100 || tight >= options.normalLimit) {
      throw new PlatformValidationError(this.node.path, 'tightLimit', tight, `must be a whole number from 100 (WAF's minimum) to below normalLimit (${options.normalLimit})`,
        'leave it out (a quarter of normalLimit) or lower it');
    }
    this.deploy(TIGHTEN_WAF_RATE_LIMIT, {
      RuleGroupName: options.ruleGroupName, RuleGroupId: options.ruleGroupId, MetricName: options.metricName,
      TightLimit: tight, NormalLimit: options.normalLimit,
    });
    this.automationPolicy.addStatements(new iam.PolicyStatement({ actions: ['wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup'], resources: [options.ruleGroupArn] }));
  }

  /**
   * Starts each deployed action when one of `alarms` whose runbook (the `Runbook:` link of its description) is among
   * the action's triggers goes to ALARM: one EventBridge rule (`Trigger`) over every bound alarm; the guard looks up
   * the actions of the alarm that fired. Returns the ids of the actions bound by this call.
   */
  public bindAlarms(alarms: readonly cloudwatch.IAlarm[]): string[] {
    const bound = new Set<string>();
    for (const alarm of alarms) {
      const name = alertNameOf(alarm);
      const actions = [...this.deployed.values()].filter((d) => name !== undefined && d.action.triggers.includes(name)).map((d) => d.action.id);
      if (actions.length === 0 || this.bound.some((b) => b.alarm === alarm)) continue;
      this.bound.push({ alarm, actions });
      actions.forEach((a) => bound.add(a));
    }
    if (this.bound.length > 0 && !this.trigger) {
      this.trigger = new events.Rule(this, 'Trigger', {
        description: `${this.node.path}: a CloudWatch alarm bound to an automatic remediation went to ALARM`,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: Lazy.list({ produce: () => this.bound.map((b) => b.alarm.alarmArn) }),
          detail: { state: { value: ['ALARM'] } },
        },
        targets: [new targets.LambdaFunction(this.guard, {
          event: events.RuleTargetInput.fromObject({ kind: 'alarm', alarmName: events.EventField.fromPath('$.detail.alarmName'), time: events.EventField.time }),
          retryAttempts: 2,
          maxEventAge: Duration.minutes(15),
        })],
      });
    }
    return [...bound];
  }

  private deploy(action: RemediationAction, parameters: Record<string, string | number>): void {
    if (this.deployed.has(action.id)) {
      throw new PlatformValidationError(this.node.path, 'action', action.id, 'is added twice', 'add each action once');
    }
    const document = new ssm.CfnDocument(this, `Document-${action.id}`, {
      name: remediationDocumentName(this.service, action),
      documentType: 'Automation',
      documentFormat: 'JSON',
      content: renderRemediationDocument(action, parameters),
      updateMethod: 'NewVersion',
    });
    this.deployed.set(action.id, { action, document, parameters });
    if (this.deployed.size === 1) this.addRunEndedRule();
  }

  /** Records the end of every run (success, failure, time-out, cancellation) on the incident timeline. */
  private addRunEndedRule(): void {
    new events.Rule(this, 'RunEnded', {
      description: `${this.node.path}: a remediation automation of ${this.service} ended`,
      eventPattern: {
        source: ['aws.ssm'],
        detailType: ['EC2 Automation Execution Status-change Notification'],
        detail: {
          Definition: Lazy.list({ produce: () => [...this.deployed.values()].map((d) => remediationDocumentName(this.service, d.action)) }),
          Status: ['Success', 'Failed', 'TimedOut', 'Cancelled'],
        },
      },
      targets: [new targets.LambdaFunction(this.guard, { retryAttempts: 2, maxEventAge: Duration.hours(1) })],
    });
  }

  private guardedActions(): Record<string, { documentName: string; cooldownSeconds: number; parameters: Record<string, string[]> }> {
    return Object.fromEntries([...this.deployed.values()].map(({ action, parameters }) => [action.id, {
      documentName: remediationDocumentName(this.service, action),
      cooldownSeconds: action.cooldownSeconds,
      parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, [String(v)]])),
    }]));
  }
}

/** The alert name an alarm of the platform links: the last part of its runbook path (`CpuSaturationHigh`). */
export function alertNameOf(alarm: cloudwatch.IAlarm): string | undefined {
  const cfn = alarm.node.defaultChild;
  const description = cfn instanceof cloudwatch.CfnAlarm || cfn instanceof cloudwatch.CfnCompositeAlarm ? cfn.alarmDescription : undefined;
  const url = typeof description === 'string' ? /Runbook: (\S+)$/.exec(description)?.[1] : undefined;
  const path = url ? runbookPathFromUrl(url) : undefined;
  return path?.split('/').pop();
}
