import { stringify } from 'yaml';

/**
 * The Prometheus rule-file model and its YAML renderer. The same groups feed `promtool`, a self-hosted
 * Prometheus, Amazon Managed Service for Prometheus rule groups namespaces and Kubernetes PrometheusRules.
 */

/** Alert severities of the contract: `critical` pages, `warning` opens a ticket, `info` is not routed. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** A recording rule: `record` is the new series, `expr` its PromQL. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The annotations every alerting rule carries (DESIGN.md "Alerts"). */
export interface AlertAnnotations {
  readonly summary: string;
  readonly description: string;
  /** `<runbookBaseUrl>/runbooks/<path>.md` of a committed runbook. */
  readonly runbook_url: string;
}

/** An alerting rule. `for` and `keepFiringFor` are Prometheus durations (`5m`). */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long `expr` must hold before the alert fires. @default - fires on the first evaluation */
  readonly for?: string;
  /** How long the alert keeps firing after `expr` stops holding (hysteresis). @default - resolves at once */
  readonly keepFiringFor?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: AlertSeverity };
  readonly annotations: AlertAnnotations;
}

/** A rule group: its rules are evaluated in order, so alerts after recording rules see fresh values. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: ReadonlyArray<RecordingRule | AlertingRule>;
}

/** Whether `rule` is an alerting rule. */
export function isAlertingRule(rule: RecordingRule | AlertingRule): rule is AlertingRule {
  return 'alert' in rule;
}

/** The alerting rules of `groups`, in order. */
export function alertingRules(groups: readonly RuleGroup[]): AlertingRule[] {
  return groups.flatMap((g) => g.rules.filter(isAlertingRule));
}

/** The recording rules of `groups`, in order. */
export function recordingRules(groups: readonly RuleGroup[]): RecordingRule[] {
  return groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlertingRule(r)));
}

/** The rule groups as a plain object in Prometheus rule-file shape (`{ groups: [...] }`), keys in a fixed order. */
export function ruleFileDocument(groups: readonly RuleGroup[]): { groups: unknown[] } {
  return {
    groups: groups.map((g) => ({
      name: g.name,
      rules: g.rules.map((r) => isAlertingRule(r)
        ? {
          alert: r.alert,
          expr: r.expr,
          ...(r.for ? { for: r.for } : {}),
          ...(r.keepFiringFor ? { keep_firing_for: r.keepFiringFor } : {}),
          labels: sortedRecord(r.labels),
          annotations: { summary: r.annotations.summary, description: r.annotations.description, runbook_url: r.annotations.runbook_url },
        }
        : { record: r.record, expr: r.expr, ...(r.labels ? { labels: sortedRecord(r.labels) } : {}) }),
    })),
  };
}

/** The rule groups as Prometheus rule-file YAML. Deterministic: same groups, same bytes; no line folding. */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  return stringify(ruleFileDocument(groups), { lineWidth: 0 });
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}
