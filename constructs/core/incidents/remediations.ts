/**
 * The allowlist: every action the platform may run by itself. Each is safe to run unattended (it adds capacity,
 * replaces tasks through the deployment circuit breaker, switches a feature flag, or tightens a limit for a while) and undone
 * by one command; none fails over a database or switches a region.
 */
import { Step } from '../drills/steps';
import { CACHE_BYPASS_FLAG, KILL_SWITCH_FEATURES, killSwitchFlag } from '../release/flags';
import { RemediationAction } from './remediation';

const CLUSTER = { name: 'ClusterName', description: 'ECS cluster of the service.' };
const SERVICE = { name: 'ServiceName', description: 'ECS service to act on.' };

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

const FLAG_PARAMETERS = [
  { name: 'FlagFunctionName', description: 'The service\'s feature-flag switch function (`<service>-feature-flags`, in this region).' },
  { name: 'Environment', description: 'Name of the region\'s AppConfig environment (the region).' },
  { name: 'ApplicationId', description: 'Id of the service\'s AppConfig application in this region.' },
  { name: 'EnvironmentId', description: 'Id of that environment.' },
];

/** `cache-bypass` -> `CacheBypass`. */
const pascal = (key: string): string => key.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/**
 * Turns `flags` on at once in the region's AppConfig environment: the switch function writes a hosted version from the
 * deployed one with the flag on (labelled with the automation execution) and deploys it with the immediate strategy;
 * the run then waits until that version is the environment's latest deployment and it completed (a switch that failed
 * never gets there: the run times out as failed).
 */
function flagAction(id: string, title: string, summary: string, triggers: string[], flags: readonly string[]): RemediationAction {
  const label = (flag: string): string => `${flag}-on-{{ automation:EXECUTION_ID }}`;
  const latest = { ApplicationId: '{{ ApplicationId }}', EnvironmentId: '{{ EnvironmentId }}', MaxResults: 1 };
  return new RemediationAction({
    id, title, summary, triggers,
    parameters: FLAG_PARAMETERS,
    cooldown: '1h',
    undo: flags.map((flag) => `\`aws lambda invoke --function-name <service>-feature-flags --cli-binary-format raw-in-base64-out --payload '{"environment":"<region>","flag":"${flag}","enabled":false,"rollout":"immediate","reason":"<why>"}' out.json\``).join(', then ') + ' (every task follows within about 20 seconds).',
    steps: flags.flatMap((flag) => [
      Step.awsApi({
        name: `TurnOn${pascal(flag)}`, description: `Switch ${flag} on, every agent at once.`, timeout: '3m',
        service: 'lambda', api: 'Invoke',
        params: {
          FunctionName: '{{ FlagFunctionName }}',
          Payload: JSON.stringify({
            environment: '{{ Environment }}', flag, enabled: true, rollout: 'immediate',
            reason: `automatic remediation ${id} (SSM Automation {{ automation:EXECUTION_ID }})`, label: label(flag),
          }),
        },
      }),
      // ListDeployments answers the newest deployment first.
      Step.waitFor({
        name: `Deployed${pascal(flag)}`, description: `The environment's latest deployment is the version switching ${flag} on.`, timeout: '5m',
        service: 'appconfig', api: 'ListDeployments', params: latest, selector: '$.Items[0].VersionLabel', desiredValues: [label(flag)],
      }),
      Step.waitFor({
        name: `Completed${pascal(flag)}`, description: 'That deployment completed (every agent serves it).', timeout: '5m',
        service: 'appconfig', api: 'ListDeployments', params: latest, selector: '$.Items[0].State', desiredValues: ['COMPLETE'],
      }),
    ]),
  });
}

/** Turns the `cache-bypass` feature flag on (AppConfig, the region's environment). */
export const CACHE_BYPASS = flagAction('cache-bypass', 'Turn the cache-bypass flag on',
  'Switches the `cache-bypass` feature flag on in the region\'s AppConfig environment at once (a new hosted version from the deployed one, '
    + 'deployed with the immediate strategy; each task\'s AppConfig agent polls every 15 seconds and the service reads the agent every 5): '
    + 'reads skip the struggling distributed (L2) cache and go from the in-process cache to the database; writes still invalidate L2.',
  ['CacheEngineCpuHigh', 'CacheMemoryHigh'], [CACHE_BYPASS_FLAG]);

/** Turns the kill switch of every non-essential feature on (AppConfig, the region's environment). */
export const KILL_SWITCH = flagAction('kill-switch', 'Turn the kill switches of non-essential features on',
  `Switches the kill switch of every non-essential feature on in the region's AppConfig environment at once (${KILL_SWITCH_FEATURES.map((f) => `\`${killSwitchFlag(f)}\``).join(', ')}; `
    + 'the same path as cache-bypass): `GET /items?popular` answers an empty list without a database query, taking the heaviest query off a '
    + 'struggling database while item reads and orders keep working.',
  ['AuroraCpuHigh', 'AuroraConnectionsHigh'], KILL_SWITCH_FEATURES.map(killSwitchFlag));

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
