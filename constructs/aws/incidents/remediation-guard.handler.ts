/**
 * The guard rail of automatic remediation (bundled by esbuild, AWS SDK v3 from the Lambda runtime). EventBridge invokes
 * it when an alarm bound to an action goes to ALARM, and when one of the service's remediation automations ends.
 *
 * On an alarm it starts the action's SSM Automation document unless: remediation is paused (Parameter Store), the
 * action ran within its cool-down or still runs, a drill automation of the service runs in any of its regions, or a
 * deployment of the service is in progress. Every start, held-back run, failure to start and end of a run is recorded
 * on the timeline of the service's open incident (Incident Manager), when one is open. Invocations are serialized
 * (reserved concurrency 1, and one at a time within a container), so concurrent alarms cannot both start an action.
 */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeAutomationExecutionsCommand, GetParameterCommand, ParameterNotFound, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { CreateTimelineEventCommand, ListIncidentRecordsCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';

/** An action the guard may start. */
export interface GuardedAction {
  readonly documentName: string;
  readonly cooldownSeconds: number;
  /** Parameters of the document (besides AutomationAssumeRole). */
  readonly parameters: Readonly<Record<string, string[]>>;
}

/** Configuration (environment variables in Lambda). */
export interface GuardConfig {
  readonly service: string;
  readonly actions: Readonly<Record<string, GuardedAction>>;
  /** The actions each bound alarm starts. */
  readonly alarms: ReadonlyArray<{ readonly alarm: string; readonly actions: readonly string[] }>;
  readonly automationRoleArn: string;
  /** Parameter Store parameter: `true` pauses every action. */
  readonly pauseParameter: string;
  /** Region of the pause parameter (one switch for every region of the service). */
  readonly pauseParameterRegion?: string;
  /** Prefix of the service's drill documents (`<service>-drill-`). */
  readonly drillDocumentPrefix: string;
  /** Regions whose drill automations hold remediation back. */
  readonly drillRegions: readonly string[];
  /** The service's ECS cluster and service: a deployment in progress holds remediation back. */
  readonly ecsService?: { readonly cluster: string; readonly service: string };
  /** Response plan whose open incidents get the timeline events. */
  readonly responsePlanName?: string;
}

/** The alarm trigger EventBridge sends (the rule's input). */
export interface AlarmTrigger {
  readonly kind: 'alarm';
  readonly alarmName: string;
  readonly time: string;
}

/** SSM's `EC2 Automation Execution Status-change Notification` (the fields read). */
export interface AutomationStatusEvent {
  readonly 'detail-type': 'EC2 Automation Execution Status-change Notification';
  readonly detail: { readonly ExecutionId: string; readonly Definition: string; readonly Status: string };
}

export type GuardEvent = AlarmTrigger | AutomationStatusEvent;

/** What one invocation did. */
export type GuardOutcome =
  | { readonly outcome: 'started'; readonly action: string; readonly executionId: string; readonly timeline: readonly string[] }
  | { readonly outcome: 'held-back'; readonly action: string; readonly reason: string; readonly timeline: readonly string[] }
  | { readonly outcome: 'run-ended'; readonly action: string; readonly status: string; readonly executionId: string; readonly timeline: readonly string[] }
  | { readonly outcome: 'ignored'; readonly reason: string };

/** Dependencies of {@link createHandler}. */
export interface GuardDependencies {
  readonly config: GuardConfig;
  /** SSM client of the function's region (documents, pause parameter). */
  readonly ssm: SSMClient;
  /** SSM client per drill region. */
  readonly ssmIn: (region: string) => SSMClient;
  readonly ecs: ECSClient;
  readonly incidents: SSMIncidentsClient;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

const RUNNING = ['Pending', 'InProgress', 'Waiting', 'Cancelling'];

/** The handler over `deps`; invocations run one at a time. An alarm yields one outcome per action it starts. */
export function createHandler(deps: GuardDependencies): (event: GuardEvent) => Promise<GuardOutcome[]> {
  const { config } = deps;
  let queue: Promise<unknown> = Promise.resolve();

  async function executions(client: SSMClient, prefix: string, filter: { Key: 'ExecutionStatus' | 'StartTimeAfter'; Values: string[] }): Promise<number> {
    const r = await client.send(new DescribeAutomationExecutionsCommand({ Filters: [{ Key: 'DocumentNamePrefix', Values: [prefix] }, filter], MaxResults: 5 }));
    return (r.AutomationExecutionMetadataList ?? []).length;
  }

  async function paused(): Promise<boolean> {
    try {
      const client = config.pauseParameterRegion ? deps.ssmIn(config.pauseParameterRegion) : deps.ssm;
      const r = await client.send(new GetParameterCommand({ Name: config.pauseParameter }));
      return r.Parameter?.Value?.trim().toLowerCase() === 'true';
    } catch (e) {
      if (e instanceof ParameterNotFound) return false;
      throw e;
    }
  }

  async function holdBackReason(action: GuardedAction, now: Date): Promise<string | undefined> {
    if (await paused()) return `remediation is paused (${config.pauseParameter} = true)`;
    if (await executions(deps.ssm, action.documentName, { Key: 'ExecutionStatus', Values: RUNNING }) > 0) return 'a run of this action is still in progress';
    const since = new Date(now.getTime() - action.cooldownSeconds * 1000);
    if (await executions(deps.ssm, action.documentName, { Key: 'StartTimeAfter', Values: [since.toISOString()] }) > 0) {
      return `it ran within its cool-down (${action.cooldownSeconds / 60} min, since ${since.toISOString()})`;
    }
    for (const region of config.drillRegions) {
      if (await executions(deps.ssmIn(region), config.drillDocumentPrefix, { Key: 'ExecutionStatus', Values: RUNNING }) > 0) {
        return `a drill automation (${config.drillDocumentPrefix}*) is in progress in ${region}`;
      }
    }
    if (config.ecsService) {
      const r = await deps.ecs.send(new DescribeServicesCommand({ cluster: config.ecsService.cluster, services: [config.ecsService.service] }));
      const deployments = r.services?.[0]?.deployments ?? [];
      if (deployments.length > 1 || deployments.some((d) => d.rolloutState === 'IN_PROGRESS')) return 'a deployment of the service is in progress';
    }
    return undefined;
  }

  /** Records `text` on every open incident of the response plan; returns their ARNs. A failure to record is logged, not thrown. */
  async function record(text: string, now: Date): Promise<string[]> {
    if (!config.responsePlanName) return [];
    try {
      const r = await deps.incidents.send(new ListIncidentRecordsCommand({
        filters: [{ key: 'status', condition: { equals: { stringValues: ['OPEN'] } } }], maxResults: 50,
      }));
      const arns = (r.incidentRecordSummaries ?? []).map((i) => i.arn ?? '').filter((arn) => arn.includes(`:incident-record/${config.responsePlanName}/`));
      for (const incidentRecordArn of arns) {
        await deps.incidents.send(new CreateTimelineEventCommand({
          incidentRecordArn, eventTime: now, eventType: 'Custom Event', eventData: JSON.stringify(text),
        }));
      }
      return arns;
    } catch (e) {
      deps.log(`timeline not recorded (${e instanceof Error ? e.name : 'error'}: ${e instanceof Error ? e.message : String(e)}): ${text}`);
      return [];
    }
  }

  async function onAlarm(event: AlarmTrigger): Promise<GuardOutcome[]> {
    const ids = config.alarms.find((a) => a.alarm === event.alarmName)?.actions ?? [];
    if (ids.length === 0) return [{ outcome: 'ignored', reason: `no action is bound to alarm ${event.alarmName}` }];
    const outcomes: GuardOutcome[] = [];
    for (const id of ids) outcomes.push(await runAction(id, event.alarmName));
    return outcomes;
  }

  async function runAction(name: string, alarmName: string): Promise<GuardOutcome> {
    const action = config.actions[name];
    if (!action) return { outcome: 'ignored', reason: `unknown action ${name}` };
    const event = { action: name, alarmName };
    const now = deps.now();
    const reason = await holdBackReason(action, now);
    if (reason) {
      const timeline = await record(`Automatic mitigation ${event.action} held back (alarm ${event.alarmName}): ${reason}.`, now);
      return { outcome: 'held-back', action: event.action, reason, timeline };
    }
    let executionId: string;
    try {
      const r = await deps.ssm.send(new StartAutomationExecutionCommand({
        DocumentName: action.documentName,
        Parameters: { ...action.parameters, AutomationAssumeRole: [config.automationRoleArn] },
      }));
      executionId = r.AutomationExecutionId ?? '';
    } catch (e) {
      await record(`Automatic mitigation ${event.action} failed to start (alarm ${event.alarmName}): ${e instanceof Error ? e.message : String(e)}.`, now);
      throw e;
    }
    const timeline = await record(`Automatic mitigation ${event.action} started (alarm ${event.alarmName}): SSM Automation ${action.documentName}, execution ${executionId}. `
      + `Stop it: aws ssm stop-automation-execution --automation-execution-id ${executionId}; pause all: aws ssm put-parameter --name ${config.pauseParameter} --value true --overwrite.`, now);
    return { outcome: 'started', action: event.action, executionId, timeline };
  }

  async function onStatus(event: AutomationStatusEvent): Promise<GuardOutcome> {
    const entry = Object.entries(config.actions).find(([, a]) => a.documentName === event.detail.Definition);
    if (!entry) return { outcome: 'ignored', reason: `not a remediation document of ${config.service}: ${event.detail.Definition}` };
    const [name] = entry;
    const { Status: status, ExecutionId: executionId } = event.detail;
    const timeline = await record(`Automatic mitigation ${name} (execution ${executionId}) ended: ${status}.`, deps.now());
    return { outcome: 'run-ended', action: name, status, executionId, timeline };
  }

  return (event) => {
    const run = queue.then(() => ('kind' in event && event.kind === 'alarm' ? onAlarm(event) : onStatus(event as AutomationStatusEvent).then((o) => [o])));
    queue = run.catch(() => undefined);
    return run;
  };
}

/** The configuration from the environment. */
export function configFromEnv(env: NodeJS.ProcessEnv): GuardConfig {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`environment variable ${name} is not set`);
    return v;
  };
  return {
    service: need('SERVICE'),
    actions: JSON.parse(need('ACTIONS')) as Record<string, GuardedAction>,
    alarms: JSON.parse(env.ALARMS ?? '[]') as Array<{ alarm: string; actions: string[] }>,
    automationRoleArn: need('AUTOMATION_ROLE_ARN'),
    pauseParameter: need('PAUSE_PARAMETER'),
    ...(env.PAUSE_PARAMETER_REGION ? { pauseParameterRegion: env.PAUSE_PARAMETER_REGION } : {}),
    drillDocumentPrefix: need('DRILL_DOCUMENT_PREFIX'),
    drillRegions: need('DRILL_REGIONS').split(',').filter((r) => r.length > 0),
    ...(env.ECS_CLUSTER && env.ECS_SERVICE ? { ecsService: { cluster: env.ECS_CLUSTER, service: env.ECS_SERVICE } } : {}),
    ...(env.RESPONSE_PLAN_NAME ? { responsePlanName: env.RESPONSE_PLAN_NAME } : {}),
  };
}

let lambdaHandler: ((event: GuardEvent) => Promise<GuardOutcome[]>) | undefined;

/** Lambda entry point. */
export async function handler(event: GuardEvent): Promise<GuardOutcome[]> {
  if (!lambdaHandler) {
    const config = configFromEnv(process.env);
    const clients = new Map<string, SSMClient>();
    lambdaHandler = createHandler({
      config,
      ssm: new SSMClient({}),
      ssmIn: (region) => {
        let c = clients.get(region);
        if (!c) clients.set(region, c = new SSMClient({ region }));
        return c;
      },
      ecs: new ECSClient({}),
      incidents: new SSMIncidentsClient(process.env.INCIDENT_REGION ? { region: process.env.INCIDENT_REGION } : {}),
      now: () => new Date(),
      log: (line) => console.error(line),
    });
  }
  const outcome = await lambdaHandler(event);
  console.log(JSON.stringify(outcome));
  return outcome;
}
