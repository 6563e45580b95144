import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { ServiceMonitoring } from '../../../constructs/aws/observability/service-monitoring';
import type { PlatformStack } from '../../../constructs/aws/platform-stack';
import { EdgeCanary } from '../../../constructs/aws/release/edge-canary';
import { FeatureFlagEnvironment } from '../../../constructs/aws/release/feature-flag-environment';
import { FeatureFlags } from '../../../constructs/aws/release/feature-flags';
import { ReleaseHooks } from '../../../constructs/aws/release/release-hooks';
import { Slo } from '../../../constructs/core/observability/slo';
import { REFERENCE_CRITICAL_PATHS } from '../../../constructs/core/release/critical-paths';
import { testStack } from '../../helpers/test-stack';
import { CERT_ARN, IMAGE } from '../observability/fixture';

export const AVAILABILITY = Slo.availability({ service: 'checkout', target: 0.999, periodDays: 30 });

/** What {@link releaseSafety} built. */
export interface ReleaseSafety {
  readonly stack: PlatformStack;
  readonly network: MultiAzNetwork;
  readonly service: ResilientService;
  readonly monitoring: ServiceMonitoring;
  readonly flags: FeatureFlags;
  readonly environment: FeatureFlagEnvironment;
  readonly hooks: ReleaseHooks;
  readonly canary: EdgeCanary;
}

/**
 * GIVEN a canary-deployed service (internal load balancer, no certificate) with its monitoring, WHEN every release-safety
 * construct is added in one stack: feature flags and their environment (agent sidecar), the release hooks protecting
 * the service, and an edge canary with its alarm routed to the page.
 */
export function releaseSafety(options: { nag?: boolean; strategy?: ecs.DeploymentStrategy } = {}): ReleaseSafety {
  const stack = testStack({ nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const service = new ResilientService(stack, 'Checkout', {
    vpc: network.vpc, image: IMAGE, deploymentStrategy: options.strategy ?? ecs.DeploymentStrategy.CANARY,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
  });
  const topics = new AlertingTopics(stack, 'Alerting');
  const monitoring = new ServiceMonitoring(stack, 'Monitoring', { service, topics, serviceName: 'checkout', slos: [AVAILABILITY] });
  const flags = new FeatureFlags(stack, 'FeatureFlags', { service: 'checkout', key: network.logKey });
  const environment = new FeatureFlagEnvironment(stack, 'FlagEnvironment', { flags, service, monitors: [monitoring.pageAlarm] });
  const hooks = new ReleaseHooks(stack, 'ReleaseHooks', { service: 'checkout', vpc: network.vpc, key: network.logKey });
  hooks.protect(service, { availability: AVAILABILITY, criticalPaths: REFERENCE_CRITICAL_PATHS });
  const canary = new EdgeCanary(stack, 'EdgeCanary', { service: 'checkout', criticalPaths: REFERENCE_CRITICAL_PATHS, key: network.logKey });
  monitoring.monitorAlarms('Edge canary', [canary.addFailureAlarm()]);
  return { stack, network, service, monitoring, flags, environment, hooks, canary };
}
