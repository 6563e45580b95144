/**
 * The six areas of the production excellence scorecard and the requirements of each level, decided from the templates
 * alone (README "Production readiness scorecard" states the same table for people scoring by hand).
 */
import type { AssemblyResource } from './assembly';
import { arr, rec, text } from './model';
import type { Index, Requirement } from './model';

/** `list` when it is not empty and every member satisfies `pred`; else empty (the requirement fails). */
export function allOf(list: readonly AssemblyResource[], pred: (r: AssemblyResource) => boolean): AssemblyResource[] {
  return list.length > 0 && list.every(pred) ? [...list] : [];
}

const ALARMS = ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'];

/** Metric names an alarm reads (its own, or its metric math's). */
function metricNames(r: AssemblyResource): string[] {
  const own = typeof r.properties.MetricName === 'string' ? [r.properties.MetricName] : [];
  return [...own, ...arr(r.properties.Metrics).map((m) => rec(rec(rec(m).MetricStat).Metric).MetricName).filter((n): n is string => typeof n === 'string')];
}

const alarmsOn = (pattern: RegExp) => (a: Index): AssemblyResource[] =>
  a.of('AWS::CloudWatch::Alarm').filter((r) => metricNames(r).some((n) => pattern.test(n)));

/** Alarms (metric or composite) with at least one alarm action. */
export function notifyingAlarms(a: Index): AssemblyResource[] {
  return a.of(...ALARMS).filter((r) => arr(r.properties.AlarmActions).length > 0);
}

/** Alarm actions that reach an SNS topic (a topic of the app, or an SNS ARN). */
function notifiesTopic(a: Index, r: AssemblyResource): boolean {
  return arr(r.properties.AlarmActions).some((action) => a.referenced(r.stack, action)?.type === 'AWS::SNS::Topic' || /:sns:/.test(text(action)));
}

/** The runbook link of an alarm's description (`Runbook: <url>`), if any. */
export function runbookLink(description: unknown): string | undefined {
  return typeof description === 'string' ? /Runbook: (https?:\/\/\S+)/.exec(description)?.[1] : undefined;
}

const isAlarmStateRule = (r: AssemblyResource): boolean => {
  const pattern = rec(r.properties.EventPattern);
  return text(pattern.source).includes('aws.cloudwatch') && text(pattern['detail-type']).includes('CloudWatch Alarm State Change');
};

/** ECS services, and whether each rolls back a failed deployment by itself. */
const rollsBack = (r: AssemblyResource): boolean => {
  const config = rec(r.properties.DeploymentConfiguration);
  return rec(config.DeploymentCircuitBreaker).Rollback === true || rec(config.Alarms).Rollback === true;
};

const DATA_STORES: Record<string, (p: Record<string, unknown>) => boolean> = {
  'AWS::RDS::DBCluster': (p) => p.StorageEncrypted === true,
  'AWS::RDS::DBInstance': (p) => p.StorageEncrypted === true || p.DBClusterIdentifier !== undefined,
  'AWS::ElastiCache::ReplicationGroup': (p) => p.AtRestEncryptionEnabled === true,
  'AWS::DynamoDB::Table': (p) => rec(p.SSESpecification).SSEEnabled === true || p.SSESpecification === undefined,
  'AWS::EFS::FileSystem': (p) => p.Encrypted === true,
  'AWS::SQS::Queue': (p) => p.SqsManagedSseEnabled !== false,
  // Every S3 object is encrypted at rest since January 2023 (SSE-S3 at least).
  'AWS::S3::Bucket': () => true,
};

const openIngress = (p: Record<string, unknown>): boolean => (p.CidrIp === '0.0.0.0/0' || p.CidrIpv6 === '::/0')
  && !(p.FromPort === 443 && p.ToPort === 443) && !(p.FromPort === 80 && p.ToPort === 80);

/** Buckets whose policy denies requests without TLS (`aws:SecureTransport` false). */
function tlsOnlyBuckets(a: Index): Set<string> {
  const ids = new Set<string>();
  for (const policy of a.of('AWS::S3::BucketPolicy')) {
    const statements = arr(rec(policy.properties.PolicyDocument).Statement).map(rec);
    if (!statements.some((s) => s.Effect === 'Deny' && text(s.Condition).includes('"aws:SecureTransport":"false"'))) continue;
    const bucket = a.referenced(policy.stack, policy.properties.Bucket);
    if (bucket) ids.add(`${bucket.stack}/${bucket.logicalId}`);
  }
  return ids;
}

const cacheTiers = (a: Index): Array<{ tier: string; resources: AssemblyResource[] }> => [
  { tier: 'CDN', resources: a.of('AWS::CloudFront::Distribution') },
  { tier: 'distributed cache', resources: a.of('AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ServerlessCache', 'AWS::MemoryDB::Cluster', 'AWS::DAX::Cluster') },
  { tier: 'in-process cache', resources: a.of('AWS::ECS::TaskDefinition').filter((t) => text(t.properties.ContainerDefinitions).includes('"Name":"CACHE_L1_TTL_SECONDS"')) },
].filter((t) => t.resources.length > 0);

const targetTracking = (dimension: RegExp) => (a: Index): AssemblyResource[] => a.of('AWS::ApplicationAutoScaling::ScalingPolicy')
  .filter((p) => p.properties.PolicyType === 'TargetTrackingScaling')
  .filter((p) => dimension.test(String(a.referenced(p.stack, p.properties.ScalingTargetId)?.properties.ScalableDimension ?? p.properties.ScalableDimension ?? '')));

/** The requirements of each area, by level. */
export const AREAS: Readonly<Record<string, readonly Requirement[]>> = {
  monitoring: [
    { level: 1, name: 'metrics watched', check: (a) => a.of(...ALARMS, 'AWS::CloudWatch::Dashboard', 'AWS::APS::Workspace'),
      what: 'no CloudWatch alarm, dashboard or Prometheus workspace', providedBy: 'ServiceMonitoring' },
    { level: 2, name: 'errors alarmed', check: alarmsOn(/5XX|5xx|^Errors$|Faults/), what: 'no alarm on server errors (5xx, Errors)', providedBy: 'ServiceMonitoring (ResilientService.alarms)' },
    { level: 2, name: 'latency alarmed', check: alarmsOn(/ResponseTime|Latency|^Duration$/), what: 'no alarm on latency (TargetResponseTime, Latency, Duration)', providedBy: 'ServiceMonitoring' },
    { level: 2, name: 'saturation alarmed', check: alarmsOn(/CPUUtilization|MemoryUtilization|DatabaseConnections|ConcurrentExecutions/),
      what: 'no alarm on saturation (CPU, memory, connections, concurrency)', providedBy: 'ServiceMonitoring' },
    { level: 2, name: 'traffic on a dashboard', check: (a) => a.of('AWS::CloudWatch::Dashboard', 'AWS::Grafana::Workspace'),
      what: 'no dashboard showing traffic', providedBy: 'ServiceMonitoring (CloudWatch dashboard), GrafanaDashboards' },
    { level: 2, name: 'alerts reach a topic', check: (a) => notifyingAlarms(a).filter((r) => notifiesTopic(a, r)),
      what: 'no alarm notifies an SNS topic', providedBy: 'AlertingTopics.routeAlarm' },
    { level: 3, name: 'anomaly detection', check: (a) => a.of('AWS::CloudWatch::Alarm').filter((r) => r.properties.ThresholdMetricId !== undefined),
      what: 'no alarm against an anomaly-detection band', providedBy: 'EdgeDistribution (EdgeTrafficSpike)' },
    { level: 3, name: 'SLO burn-rate alerting', check: (a) => [
      ...a.of('AWS::CloudWatch::CompositeAlarm').filter((r) => / AND /.test(String(r.properties.AlarmRule ?? ''))),
      ...a.of('AWS::APS::RuleGroupsNamespace')],
    what: 'no multiwindow burn-rate alerting (composite alarms of a long and a short window, or Prometheus rules)', providedBy: 'ServiceMonitoring (slos), ManagedPrometheus' },
  ],
  deployment: [
    { level: 1, name: 'workload deployed from code', check: (a) => a.of('AWS::ECS::Service', 'AWS::Lambda::Function', 'AWS::AutoScaling::AutoScalingGroup', 'AWS::EKS::Cluster', 'AWS::AppRunner::Service'),
      what: 'no compute (ECS service, Lambda function, Auto Scaling group, EKS cluster)', providedBy: 'ResilientService' },
    { level: 2, name: 'automatic rollback', check: (a) => {
      const services = a.of('AWS::ECS::Service');
      const groups = a.of('AWS::CodeDeploy::DeploymentGroup').filter((g) => rec(g.properties.AutoRollbackConfiguration).Enabled === true);
      return services.length > 0 ? allOf(services, rollsBack) : groups;
    }, what: 'a deployment that fails its health checks or alarms is not rolled back by itself (ECS circuit breaker / alarm rollback, CodeDeploy auto rollback)',
    providedBy: 'ResilientService (circuit breaker + alarm rollback)' },
    { level: 3, name: 'canary or linear traffic shifting', check: (a) => [
      ...a.of('AWS::ECS::Service').filter((s) => /^(CANARY|LINEAR)$/.test(String(rec(s.properties.DeploymentConfiguration).Strategy ?? ''))),
      ...a.of('AWS::CodeDeploy::DeploymentGroup').filter((g) => /Canary|Linear/.test(text(g.properties.DeploymentConfigName)))],
    what: 'every deployment shifts all traffic at once (ROLLING or all-at-once)', providedBy: "ResilientService deploymentStrategy: 'CANARY' or 'LINEAR'" },
    { level: 3, name: 'feature flags', check: (a) => a.of('AWS::AppConfig::ConfigurationProfile').filter((p) => p.properties.Type === 'AWS.AppConfig.FeatureFlags'),
      what: 'no feature flags (AWS AppConfig feature-flag configuration profile)', providedBy: 'feature flags through AWS AppConfig (issue 15)' },
  ],
  'incident response': [
    { level: 1, name: 'alarms notify someone', check: (a) => notifyingAlarms(a).filter((r) => notifiesTopic(a, r)),
      what: 'no alarm has an SNS action: nobody is told', providedBy: 'AlertingTopics + ServiceMonitoring' },
    { level: 2, name: 'every notifying alarm links a runbook', check: (a) => allOf(notifyingAlarms(a), (r) => runbookLink(r.properties.AlarmDescription) !== undefined),
      what: 'an alarm that notifies has no `Runbook: <url>` in its description', providedBy: 'the library\'s runbook alarms (every construct\'s alarms)' },
    { level: 2, name: 'escalation', check: (a) => [
      ...a.of('AWS::SSMIncidents::ResponsePlan'), ...a.of('AWS::SSMContacts::Contact').filter((c) => c.properties.Type === 'ESCALATION'),
      ...a.of('AWS::SNS::Subscription').filter((s) => s.properties.Protocol === 'https')],
    what: 'no escalation: no Incident Manager response plan or escalation plan, no paging tool (HTTPS subscription) on a topic',
    providedBy: 'IncidentResponse (onCallContacts), AlertReceiver.https (PagerDuty, Opsgenie)' },
    { level: 3, name: 'automatic remediation', check: (a) => a.of('AWS::Events::Rule').filter((r) => isAlarmStateRule(r)
      && arr(r.properties.Targets).some((t) => /:lambda:|:ssm:|:states:/.test(text(rec(t).Arn))
        || /^AWS::(Lambda::Function|StepFunctions::StateMachine)$/.test(a.referenced(r.stack, rec(t).Arn)?.type ?? ''))),
    what: 'no alarm starts a remediation (EventBridge rule on alarm state changes targeting Lambda, SSM Automation or Step Functions)', providedBy: 'AutoRemediation' },
  ],
  testing: [
    { level: 1, name: 'health checks', check: (a) => [
      ...a.of('AWS::ElasticLoadBalancingV2::TargetGroup'), ...a.of('AWS::Route53::HealthCheck'),
      ...a.of('AWS::ECS::TaskDefinition').filter((t) => text(t.properties.ContainerDefinitions).includes('"HealthCheck"'))],
    what: 'nothing checks the running workload (target group, container or Route 53 health checks)', providedBy: 'ResilientService (readiness and liveness checks)' },
    { level: 2, name: 'restore tests', check: (a) => a.of('AWS::Backup::RestoreTestingPlan'),
      what: 'no restore test proves the backups restorable', providedBy: 'BackupPolicy.addAuroraRestoreTesting (AuroraRestoreTesting)' },
    { level: 2, name: 'end-to-end checks from outside', check: (a) => [
      ...a.of('AWS::Synthetics::Canary'), ...a.of('AWS::Route53::HealthCheck').filter((h) => /HTTPS?/.test(text(rec(h.properties.HealthCheckConfig).Type)))],
    what: 'no synthetic request exercises the whole path from outside (Synthetics canary, Route 53 HTTPS health check)',
    providedBy: 'RegionRouting (with a domain: -c domainName=...), Synthetics canaries (issue 15)' },
    { level: 3, name: 'chaos experiments with a stop condition', check: (a) => a.of('AWS::FIS::ExperimentTemplate')
      .filter((t) => arr(t.properties.StopConditions).some((c) => rec(c).Source === 'aws:cloudwatch:alarm')),
    what: 'no fault-injection experiment (AWS FIS template stopping on an alarm)', providedBy: 'ChaosExperiments' },
    { level: 3, name: 'drills as automation', check: (a) => a.of('AWS::SSM::Document').filter((d) => d.properties.DocumentType === 'Automation'),
      what: 'no recovery procedure is rehearsable as automation (SSM Automation document)', providedBy: 'DrillAutomation' },
  ],
  security: [
    { level: 1, name: 'data stores encrypted at rest', check: (a) => allOf(a.of(...Object.keys(DATA_STORES)), (r) => DATA_STORES[r.type](r.properties as Record<string, unknown>)),
      what: 'a data store is not encrypted at rest (or there is none to judge)', providedBy: 'AuroraDatabase, DistributedCache (encrypted by default)' },
    { level: 1, name: 'no open ingress but web ports', check: (a) => {
      const groups = a.of('AWS::EC2::SecurityGroup');
      const open = [...groups.flatMap((g) => arr(g.properties.SecurityGroupIngress).map(rec)), ...a.of('AWS::EC2::SecurityGroupIngress').map((i) => i.properties as Record<string, unknown>)]
        .some(openIngress);
      return open ? [] : groups.length > 0 ? groups.slice(0, 1) : a.resources.slice(0, 1);
    }, what: 'a security group admits the internet (0.0.0.0/0 or ::/0) on a port other than 80/443', providedBy: 'MultiAzNetwork, ResilientService (VPC-only ingress)' },
    { level: 1, name: 'no full-admin policies', check: (a) => {
      const admin = a.of('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role').some((p) => /"Action":"\*","Effect":"Allow","Resource":"\*"|"Effect":"Allow","Action":"\*","Resource":"\*"/.test(text(p.properties)));
      return admin ? [] : a.resources.slice(0, 1);
    }, what: 'a policy allows every action on every resource', providedBy: 'least-privilege grants of every construct' },
    { level: 2, name: 'customer keys rotate', check: (a) => allOf(a.of('AWS::KMS::Key'), (k) => k.properties.EnableKeyRotation === true),
      what: 'no customer-managed KMS key, or one without rotation', providedBy: 'every stateful construct (createDataKey: rotating, retained)' },
    { level: 2, name: 'TLS required on every bucket', check: (a) => { const tls = tlsOnlyBuckets(a); return allOf(a.of('AWS::S3::Bucket'), (b) => tls.has(`${b.stack}/${b.logicalId}`)); },
      what: 'a bucket accepts requests without TLS (no aws:SecureTransport deny), or there is no bucket to judge', providedBy: 'enforceSSL on every bucket of the library' },
    { level: 2, name: 'web application firewall', check: (a) => a.of('AWS::WAFv2::WebACL'), what: 'no WAF web ACL in front of the entry point', providedBy: 'EdgeDistribution' },
    { level: 2, name: 'network flow logs', check: (a) => a.of('AWS::EC2::FlowLog'), what: 'no VPC flow logs', providedBy: 'MultiAzNetwork' },
    { level: 3, name: 'workload identity on the data path', check: (a) => {
      const iamDb = [...a.of('AWS::RDS::DBProxy').filter((p) => text(p.properties.Auth).includes('"IAMAuth":"REQUIRED"')),
        ...a.of('AWS::RDS::DBCluster').filter((c) => c.properties.EnableIAMDatabaseAuthentication === true)];
      const rbacCache = a.of('AWS::ElastiCache::ReplicationGroup').filter((g) => arr(g.properties.UserGroupIds).length > 0);
      const hasDb = a.of('AWS::RDS::DBCluster', 'AWS::RDS::DBInstance').length > 0;
      const hasCache = a.of('AWS::ElastiCache::ReplicationGroup').length > 0;
      return (hasDb || hasCache) && (!hasDb || iamDb.length > 0) && (!hasCache || rbacCache.length > 0) ? [...iamDb, ...rbacCache] : [];
    }, what: 'a data store is reached without per-workload identity (IAM database authentication, cache RBAC users), or there is none to judge',
    providedBy: 'AuroraDatabase (RDS Proxy with IAM auth), DistributedCache (RBAC users)' },
    { level: 3, name: 'no long-lived credentials', check: (a) => (a.of('AWS::IAM::User', 'AWS::IAM::AccessKey').length === 0 ? a.of('AWS::IAM::Role').slice(0, 1) : []),
      what: 'IAM users or access keys (long-lived credentials), or no role to judge', providedBy: 'roles for every workload (the library creates no IAM user)' },
    { level: 3, name: 'continuous verification', check: (a) => {
      const parts = [a.of('AWS::GuardDuty::Detector'), a.of('AWS::SecurityHub::Hub'), a.of('AWS::CloudTrail::Trail'), a.of('AWS::Config::ConfigurationRecorder')];
      return parts.every((p) => p.length > 0) ? parts.flat() : [];
    }, what: 'no account-level detection and audit (GuardDuty, Security Hub, CloudTrail, AWS Config) in the assembly',
    providedBy: 'ThreatDetection + AuditTrail (the account baseline: -c accountBaseline=true)' },
  ],
  performance: [
    { level: 1, name: 'a cache tier', check: (a) => cacheTiers(a).flatMap((t) => t.resources),
      what: 'no cache tier (CDN, distributed cache, or an in-process cache configured through CACHE_L1_TTL_SECONDS)', providedBy: 'EdgeDistribution, DistributedCache, ResilientService (cacheL1Ttl)' },
    { level: 2, name: 'two or more cache tiers', check: (a) => { const tiers = cacheTiers(a); return tiers.length >= 2 ? tiers.flatMap((t) => t.resources) : []; },
      what: 'one cache tier only', providedBy: 'EdgeDistribution + DistributedCache + the in-process L1 (ResilientService)' },
    { level: 3, name: 'compute scales on load', check: targetTracking(/ecs:service:DesiredCount|lambda:function:ProvisionedConcurrency|DesiredCapacity/),
      what: 'no target-tracking auto scaling of the compute', providedBy: 'ResilientService (CPU and request-count target tracking)' },
    { level: 3, name: 'data tier scales on load', check: targetTracking(/rds:cluster:ReadReplicaCount|dynamodb:|elasticache:/),
      what: 'no target-tracking auto scaling of the data tier (Aurora readers, DynamoDB, ElastiCache)', providedBy: 'AuroraDatabase (reader auto scaling)' },
  ],
};
