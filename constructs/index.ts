/**
 * platform-stacks public API. Everything a consumer app composes is exported from here; nothing else is API.
 */

// core: engine-neutral, no aws-cdk-lib
export * from './core/errors';
export * from './core/regions';
export * from './core/cidr';
export * from './core/duration';
export * from './core/dr-tier';
export * from './core/runbooks';
export * from './core/drills';
export * from './core/observability/slo';
export * from './core/observability/burn-rate';
export * from './core/observability/rule-file';
export * from './core/observability/rules';
export * from './core/observability/golden-signals';
export * from './core/observability/alertmanager';
export * from './core/observability/dashboards';

// aws
export * from './aws/platform-stack';
export * from './aws/cross-region';
export * from './aws/network/multi-az-network';
export * from './aws/compute/resilient-service';
export * from './aws/data/aurora-database';
export * from './aws/cache/distributed-cache';
export * from './aws/backup/backup-policy';
export * from './aws/backup/backup-vault-replica';
export * from './aws/backup/aurora-restore-testing';
export * from './aws/observability/alerting-topics';
export * from './aws/observability/managed-prometheus';
export * from './aws/observability/otel-collector';
export * from './aws/observability/managed-grafana';
export * from './aws/observability/service-monitoring';
export * from './aws/observability/grafana-dashboards';
export * from './aws/edge/edge-origin';
export * from './aws/edge/cloudfront-origin-access';
export * from './aws/edge/edge-distribution';
export * from './aws/edge/public-origin-access';
export * from './aws/dr/region-routing';
export * from './aws/dr/region-switch-plan';
export * from './aws/dr/chaos-experiments';
export * from './aws/dr/drill-automation';

// k8s and pulumi: separate package entries, so consumers of this barrel never load cdk8s or Pulumi.
//   platform-stacks/k8s    -> ./k8s/index.ts    (ServiceChart, MonitoringStackChart, prometheus-operator CRD types)
//   platform-stacks/pulumi -> ./pulumi/index.ts (PlatformService, MonitoringStack)
