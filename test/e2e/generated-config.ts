/**
 * The generated configuration the e2e test loads into real Prometheus and Alertmanager: the rule files and
 * the Alertmanager config from constructs/core/observability, with only the test-speed knobs changed
 * (time compression of the SLO windows, Alertmanager group timings) and the receivers pointed at the
 * test's webhook. Everything else (expressions, labels, annotations, routes, inhibitions) is as generated.
 */
import { parse, stringify } from 'yaml';
import { AlertmanagerConfig, AlertmanagerTarget, Receiver } from '../../constructs/core/observability/alertmanager';
import { goldenSignalRuleGroup, platformRuleGroup } from '../../constructs/core/observability/golden-signals';
import { resilienceRuleGroup } from '../../constructs/core/observability/resilience';
import { renderRuleFile } from '../../constructs/core/observability/rule-file';
import { SLO_ALERT_NAMES, sloRuleGroups } from '../../constructs/core/observability/rules';
import { Slo } from '../../constructs/core/observability/slo';

/** The SLO windows run 60x faster: the 1h/5m page becomes 1m/5s, the 6h/30m page 6m/30s, the period 12h. */
export const COMPRESS_TIME = 60;

/** The alert the test expects to page when the service answers 5xx. */
export const PAGING_ALERT = SLO_ALERT_NAMES.availability;

/** Rule files (name → YAML) for `service`, as the generator renders them. */
export function generatedRuleFiles(service: string): Record<string, string> {
  const slo = Slo.availability({ service, target: 0.999, periodDays: 30 });
  return {
    'slo.yml': renderRuleFile(sloRuleGroups(slo, { compressTime: COMPRESS_TIME })),
    'golden.yml': renderRuleFile([goldenSignalRuleGroup({
      service, latencyThreshold: 0.5, cpuLimitCores: 1, memoryLimitBytes: 512 * 1024 ** 2,
    })]),
    'resilience.yml': renderRuleFile([resilienceRuleGroup({ service })]),
    'platform.yml': renderRuleFile([platformRuleGroup()]),
  };
}

/** Test-speed Alertmanager timings: the first notification of a group after 1s, updates (and resolutions) every 2s. */
const TEST_TIMINGS = { group_wait: '1s', group_interval: '2s' } as const;

interface RouteNode {
  group_wait?: string;
  group_interval?: string;
  routes?: RouteNode[];
}

function speedUp(route: RouteNode): void {
  if (route.group_wait !== undefined) route.group_wait = TEST_TIMINGS.group_wait;
  if (route.group_interval !== undefined) route.group_interval = TEST_TIMINGS.group_interval;
  route.routes?.forEach(speedUp);
}

/**
 * The generated Alertmanager config with webhook receivers at `<webhookUrl>/critical` (paging),
 * `/warning` (ticket) and `/heartbeat` (Watchdog), so the test sees where each notification was routed.
 * Only the group timings are shortened; routes, matchers, inhibitions and `send_resolved` are as generated.
 */
export function generatedAlertmanagerConfig(webhookUrl: string): string {
  const config = new AlertmanagerConfig({
    target: AlertmanagerTarget.SELF_HOSTED,
    paging: Receiver.webhook('critical', { url: `${webhookUrl}/critical` }),
    ticket: Receiver.webhook('warning', { url: `${webhookUrl}/warning` }),
    heartbeat: Receiver.webhook('heartbeat', { url: `${webhookUrl}/heartbeat` }),
  });
  const doc = parse(config.render()) as { global?: Record<string, unknown>; route: RouteNode };
  doc.global = { ...doc.global, resolve_timeout: '5s' };
  speedUp(doc.route);
  return stringify(doc, { lineWidth: 0 });
}
