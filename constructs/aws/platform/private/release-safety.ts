import type { Construct } from 'constructs';
import type { ServiceMonitoring } from '../../observability/service-monitoring';
import { FeatureFlagEnvironment } from '../../release/feature-flag-environment';
import type { PlatformSpec } from '../multi-region-platform-props';
import type { RegionalApp } from '../regional-app';
import type { RegionalRelease } from '../regional-release';

/**
 * What makes a region's releases safe, wired in its application stack (construct ID `FeatureFlags`): the flags'
 * environment (monitored by the page alarm) with the AppConfig agent in every task; the SLOs' fast-burn alarms (the
 * short window of each page row with the shortest windows) added to the alarms that roll a deployment back, next to the
 * service's 5xx, unhealthy-target and p99-latency alarms; the error-budget gate and (where tasks run) the smoke tests
 * as deployment lifecycle hooks; and the edge canary's alarm routed to the page.
 */
export function wireReleaseSafety(scope: Construct, spec: PlatformSpec, app: RegionalApp, monitoring: ServiceMonitoring, release: RegionalRelease,
  smokeTest: boolean): FeatureFlagEnvironment {
  const flags = new FeatureFlagEnvironment(scope, 'FeatureFlags', { flags: release.flags, service: app.service, monitors: [monitoring.pageAlarm] });
  for (const slo of spec.slos) {
    const pages = monitoring.sloAlarms.filter((row) => row.slo === slo && row.window.severity === 'critical');
    const fastest = pages.sort((a, b) => a.window.longWindowSeconds - b.window.longWindowSeconds)[0];
    if (fastest) app.service.addDeploymentAlarm(fastest.short);
  }
  const availability = spec.slos.find((slo) => slo.kind === 'availability');
  if (availability) {
    release.hooks.protect(app.service, { availability, smokeTest, testUrl: app.smokeTestUrl, criticalPaths: spec.criticalPaths });
  }
  if (release.canary) monitoring.monitorAlarms('Edge canary', [release.canary.addFailureAlarm(scope)]);
  return flags;
}
