/** The operational checklist (production readiness review), each item decided from the assembly. */
import type { AssemblyResource } from './assembly';
import { AREAS, notifyingAlarms, runbookLink } from './areas';
import { arr, rec, scoreArea, text, toEvidence } from './model';
import type { AreaScore, ChecklistResult, Index, Missing } from './model';

interface Item {
  readonly item: string;
  /** The resources that meet it; missing entries when not met. */
  readonly decide: (a: Index, areas: ReadonlyMap<string, AreaScore>) => { found: AssemblyResource[]; missing: Missing[] };
}

const need = (what: string, providedBy: string): Missing => ({ level: 0, requirement: what, what, providedBy });
const areaAtLeast = (areas: ReadonlyMap<string, AreaScore>, name: string, level: number): Missing[] =>
  (areas.get(name)?.level ?? 0) >= level ? [] : [need(`${name} at level ${level} or more`, `see the ${name} area's missing requirements`)];

const ITEMS: readonly Item[] = [
  { item: 'Monitoring and dashboards', decide: (a, areas) => {
    const dashboards = a.of('AWS::CloudWatch::Dashboard', 'AWS::Grafana::Workspace');
    return { found: dashboards, missing: [...areaAtLeast(areas, 'monitoring', 2), ...(dashboards.length ? [] : [need('a dashboard', 'ServiceMonitoring, GrafanaDashboards')])] };
  } },
  { item: 'Alerts with runbooks', decide: (a) => {
    const alarms = notifyingAlarms(a);
    const bare = alarms.filter((r) => runbookLink(r.properties.AlarmDescription) === undefined);
    const routedRules = a.of('AWS::Events::Rule').filter((r) => arr(r.properties.Targets).some((t) => /:sns:|Topic/.test(text(rec(t).Arn))));
    const bareRules = routedRules.filter((r) => !/Runbook: https?:\/\//.test(text(r.properties.Targets)));
    const missing = [
      ...(alarms.length === 0 ? [need('alarms that notify', 'ServiceMonitoring + AlertingTopics')] : []),
      ...[...bare, ...bareRules].slice(0, 5).map((r) => need(`${r.path} notifies without a runbook link`, 'the library\'s runbook alarms (createRunbookAlarm)')),
    ];
    return { found: missing.length ? [] : [...alarms, ...routedRules], missing };
  } },
  { item: 'Deployment automation (CI/CD)', decide: (a, areas) => ({
    found: [...a.of('AWS::CodePipeline::Pipeline'), ...a.of('AWS::ECS::Service')],
    missing: areaAtLeast(areas, 'deployment', 2),
  }) },
  { item: 'Backup and restore tested', decide: (a) => {
    const parts = [a.of('AWS::Backup::BackupPlan'), a.of('AWS::Backup::BackupSelection'), a.of('AWS::Backup::RestoreTestingPlan')];
    return { found: parts.flat(), missing: parts.every((p) => p.length) ? [] : [need('a backup plan with a selection and a restore testing plan', 'BackupPolicy + addAuroraRestoreTesting')] };
  } },
  { item: 'Security review (encryption, secrets, access)', decide: (a, areas) => {
    const packs = a.assembly.validation.filter((p) => /AwsSolutions|NIST|HIPAA|PCI|cfnguard|cdk-validator/i.test(p.pluginName));
    const reviewed = a.assembly.stacks.reduce((n, s) => n + s.acknowledgedFindings, 0);
    const clean = (packs.length > 0 || reviewed > 0) && packs.every((p) => p.violations === 0);
    const secretsInEnv = a.of('AWS::ECS::TaskDefinition', 'AWS::Lambda::Function').filter((r) => /"(Name|[A-Z_]*(PASSWORD|SECRET|TOKEN))":"[A-Z_]*(PASSWORD|SECRET|TOKEN)","Value":"[^"{]/.test(text(r.properties)));
    return { found: clean ? a.of('AWS::SecretsManager::Secret') : [], missing: [
      ...areaAtLeast(areas, 'security', 2),
      ...(clean ? [] : [need('a compliance review in the assembly: cdk-nag or Control Tower findings acknowledged with reasons, or a validation report of such a pack without open findings', 'stacks/nag.ts: Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app))')]),
      ...secretsInEnv.map((r) => need(`${r.path} passes a secret as a plain environment value`, 'ECS secrets / Secrets Manager (ResilientService secrets)')),
    ] };
  } },
  { item: 'Load testing completed', decide: () => ({ found: [], missing: [need(
    'a load test result: a cloud assembly holds infrastructure, not test runs, so this item cannot be met from it',
    'run `npm run gameday` (its overload experiment) or your load test, and keep its report with the release')] }) },
  { item: 'Disaster recovery plan', decide: (a) => {
    const copies = a.of('AWS::Backup::BackupPlan').filter((p) => arr(rec(p.properties.BackupPlan).BackupPlanRule).some((r) => arr(rec(r).CopyActions).length > 0));
    const failover = [...a.of('AWS::ARCRegionSwitch::Plan'), ...a.of('AWS::Route53::RecordSet').filter((r) => r.properties.Failover !== undefined),
      ...a.of('AWS::SSM::Document').filter((d) => d.properties.DocumentType === 'Automation' && /drill/i.test(text(d.properties.Name)))];
    return { found: [...copies, ...failover], missing: [
      ...(copies.length ? [] : [need('backups copied to another region', 'BackupPolicy copyDestination (BackupCopyVault)')]),
      ...(failover.length ? [] : [need('an executable failover (Region switch plan, failover records or drill automation)', 'MultiRegionPlatform (RegionSwitchPlan, DrillAutomation)')]),
    ] };
  } },
  { item: 'On-call rotation and escalation', decide: (a) => {
    const rotation = [...a.of('AWS::SSMContacts::Rotation'), ...a.of('AWS::SSMContacts::Contact').filter((c) => c.properties.Type === 'ESCALATION')];
    const pager = a.of('AWS::SNS::Subscription').filter((s) => s.properties.Protocol === 'https');
    const found = rotation.length >= 2 ? rotation : pager;
    return { found, missing: found.length ? [] : [need('an on-call rotation with escalation (Incident Manager) or a paging tool subscribed to the page topic',
      'IncidentResponse (onCallContacts), AlertReceiver.https')] };
  } },
  { item: 'Documentation (architecture, APIs, runbooks)', decide: (a) => {
    const undocumented = a.assembly.stacks.filter((s) => !s.description);
    const bare = notifyingAlarms(a).filter((r) => runbookLink(r.properties.AlarmDescription) === undefined);
    return { found: a.assembly.stacks.length && !undocumented.length && !bare.length ? notifyingAlarms(a) : [], missing: [
      ...undocumented.map((s) => need(`stack ${s.name} has no description`, 'PlatformStack description (every platform stack has one)')),
      ...(bare.length ? [need('alarms without a runbook link', 'the library\'s runbook alarms')] : []),
      ...(notifyingAlarms(a).length ? [] : [need('runbooks linked from alarms', 'ServiceMonitoring')]),
    ] };
  } },
  { item: 'Cost monitoring and budgets', decide: (a) => {
    const budgets = a.of('AWS::Budgets::Budget').filter((b) => arr(b.properties.NotificationsWithSubscribers).length > 0);
    const anomaly = [...a.of('AWS::CE::AnomalyMonitor'), ...a.of('AWS::CE::AnomalySubscription')];
    return { found: [...budgets, ...anomaly], missing: [
      ...(budgets.length ? [] : [need('a budget that notifies', 'CostMonitoring (account baseline: -c accountBaseline=true)')]),
      ...(a.of('AWS::CE::AnomalySubscription').length ? [] : [need('cost anomaly detection with a subscription', 'CostMonitoring')]),
    ] };
  } },
];

/** Scores the areas, then the checklist (some items build on an area's level). */
export function scoreAll(index: Index): { areas: AreaScore[]; checklist: ChecklistResult[] } {
  const areas = Object.entries(AREAS).map(([name, reqs]) => scoreArea(name, reqs, index));
  const byName = new Map(areas.map((a) => [a.name, a]));
  const checklist = ITEMS.map(({ item, decide }) => {
    const { found, missing } = decide(index, byName);
    const met = missing.length === 0;
    return { item, met, evidence: met ? found.slice(0, 5).map((r) => toEvidence(item, r)) : [], missing };
  });
  return { areas, checklist };
}
