/**
 * DESIGN.md "Runbook shape" and "Runbook links resolve": every alert runbook has front matter (id,
 * severity, owner) and the five sections; every alarm links one; no alert runbook is linked by nothing.
 */
import { DrTier } from '../../constructs/core/dr-tier';
import { ESCALATION_STAGES } from '../../constructs/core/incidents/escalation';
import { remediationsTriggeredBy } from '../../constructs/core/incidents/remediations';
import { alertingRules } from '../../constructs/core/observability/rule-file';
import { runbookPathFromUrl } from '../../constructs/core/runbooks';
import { DOMAIN_CONTEXT, sharedReferenceApp, synthesizedReferenceApp } from '../helpers/reference-app';
import { PRODUCTION_CONTEXT } from '../helpers/reference-contexts';
import { parseRunbook, runbookPaths } from '../helpers/runbooks';
import { referenceRuleGroups } from '../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../helpers/container-limits';

const ALERT_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation'];
const alertRunbooks = runbookPaths('alerts');

/**
 * Runbook paths linked by the alarms of the reference app across all tiers (and with a domain), and by the `runbook_url` of the
 * Prometheus alerting rules generated for the reference service's objectives.
 */
/**
 * Runbook links of a resource: an alarm's description (`... Runbook: <url>`), the message an EventBridge rule sends to a
 * topic (routed findings), and the `platform:runbook...` tags of budgets and anomaly monitors (AWS writes their text).
 */
function runbookLinksOf(p: Record<string, unknown>): string[] {
  const links: string[] = [];
  const description = p.AlarmDescription;
  if (typeof description === 'string') links.push(...(/Runbook: (\S+)$/.exec(description)?.slice(1) ?? []));
  for (const t of (Array.isArray(p.Targets) ? p.Targets : []) as Array<{ Input?: unknown; InputTransformer?: { InputTemplate?: unknown } }>) {
    const input = JSON.stringify(t.InputTransformer?.InputTemplate ?? t.Input ?? '');
    links.push(...[...input.matchAll(/Runbook: (https:\/\/[^\s"\\]+)/g)].map((m) => m[1]));
  }
  for (const tag of (Array.isArray(p.ResourceTags) ? p.ResourceTags : []) as Array<{ Key?: string; Value?: string }>) {
    if (tag.Key?.startsWith('platform:runbook') && tag.Value) links.push(tag.Value);
  }
  return links;
}

function linkedRunbooks(): Set<string> {
  const linked = new Set<string>();
  for (const rule of alertingRules(referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }))) {
    const path = runbookPathFromUrl(rule.annotations.runbook_url);
    linked.add(path ?? `not a runbook URL: ${rule.annotations.runbook_url}`);
  }
  // Every tier without a domain, and warm standby with one (the Route 53 health-check alarms).
  const contexts = [...DrTier.ALL.map((tier) => ({ drTier: tier.id })), { drTier: DrTier.WARM_STANDBY.id, ...DOMAIN_CONTEXT }];
  const production = synthesizedReferenceApp(PRODUCTION_CONTEXT, 'nag');
  if (production.error) throw production.error;
  for (const templates of [...contexts.map((c) => sharedReferenceApp(c).templates), production.templates]) {
    for (const template of Object.values(templates)) {
      for (const r of Object.values(template.Resources)) {
        for (const url of runbookLinksOf(r.Properties ?? {})) {
          const path = runbookPathFromUrl(url);
          if (path) linked.add(path);
        }
      }
    }
  }
  return linked;
}

describe('alert runbooks', () => {
  test('there are alert runbooks', () => {
    expect(alertRunbooks.length).toBeGreaterThan(0);
  });

  test.each(alertRunbooks)('%s has front matter id/severity/owner and the five sections in order', (path) => {
    const { frontMatter, sections } = parseRunbook(path);
    expect(frontMatter.id).toBe(path.split('/').pop());
    expect(['critical', 'warning', 'info']).toContain(frontMatter.severity);
    expect(typeof frontMatter.owner).toBe('string');
    expect(sections.filter((s) => ALERT_SECTIONS.includes(s))).toEqual(ALERT_SECTIONS);
  });

  test.each(alertRunbooks)('%s names the escalation stages and says what runs by itself (rendered)', (path) => {
    const { sections, body } = parseRunbook(path);
    expect(sections).toContain('Automatic mitigation');
    expect(sections.indexOf('Automatic mitigation')).toBeLessThan(sections.indexOf('Escalation'));
    for (const stage of ESCALATION_STAGES) expect(body).toContain(`| ${stage.afterMinutes} min | ${stage.title} |`);
    const actions = remediationsTriggeredBy(path.split('/').pop()!);
    for (const action of actions) expect(body).toContain(`\`<service>-remediate-${action.id}\``);
    if (actions.length > 0) expect(body).toContain('/<service>/remediation/paused --value true');
  });

  test('every alert runbook is linked by an alarm, and every linked runbook exists', () => {
    const linked = linkedRunbooks();
    expect([...linked].filter((p) => !alertRunbooks.includes(p))).toEqual([]);
    expect(alertRunbooks.filter((p) => !linked.has(p))).toEqual([]);
  });
});
