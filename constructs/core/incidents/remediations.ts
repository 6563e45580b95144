/**
 * The allowlist: every action the platform may run by itself. Each is safe to run unattended (it adds capacity,
 * replaces tasks through the deployment circuit breaker, flips a flag, or tightens a limit for a while) and undone
 * by one command; none fails over a database or switches a region.
 */
import { Step } from '../drills/steps';
import { RemediationAction } from './remediation';

const CLUSTER = { name: 'ClusterName', description: 'ECS cluster of the service.' };
const SERVICE = { name: 'ServiceName', description: 'ECS service to act on.' };
const FLAG = { name: 'FlagParameterName', description: 'Parameter Store parameter holding the flag (`on` / `off`).' };

/** Sets the service's desired count to the maximum of its auto scaling range. */
export const SCALE_OUT = new RemediationAction({
  id: 'scale-out',
  title: 'Scale the service out to its maximum',
  summary: 'Reads the maximum of the service\'s auto scaling range (Application Auto Scaling) and sets the ECS desired count to it, so '
    + 'capacity arrives in one step instead of one target-tracking step at a time; it never goes past the maximum, and target tracking '
    + 'scales back in once the load falls.',
  triggers: ['CpuSaturationHigh', 'ServiceHighLatency'],
  parameters: [CLUSTER, SERVICE],
  cooldown: '30m',
  undo: 'nothing to undo: target tracking scales the service back in when the load falls '
    + '(or `aws ecs update-service --cluster <cluster> --service <service> --desired-count <n>` at once).',
  steps: [
    Step.awsApi({
      name: 'ReadMaximum', description: 'The maximum of the service\'s scalable target.', timeout: '1m',
      service: 'application-autoscaling', api: 'DescribeScalableTargets',
      params: { ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceIds: ['service/{{ ClusterName }}/{{ ServiceName }}'] },
      outputs: { MaxCapacity: '$.ScalableTargets[0].MaxCapacity' },
      outputTypes: { MaxCapacity: 'Integer' },
    }),
    Step.awsApi({
      name: 'ScaleToMaximum', description: 'Desired count = the maximum.', timeout: '1m',
      service: 'ecs', api: 'UpdateService',
      params: { cluster: '{{ ClusterName }}', service: '{{ ServiceName }}', desiredCount: '{{ ReadMaximum.MaxCapacity }}' },
    }),
  ],
});

/** Forces a new deployment: every task is replaced, behind the deployment circuit breaker. */
export const REPLACE_UNHEALTHY_TASKS = new RemediationAction({
  id: 'replace-unhealthy-tasks',
  title: 'Replace the service\'s tasks',
  summary: 'Forces a new deployment of the same task definition: ECS starts fresh tasks, waits for them to pass the health checks, then '
    + 'drains the old ones (a leaking or wedged task is gone); the deployment circuit breaker rolls back if the new tasks fail.',
  triggers: ['ServiceUnhealthyTargets', 'MemorySaturationHigh'],
  parameters: [CLUSTER, SERVICE],
  cooldown: '1h',
  undo: 'nothing to undo: the tasks run the same task definition as before.',
  steps: [
    Step.awsApi({
      name: 'ForceNewDeployment', description: 'Start a deployment of the same task definition.', timeout: '1m',
      service: 'ecs', api: 'UpdateService',
      params: { cluster: '{{ ClusterName }}', service: '{{ ServiceName }}', forceNewDeployment: true },
    }),
    Step.waitFor({
      name: 'WaitForRollout', description: 'The new deployment completed (a failed rollout times the run out: recorded as failed).', timeout: '30m',
      service: 'ecs', api: 'DescribeServices', params: { cluster: '{{ ClusterName }}', services: ['{{ ServiceName }}'] },
      selector: '$.services[0].deployments[0].rolloutState', desiredValues: ['COMPLETED'],
    }),
  ],
});

function flagAction(id: string, title: string, summary: string, triggers: string[]): RemediationAction {
  return new RemediationAction({
    id, title, summary, triggers,
    parameters: [FLAG],
    cooldown: '1h',
    undo: '`aws ssm put-parameter --name <FlagParameterName> --value off --overwrite`.',
    steps: [Step.awsApi({
      name: 'TurnFlagOn', description: 'Set the flag to `on`.', timeout: '1m',
      service: 'ssm', api: 'PutParameter', params: { Name: '{{ FlagParameterName }}', Value: 'on', Overwrite: true },
    })],
  });
}

/** Turns the cache-bypass flag on (`/<service>/flags/cache-bypass`). */
export const CACHE_BYPASS = flagAction('cache-bypass', 'Turn the cache-bypass flag on',
  'Sets the flag parameter `/<service>/flags/cache-bypass` to `on`, telling the service to read through to the database instead of a '
    + 'struggling cache. The flag is a Parameter Store value: the reference service does not read it yet (feature flags through AWS '
    + 'AppConfig come later); until then the action records the decision where a service that reads the flag picks it up.',
  ['CacheEngineCpuHigh', 'CacheMemoryHigh']);

/** Turns the kill-switch flag on (`/<service>/flags/kill-switch`). */
export const KILL_SWITCH = flagAction('kill-switch', 'Turn the kill-switch flag on',
  'Sets the flag parameter `/<service>/flags/kill-switch` to `on`, telling the service to switch off its non-essential features and '
    + 'shed database load. The flag is a Parameter Store value: the reference service does not read it yet (feature flags through AWS '
    + 'AppConfig come later); until then the action records the decision where a service that reads the flag picks it up.',
  ['AuroraCpuHigh', 'AuroraConnectionsHigh']);

/** The per-IP rate rule of the edge WAF, shared by the web ACL's rule group and the action that tightens it. */
export const EDGE_RATE_LIMIT_RULE = {
  /** Rule name (in the rule group and the web ACL's reference to it). */
  name: 'RateLimitPerIp',
  /** Rate window in seconds. */
  windowSeconds: 300,
  /** Key of the 429 response body. */
  responseBodyKey: 'TooManyRequests',
  /** The 429 response body. */
  responseBody: '{"message":"Too many requests, retry later"}',
  /** How long the action keeps the tight limit before restoring the normal one. */
  holdSeconds: 1800,
} as const;

/** The rate rule in the WAF API's shape (UpdateRuleGroup), with `limit` a number or a `{{ Parameter }}` reference. */
function rateRule(limit: string): Record<string, unknown> {
  return {
    Name: EDGE_RATE_LIMIT_RULE.name, Priority: 0,
    Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: 'IP', EvaluationWindowSec: EDGE_RATE_LIMIT_RULE.windowSeconds } },
    Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: EDGE_RATE_LIMIT_RULE.responseBodyKey } } },
    VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: '{{ MetricName }}' },
  };
}

function updateRuleGroup(name: string, description: string, lockFrom: string, limit: string) {
  return Step.awsApi({
    name, description, timeout: '1m', service: 'wafv2', api: 'UpdateRuleGroup',
    params: {
      Name: '{{ RuleGroupName }}', Scope: 'CLOUDFRONT', Id: '{{ RuleGroupId }}', LockToken: `{{ ${lockFrom}.LockToken }}`,
      Rules: [rateRule(limit)],
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: '{{ MetricName }}' },
      CustomResponseBodies: { [EDGE_RATE_LIMIT_RULE.responseBodyKey]: { ContentType: 'APPLICATION_JSON', Content: EDGE_RATE_LIMIT_RULE.responseBody } },
    },
  });
}

function getRuleGroup(name: string) {
  return Step.awsApi({
    name, description: 'Read the rule group\'s lock token.', timeout: '1m', service: 'wafv2', api: 'GetRuleGroup',
    params: { Name: '{{ RuleGroupName }}', Scope: 'CLOUDFRONT', Id: '{{ RuleGroupId }}' },
    outputs: { LockToken: '$.LockToken' },
  });
}

/** Lowers the edge WAF's per-IP rate limit for 30 minutes during a traffic spike, then restores it. */
export const TIGHTEN_WAF_RATE_LIMIT = new RemediationAction({
  id: 'tighten-waf-rate-limit',
  title: 'Tighten the edge WAF\'s per-IP rate limit for 30 minutes',
  summary: 'Lowers the per-IP limit of the CloudFront WAF\'s rate rule (its rule group) to `TightLimit` requests per 5 minutes, holds it '
    + '30 minutes, then restores `NormalLimit`: clients hammering the service get 429 while the spike lasts, everyone else is served.',
  triggers: ['EdgeTrafficSpike'],
  parameters: [
    { name: 'RuleGroupName', description: 'Name of the WAF rule group holding the rate rule (CLOUDFRONT scope).' },
    { name: 'RuleGroupId', description: 'Id of that rule group.' },
    { name: 'MetricName', description: 'CloudWatch metric name of the rule group and its rule.' },
    { name: 'TightLimit', description: 'Requests per IP per 5 minutes during the spike.', type: 'Integer' },
    { name: 'NormalLimit', description: 'Requests per IP per 5 minutes restored afterwards.', type: 'Integer' },
  ],
  cooldown: '1h',
  undo: 'let the run finish: it restores `NormalLimit` after 30 minutes. Cancelled before that, the limit stays tight until the rule '
    + 'group\'s rate rule is set back (WAF console, rule group `RuleGroupName`, rule `RateLimitPerIp`).',
  steps: [
    getRuleGroup('ReadLockToken'),
    updateRuleGroup('TightenRateLimit', 'Set the tight limit.', 'ReadLockToken', '{{ TightLimit }}'),
    Step.sleep({ name: 'HoldTightLimit', description: 'Keep the tight limit while the spike lasts.', timeout: '31m', duration: `${EDGE_RATE_LIMIT_RULE.holdSeconds / 60}m` }),
    getRuleGroup('ReadLockTokenAgain'),
    updateRuleGroup('RestoreRateLimit', 'Restore the normal limit.', 'ReadLockTokenAgain', '{{ NormalLimit }}'),
  ],
});

/** Every remediation action, the allowlist. */
export const REMEDIATIONS: readonly RemediationAction[] = [SCALE_OUT, REPLACE_UNHEALTHY_TASKS, CACHE_BYPASS, KILL_SWITCH, TIGHTEN_WAF_RATE_LIMIT];

/** The actions an alert (runbook id) starts. */
export function remediationsTriggeredBy(alert: string): RemediationAction[] {
  return REMEDIATIONS.filter((a) => a.triggers.includes(alert));
}
