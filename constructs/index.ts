/**
 * platform-stacks public API: everything a consumer app composes, exported by name. Nothing else is API: module-level
 * helpers, renderer internals and constants stay in their modules (and private/ folders) for the library's own use.
 * api/platform-stacks.api.md records this surface; `npm test` fails in CI when it differs. To add a name, add it to its
 * module's export below and run `npm run api` (rebuilds, rewrites the report); commit both.
 */

// core: engine-neutral, no aws-cdk-lib
export { PlatformValidationError } from './core/errors';
export { plannedRegionCidr } from './core/cidr';
export type { DurationText } from './core/duration';
export { DrTier } from './core/dr-tier';
export type { RecoveryObjectives, TierEnvelope } from './core/dr-tier';
export { DEFAULT_RUNBOOK_BASE_URL, RUNBOOK_BASE_URL_CONTEXT_KEY, runbookUrl } from './core/runbooks';
export { platformStackId } from './core/stack-naming';
export type { PlatformStackRole } from './core/stack-naming';
export { StackOutput } from './core/stack-outputs';
export type { StackOutputName } from './core/stack-outputs';

// core/drills: the drill model, the catalog, and the runbook and SSM renderers
export { ParameterSource } from './core/drills/parameters';
export type { DrillParameter, DrillRegion, ParameterType, StackRole } from './core/drills/parameters';
export { ApproveStep, AwsApiStep, ManualStep, SleepStep, Step, WaitForStep } from './core/drills/steps';
export type {
  AnyStep, ApproveStepOptions, AwsApiCall, AwsApiStepOptions, ManualStepOptions, SleepStepOptions, StepKind, StepOptions, StepOutputType,
  WaitForStepOptions,
} from './core/drills/steps';
export { RpoMeasurement } from './core/drills/verification';
export type { DrillVerification, ReplicationLagOptions } from './core/drills/verification';
export { Drill } from './core/drills/drill';
export type { DrillProps } from './core/drills/drill';
export { drillRunbookPath, renderDrillMarkdown, updateRunbookIndex } from './core/drills/render-markdown';
export { automationDocumentName, renderAutomationDocument, renderAutomationStep } from './core/drills/render-ssm';
export type { AutomationDocumentContent, AutomationParameter, AutomationStep, StepOwner } from './core/drills/render-ssm';
export {
  ACTIVE_ACTIVE_FAILOVER, AZ_EVACUATION, BACKUP_RESTORE_FAILOVER, CACHE_PRIMARY_FAILOVER, DRILLS, PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK,
  RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME, WARM_STANDBY_FAILOVER, drillCatalog, findDrill,
} from './core/drills/catalog';
export type { DrillCatalogOptions, RedeployCommand } from './core/drills/catalog';

// core/incidents: the escalation policy and the remediation allowlist, declared once
export { ESCALATION_STAGES, escalationStageDurations } from './core/incidents/escalation';
export type { EscalationRole, EscalationStage } from './core/incidents/escalation';
export {
  FORBIDDEN_REMEDIATION_CALLS, RemediationAction, remediationDocumentName, remediationDocumentPrefix, renderRemediationDocument,
} from './core/incidents/remediation';
export type { RemediationActionProps, RemediationParameter } from './core/incidents/remediation';
export {
  CACHE_BYPASS, EDGE_RATE_LIMIT_RULE, KILL_SWITCH, REMEDIATIONS, REPLACE_UNHEALTHY_TASKS, SCALE_OUT, TIGHTEN_WAF_RATE_LIMIT, remediationsTriggeredBy,
} from './core/incidents/remediations';
export { escalationPlanAlias, remediationPauseParameter, responsePlanName } from './core/incidents/runbook-sections';

// core/observability: SLOs, Prometheus rules, Alertmanager, Grafana dashboards
export { DEFAULT_HTTP_DURATION_BUCKETS, HTTP_SERVER_DURATION_METRIC, Slo } from './core/observability/slo';
export type { AvailabilitySloProps, LatencySloProps, SliKind, SloBaseProps } from './core/observability/slo';
export type { BurnRateAlertWindow, BurnRateSeverity, BurnRateWindow } from './core/observability/burn-rate';
export { renderRuleFile, ruleFileDocument } from './core/observability/rule-file';
export type { AlertAnnotations, AlertSeverity, AlertingRule, RecordingRule, RuleGroup } from './core/observability/rule-file';
export { sloRuleGroups } from './core/observability/rules';
export type { SloRulesOptions } from './core/observability/rules';
export { GOLDEN_SIGNALS, goldenSignalRuleGroup, platformRuleGroup } from './core/observability/golden-signals';
export type { ContainerLimits, GoldenSignalRulesProps, PlatformRulesOptions } from './core/observability/golden-signals';
export {
  RESILIENCE_ALERT_NAMES, RESILIENCE_METRICS, RESILIENCE_SIGNALS, resilienceRuleGroup, resilienceRunbookPath,
} from './core/observability/resilience';
export type { ResilienceAlertName, ResilienceRulesProps } from './core/observability/resilience';
export { AlertmanagerConfig, AlertmanagerTarget, Receiver } from './core/observability/alertmanager';
export type {
  AlertmanagerConfigProps, PagerDutyReceiverProps, ReceiverKind, SlackReceiverProps, SnsReceiverProps, WebhookReceiverProps,
} from './core/observability/alertmanager';
export { dashboardJson, platformOverviewDashboard, serviceDashboard } from './core/observability/dashboards';
export type { GrafanaDashboard, PlatformOverviewDashboardProps, ServiceDashboardProps } from './core/observability/dashboards';

// aws: CDK constructs
export { PlatformStack, STACK_TAG_KEYS } from './aws/platform-stack';
export type { PlatformStackProps, RegionRole } from './aws/platform-stack';
export { crossStackValue } from './aws/cross-region';
export { DEFAULT_INTERFACE_ENDPOINTS, MultiAzNetwork } from './aws/network/multi-az-network';
export type { MultiAzNetworkProps, NatGatewayPlacement } from './aws/network/multi-az-network';
export { ResilientService } from './aws/compute/resilient-service';
export { LivenessProbe } from './aws/compute/liveness-probe';
export type { ResilientServiceProps } from './aws/compute/resilient-service-props';
export type { DeploymentLifecycleHook, IResilientService, SidecarOptions } from './aws/compute/resilient-service-ref';
export { AuroraDatabase } from './aws/data/aurora-database';
export type { AuroraDatabaseProps, GlobalDatabaseRole, GlobalReplicationLagAlarmOptions } from './aws/data/aurora-database-props';
export type { IAuroraDatabase } from './aws/data/aurora-database-ref';
export { CacheEngine, DistributedCache } from './aws/cache/distributed-cache';
export type {
  CacheConnectionSettings, CacheMetricOptions, CacheShardAlarms, DistributedCacheProps, IDistributedCache,
} from './aws/cache/distributed-cache';
export { BackupPolicy } from './aws/backup/backup-policy';
export type { BackupPolicyProps } from './aws/backup/backup-policy';
export { BackupCopyVault, BackupVaultReplica } from './aws/backup/backup-copy-vault';
export type { BackupCopyVaultProps, BackupVaultReplicaProps } from './aws/backup/backup-copy-vault';
export { AuroraRestoreTesting } from './aws/backup/aurora-restore-testing';
export type { AuroraRestoreTestingOptions, AuroraRestoreTestingProps } from './aws/backup/aurora-restore-testing-props';
export { AlertingTopics } from './aws/observability/alerting-topics';
export type { AlarmSeverity, AlertingTopicsProps, ChatChannel } from './aws/observability/alerting-topics';
export { AlertReceiver } from './aws/observability/alert-receiver';
export type { AlertReceiverKind, SlackChannelProps, TeamsChannelProps } from './aws/observability/alert-receiver';
export { AlertingHeartbeat, HEARTBEAT_METRIC_NAMESPACE } from './aws/observability/alerting-heartbeat';
export type { AlertingHeartbeatProps } from './aws/observability/alerting-heartbeat';
export { ManagedPrometheus } from './aws/observability/managed-prometheus';
export type { ManagedPrometheusProps, ServiceAlertsOptions } from './aws/observability/managed-prometheus';
export { OtelCollector, addOtelCollector } from './aws/observability/otel-collector';
export type { OtelCollectorOptions, OtelCollectorProps } from './aws/observability/otel-collector';
export { ManagedGrafana } from './aws/observability/managed-grafana';
export type { ManagedGrafanaProps } from './aws/observability/managed-grafana';
export { ServiceMonitoring } from './aws/observability/service-monitoring';
export type {
  DatabaseMonitoringAlarms, DatabaseMonitoringOptions, ServiceMonitoringProps, SloBurnRateAlarm,
} from './aws/observability/service-monitoring-props';
export { GrafanaDashboards } from './aws/observability/grafana-dashboards';
export type { GrafanaDashboardsProps, PlatformOverviewOptions, ServiceDashboardOptions } from './aws/observability/grafana-dashboards';
export { DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX, EdgeOrigin, edgeOriginOutputNames } from './aws/edge/edge-origin';
export type {
  EdgeOriginFromServiceOptions, EdgeOriginFromStackOutputsOptions, EdgeOriginProps, OriginVerifyHeader, PublicEdgeOriginProps,
} from './aws/edge/edge-origin';
export { CloudFrontOriginAccess } from './aws/edge/cloudfront-origin-access';
export type { CloudFrontOriginAccessProps } from './aws/edge/cloudfront-origin-access';
export { EDGE_REGION, EdgeDistribution } from './aws/edge/edge-distribution';
export type { EdgeDistributionProps } from './aws/edge/edge-distribution';
export { DEFAULT_PUBLIC_ORIGIN_OUTPUT_PREFIX, PublicOriginAccess, publicOriginOutputNames } from './aws/edge/public-origin-access';
export type { PublicOriginAccessProps } from './aws/edge/public-origin-access';
export { RegionRouting } from './aws/dr/region-routing';
export type { RegionRoutingPolicy, RegionRoutingProps, RoutedRegion } from './aws/dr/region-routing';
export { RegionSwitchPlan } from './aws/dr/region-switch-plan';
export type { RegionSwitchPlanProps, RegionSwitchTargets } from './aws/dr/region-switch-plan';
export { CHAOS_TARGET_TAG, ChaosExperiment, ChaosExperiments } from './aws/dr/chaos-experiments';
export type {
  AuroraFailoverOptions, AzNetworkDisruptionOptions, CacheAzPowerInterruptionOptions, ChaosExperimentProps, ChaosExperimentsProps,
  NetworkLatencyOptions, TaskTerminationOptions,
} from './aws/dr/chaos-experiments';
export { DrillAutomation } from './aws/dr/drill-automation';
export type { DrillAutomationProps } from './aws/dr/drill-automation';

// aws/incidents: escalation (Incident Manager) and automatic remediation
export { IncidentResponse } from './aws/incidents/incident-response';
export type { IncidentResponseProps, OnCallContact, ResponsePlanOptions } from './aws/incidents/incident-response';
export { AutoRemediation, alertNameOf } from './aws/incidents/auto-remediation';
export type { AutoRemediationProps, FlagActionsOptions, WafRateLimitActionOptions } from './aws/incidents/auto-remediation';

// core/release and aws/release: feature flags (AppConfig), progressive delivery hooks, the error-budget gate, edge canaries
export {
  CACHE_BYPASS_FLAG, KILL_SWITCH_FEATURES, OPERATIONAL_FLAGS, READ_ONLY_FLAG, SHED_MORE_FLAG, appConfigFlagsDocument, evaluatedFlags, killSwitchFlag,
} from './core/release/flags';
export type { AppConfigFlagsDocument, EvaluatedFlag, EvaluatedFlags, FeatureFlagAttribute, FeatureFlagDeclaration } from './core/release/flags';
export { IMMEDIATE_ROLLOUT, STAGED_ROLLOUT_PERCENTS, appConfigSteps, stagedRollout } from './core/release/rollout';
export type { AppConfigRollout, StagedRolloutOptions } from './core/release/rollout';
export { PROBE_CRITICAL_PATHS, REFERENCE_CRITICAL_PATHS } from './core/release/critical-paths';
export type { CriticalPath } from './core/release/critical-paths';
export { MAX_OVERRIDE_HOURS, budgetOverrideParameter, checkBudgetOverride, errorBudgetStatus } from './core/release/error-budget';
export type { BudgetOverride, ErrorBudgetInput, ErrorBudgetStatus, OverrideCheck } from './core/release/error-budget';
export { FEATURE_FLAG_PROFILE_NAME, FeatureFlags, featureFlagSwitchName } from './aws/release/feature-flags';
export type { FeatureFlagsProps, IFeatureFlags } from './aws/release/feature-flags';
export { APPCONFIG_AGENT_IMAGE, FeatureFlagEnvironment, agentFlagsUrl } from './aws/release/feature-flag-environment';
export type { FeatureFlagEnvironmentProps } from './aws/release/feature-flag-environment';
export { ReleaseHooks } from './aws/release/release-hooks';
export type { ReleaseHooksProps, ReleaseProtectionOptions } from './aws/release/release-hooks';
export { EDGE_CANARY_RUNBOOK, EdgeCanary, edgeUrlParameter } from './aws/release/edge-canary';
export type { EdgeCanaryProps } from './aws/release/edge-canary';
export type { RegionalRelease } from './aws/platform/regional-release';

// aws/security and aws/cost: the account baseline (audit, detection, cost)
export { AuditTrail } from './aws/security/audit-trail';
export type { AuditTrailProps } from './aws/security/audit-trail';
export {
  CONFORMANCE_RULES, DEFAULT_GUARDDUTY_FEATURES, PAGED_SEVERITIES, SECURITY_FINDING_RUNBOOK, SECURITY_HUB_STANDARDS, ThreatDetection,
} from './aws/security/threat-detection';
export type { ConfigDelivery, ThreatDetectionProps } from './aws/security/threat-detection';
export { COST_RUNBOOKS, CostMonitoring, RUNBOOK_TAG_KEY } from './aws/cost/cost-monitoring';
export type { CostMonitoringProps, ServiceBudget } from './aws/cost/cost-monitoring';

// aws/platform: the whole multi-region platform of a service, composed from the constructs above
export {
  AccountBaselineStack, GlobalStack, MultiRegionPlatform, PrimaryBaseStack, RegionalBaselineStack, PrimaryRegionStack, SecondaryBaseStack,
  SecondaryRegionStack, secondaryRegionShape,
} from './aws/platform';
export type {
  AccountBaselineStackProps, ActiveRegion, GlobalStackProps, MultiRegionPlatformProps, PlatformDomain, PlatformRegion, PlatformSpec,
  PrimaryBaseStackProps,
  PrimaryRegionStackProps, RegionalApp, RegionalBaselineStackProps, RegionalObservability, SecondaryBaseStackProps, SecondaryRegionShape,
  SecondaryRegionStackProps,
} from './aws/platform';

// k8s and pulumi: separate package entries, so consumers of this barrel never load cdk8s or Pulumi.
//   platform-stacks/k8s    -> ./k8s/index.ts    (ServiceChart, MonitoringStackChart, prometheus-operator CRD types)
//   platform-stacks/pulumi -> ./pulumi/index.ts (PlatformService, MonitoringStack)
