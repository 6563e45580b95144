/**
 * DESIGN.md "Runbook shape" and "Runbook links resolve": every alert runbook has front matter (id,
 * severity, owner) and the five sections; every alarm links one; no alert runbook is linked by nothing.
 */
import { DrTier } from '../../constructs/core/dr-tier';
import { ESCALATION_STAGES } from '../../constructs/core/incidents/escalation';
import { remediationsTriggeredBy } from '../../constructs/core/incidents/remediations';
import { alertingRules } from '../../constructs/core/observability/rule-file';
import { runbookPathFromUrl } from '../../constructs/core/runbooks';
import { DOMAIN_CONTEXT, sharedReferenceApp } from '../helpers/reference-app';
import { parseRunbook, runbookPaths } from '../helpers/runbooks';
import { referenceRuleGroups } from '../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../helpers/container-limits';

const ALERT_SECTIONS = ['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation'];
const alertRunbooks = runbookPaths('alerts');

/**
 * Runbook paths linked by the alarms of the reference app across all tiers (and with a domain), and by the `runbook_url` of the
 * Prometheus alerting rules generated for the reference service's objectives.
 */
function linkedRunbooks(): Set<string> {
  const linked = new Set<string>();
  for (const rule of alertingRules(referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }))) {
    const path = runbookPathFromUrl(rule.annotations.runbook_url);
    linked.add(path ?? `not a runbook URL: ${rule.annotations.runbook_url}`);
  }
  // Every tier without a domain, and warm standby with one (the Route 53 health-check alarms).
  const contexts = [...DrTier.ALL.map((tier) => ({ drTier: tier.id })), { drTier: DrTier.WARM_STANDBY.id, ...DOMAIN_CONTEXT }];
  for (const context of contexts) {
    for (const template of Object.values(sharedReferenceApp(context).templates)) {
      for (const r of Object.values(template.Resources)) {
        const description = r.Properties?.AlarmDescription;
        if (typeof description !== 'string') continue;
        const url = /Runbook: (\S+)$/.exec(description)?.[1];
        const path = url ? runbookPathFromUrl(url) : undefined;
        if (path) linked.add(path);
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
