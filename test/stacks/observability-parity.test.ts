/**
 * What the alerts and dashboards assume equals what was built, and the engines agree with each other:
 * - saturation limits: every CpuSaturationHigh / MemorySaturationHigh rule and service dashboard divides by the limits
 *   of the application container actually synthesized (AWS: the ECS task definition after the ADOT collector took its
 *   share; Kubernetes: the Deployment `npm run synth:k8s` writes);
 * - thresholds: every CloudWatch alarm that mirrors a Prometheus alert (same runbook) fires at the same threshold
 *   after the same duration (evaluation periods × period = the rule's `for`, or the burn-rate window);
 * - runbook links: `-c runbookBaseUrl=...` reaches the alarms, the AMP rules and the Grafana dashboards alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { parseDuration } from '../../constructs/core/duration';
import { DEFAULT_RUNBOOK_BASE_URL, runbookPathFromUrl } from '../../constructs/core/runbooks';
import { MonitoringStackChart, ServiceChart } from '../../constructs/k8s';
import { referenceMonitoringProps } from '../../stacks/k8s/reference-monitoring';
import { serviceObjectives } from '../../stacks/objectives';
import { gameDayRuleGroups, REFERENCE_CONTAINER_LIMITS } from '../../cli/gameday/rules';
import { alertingRules } from '../../constructs/core/observability/rule-file';
import { sharedReferenceApp } from '../helpers/reference-app';
import type { CfnResource } from '../helpers/reference-app';

const RUNBOOK_BASE = 'https://runbooks.example.com/platform';
/** Pilot light: a service, its collector, AMP rules and CloudWatch alarms in both regions, Grafana in the primary. */
const { templates } = sharedReferenceApp({ drTier: 'pilot-light', runbookBaseUrl: RUNBOOK_BASE });

interface Rule { alert?: string; expr: string; for?: string; annotations?: { runbook_url: string } }
interface Limits { cpuCores: number; memoryBytes: number }

/** The alerting rules of a stack's AMP rule groups namespace(s). */
function ampRules(resources: Record<string, CfnResource>): Rule[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::APS::RuleGroupsNamespace')
    .flatMap((r) => (parse(r.Properties?.Data as string) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules))
    .filter((r) => r.alert !== undefined);
}

/** `<job>` of a rule selecting `job="<job>"`. */
const jobOf = (expr: string): string | undefined => /job="([^"]+)"/.exec(expr)?.[1];
/** The divisor of a saturation expression (`... / <limit> > <threshold>`). */
const divisorOf = (expr: string): number => {
  const m = /\) \/ ([0-9.e+]+) > /.exec(expr);
  if (!m) throw new Error(`no limit in ${expr}`);
  return Number(m[1]);
};

/** Limits of the saturation rules of `job` in `rules`, as the expressions divide. */
function ruleLimits(rules: readonly Rule[], job: string): Limits {
  const find = (alert: string): Rule => {
    const found = rules.filter((r) => r.alert === alert && jobOf(r.expr) === job);
    if (found.length !== 1) throw new Error(`expected one ${alert} for job ${job}, found ${found.length}`);
    return found[0];
  };
  return { cpuCores: divisorOf(find('CpuSaturationHigh').expr), memoryBytes: divisorOf(find('MemorySaturationHigh').expr) };
}

/** Limits the utilization panels of a Grafana dashboard model divide by (CPU and memory per instance). */
function dashboardLimits(dashboard: unknown): Limits {
  const exprs = JSON.stringify(dashboard).match(/"expr":"(?:[^"\\]|\\.)*"/g) ?? [];
  const divisor = (metric: string): number => {
    const found = exprs.filter((e) => e.includes(metric) && /\) \/ [0-9.e+]+"$/.test(e));
    if (found.length === 0) throw new Error(`no ${metric} utilization panel`);
    const values = [...new Set(found.map((e) => Number(/\) \/ ([0-9.e+]+)"$/.exec(e)?.[1])))];
    if (values.length !== 1) throw new Error(`${metric} panels divide by ${values.join(', ')}`);
    return values[0];
  };
  return { cpuCores: divisor('process_cpu_seconds_total'), memoryBytes: divisor('process_resident_memory_bytes') };
}

describe('saturation limits come from what was built', () => {
  interface Built { stack: string; job: string; app: Limits; rules: Limits }
  /** Per stack with a collector: the job it scrapes, the app container's limits and the rules' limits for that job. */
  const built: Built[] = Object.entries(templates).flatMap(([stack, t]) => {
    const rules = ampRules(t.Resources);
    return Object.values(t.Resources).filter((r) => r.Type === 'AWS::ECS::TaskDefinition').flatMap((task) => {
      const containers = task.Properties?.ContainerDefinitions as Array<{
        Name: string; Cpu: number; Memory: number; Essential?: boolean; Environment?: Array<{ Name: string; Value: unknown }>;
      }>;
      const collector = containers.find((c) => c.Environment?.some((e) => e.Name === 'AOT_CONFIG_CONTENT'));
      if (!collector) return [];
      const config = collector.Environment?.find((e) => e.Name === 'AOT_CONFIG_CONTENT')?.Value as string;
      const job = (parse(config) as { receivers: { prometheus: { config: { scrape_configs: Array<{ job_name: string }> } } } })
        .receivers.prometheus.config.scrape_configs[0].job_name;
      const [app] = containers.filter((c) => c !== collector && c.Essential !== false);
      return [{ stack, job, app: { cpuCores: app.Cpu / 1024, memoryBytes: app.Memory * 1024 ** 2 }, rules: ruleLimits(rules, job) }];
    });
  });

  test('AWS: both regions run a collector next to the service (the comparison is not vacuous)', () => {
    expect(built.map((b) => [b.stack, b.job])).toEqual([['checkout-primary', 'checkout'], ['checkout-secondary', 'checkout']]);
    // The collector's and the AppConfig agent's shares are gone from the application container: 1 core / 2048 MiB would be wrong.
    for (const b of built) expect(b.app).toEqual({ cpuCores: 704 / 1024, memoryBytes: 1408 * 1024 ** 2 });
  });

  test('the game day evaluates the rules AMP gets, with the same limits (cli/gameday/rules.ts)', () => {
    for (const b of built) expect(REFERENCE_CONTAINER_LIMITS).toEqual(b.app);
    const primary = ampRules(templates['checkout-primary'].Resources).map((r) => ({ alert: r.alert, expr: r.expr, for: r.for }));
    const gameDay = alertingRules(gameDayRuleGroups(1, RUNBOOK_BASE)).map((r) => ({ alert: r.alert, expr: r.expr, for: r.for }));
    // The primary's workspace evaluates the service's and the platform's alerts (Watchdog, RegionDown): so does the game day.
    const key = (r: { alert?: string; expr: string }): string => `${r.alert} ${r.expr}`;
    expect([...gameDay].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...primary].sort((a, b) => key(a).localeCompare(key(b))));
    expect(primary.length).toBeGreaterThan(15);
  });

  test('AWS: CpuSaturationHigh and MemorySaturationHigh in AMP divide by the synthesized app container\'s Cpu and Memory', () => {
    for (const b of built) expect({ stack: b.stack, limits: b.rules }).toEqual({ stack: b.stack, limits: b.app });
  });

  test('AWS: the Grafana service dashboard divides by the same limits', () => {
    const provisioned = Object.entries(templates).flatMap(([stack, t]) => Object.values(t.Resources)
      .filter((r) => r.Type === 'Custom::GrafanaDashboards')
      .map((r) => ({ stack, dashboards: JSON.parse(r.Properties?.Dashboards as string) as Record<string, unknown> })));
    expect(provisioned.map((p) => p.stack)).toEqual(['checkout-primary']);
    const app = built.find((b) => b.stack === 'checkout-primary')?.app;
    expect(dashboardLimits(provisioned[0].dashboards['svc-checkout'])).toEqual(app);
  });

  describe('Kubernetes (npm run synth:k8s)', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Manifest = { kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };
    let manifests: Manifest[];
    beforeAll(() => {
      const root = join(__dirname, '..', '..');
      const dir = mkdtempSync(join(tmpdir(), 'platform-stacks-k8s-'));
      const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['stacks/k8s/main.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: dir } });
      if (run.status !== 0) throw new Error(run.stderr);
      manifests = readdirSync(dir).flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Manifest));
    });
    const quantity = {
      cpu: (q: string): number => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q)),
      memory: (q: string): number => {
        const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(q);
        if (!m) throw new Error(`unexpected memory quantity ${q}`);
        return Number(m[1]) * ({ Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[m[2] as 'Ki' | 'Mi' | 'Gi'] ?? 1);
      },
    };
    const containerLimits = (): Limits => {
      const deployments = manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name === 'checkout');
      expect(deployments).toHaveLength(1);
      const { limits } = deployments[0].spec.template.spec.containers[0].resources as { limits: { cpu: string; memory: string } };
      return { cpuCores: quantity.cpu(limits.cpu), memoryBytes: quantity.memory(limits.memory) };
    };

    test('the PrometheusRule divides by the Deployment container\'s limits', () => {
      const rules = manifests.filter((m) => m.kind === 'PrometheusRule')
        .flatMap((m) => (m.spec.groups as Array<{ rules: Rule[] }>).flatMap((g) => g.rules)).filter((r) => r.alert);
      expect(ruleLimits(rules, 'checkout')).toEqual(containerLimits());
    });

    test('the Grafana service dashboard divides by the same limits', () => {
      const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'grafana-dashboards');
      const file = Object.entries(configMap?.data ?? {}).find(([name]) => name.includes('svc-checkout'));
      expect(file).toBeDefined();
      expect(dashboardLimits(JSON.parse(file?.[1] ?? '{}'))).toEqual(containerLimits());
    });

    test('a chart sized otherwise: its rules and the reference monitoring stack\'s dashboard follow the chart', () => {
      const app = Testing.app();
      const chart = new ServiceChart(app, 'checkout', { service: 'checkout', image: 'ghcr.io/acme/checkout:1.0.0', slos: serviceObjectives('checkout').slos, cpuLimitCores: 0.5, memoryLimitMiB: 768 });
      const monitoring = new MonitoringStackChart(app, 'monitoring', referenceMonitoringProps('checkout', DEFAULT_RUNBOOK_BASE_URL, chart.containerLimits));
      const expected = { cpuCores: 0.5, memoryBytes: 768 * 1024 ** 2 };
      const rule = (Testing.synth(chart) as Manifest[]).find((m) => m.kind === 'PrometheusRule');
      expect(ruleLimits((rule?.spec.groups as Array<{ rules: Rule[] }>).flatMap((g) => g.rules), 'checkout')).toEqual(expected);
      const configMap = (Testing.synth(monitoring) as Manifest[]).find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'grafana-dashboards');
      expect(dashboardLimits(JSON.parse(configMap?.data?.['svc-checkout.json'] ?? '{}'))).toEqual(expected);
    });
  });
});

describe('CloudWatch alarms mirror the Prometheus alerts with the same runbook', () => {
  /** Alarms that mirror a rule under a runbook of their own (the alarm's runbook -> the rule's). */
  const MIRRORS: Record<string, string> = { 'alerts/service/ServiceHigh5xxRate': 'alerts/golden/HttpErrorRateHigh' };

  interface Alarm {
    stack: string; id: string; runbook: string; threshold: number; seconds: number; datapoints: number; periods: number;
  }
  const period = (p: Record<string, any>): number => { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (typeof p.Period === 'number') return p.Period;
    // Metric math: the expression's period, else that of the metrics it reads (CloudWatch evaluates at that period).
    const metrics = (p.Metrics ?? []) as Array<{ ReturnData?: boolean; Period?: number; MetricStat?: { Period: number } }>;
    const returned = metrics.find((m) => m.ReturnData !== false);
    const value = returned?.Period ?? returned?.MetricStat?.Period ?? metrics.find((m) => m.MetricStat)?.MetricStat?.Period;
    if (value === undefined) throw new Error(`alarm without a period: ${JSON.stringify(p.Metrics)}`);
    return value;
  };
  const alarms: Alarm[] = Object.entries(templates).flatMap(([stack, t]) => Object.entries(t.Resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && typeof r.Properties?.AlarmDescription === 'string')
    .flatMap(([id, r]) => {
      const p = r.Properties as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const runbook = runbookPathFromUrl(/Runbook: (\S+)$/.exec(p.AlarmDescription as string)?.[1] ?? '');
      if (!runbook) return [];
      const periods = p.EvaluationPeriods as number;
      return [{
        stack, id, runbook, threshold: p.Threshold as number, seconds: period(p) * periods, periods,
        datapoints: (p.DatapointsToAlarm as number | undefined) ?? periods,
      }];
    }));
  const rulesByRunbook = (stack: string): Map<string, Rule[]> => {
    const map = new Map<string, Rule[]>();
    for (const r of ampRules(templates[stack].Resources)) {
      const path = runbookPathFromUrl(r.annotations?.runbook_url ?? '') ?? '';
      map.set(path, [...(map.get(path) ?? []), r]);
    }
    return map;
  };

  /** How `alarm` disagrees with the rules it mirrors, or undefined when it agrees with one of them. */
  function drift(alarm: Alarm, rules: readonly Rule[]): string | undefined {
    const problems: string[] = [];
    for (const rule of rules) {
      const burn = /ratio_rate(\w+)\{[^}]*\} > \(([0-9.e+-]+) \* ([0-9.e+-]+)\) and \S*ratio_rate(\w+)\{[^}]*\} > \(([0-9.e+-]+) \* ([0-9.e+-]+)\)/.exec(rule.expr);
      if (burn) {
        // A burn-rate row: the alarm is its long or its short window, at factor × budget.
        const threshold = Number(burn[2]) * Number(burn[3]);
        const windows = [parseDuration('rule', 'window', burn[1]), parseDuration('rule', 'window', burn[4])];
        if (windows.includes(alarm.seconds) && Math.abs(alarm.threshold - threshold) < 1e-12) return undefined;
        problems.push(`${rule.alert} ${burn[1]}/${burn[4]} > ${threshold}`);
        continue;
      }
      // A golden signal: ratio threshold × 100 = the percent alarm's, the rule's `for` = periods × period.
      const threshold = Number(/ > ([0-9.e+-]+)$/.exec(rule.expr)?.[1]) * 100;
      const seconds = parseDuration('rule', 'for', rule.for ?? '0s');
      if (Math.abs(alarm.threshold - threshold) < 1e-9 && alarm.seconds === seconds && alarm.datapoints === alarm.periods) return undefined;
      problems.push(`${rule.alert} > ${threshold}% for ${seconds}s (alarm: > ${alarm.threshold} for ${alarm.seconds}s, ${alarm.datapoints} of ${alarm.periods})`);
    }
    return problems.join('; ');
  }

  const paired = alarms.map((alarm) => ({ alarm, rules: rulesByRunbook(alarm.stack).get(MIRRORS[alarm.runbook] ?? alarm.runbook) ?? [] }))
    .filter((p) => p.rules.length > 0);

  test('the pairing covers the golden signals and every SLO burn-rate window, in both regions', () => {
    const covered = new Set(paired.map((p) => `${p.alarm.stack} ${p.alarm.runbook}`));
    for (const stack of ['checkout-primary', 'checkout-secondary']) {
      for (const runbook of ['alerts/golden/CpuSaturationHigh', 'alerts/golden/MemorySaturationHigh', 'alerts/service/ServiceHigh5xxRate',
        'alerts/slo/SloAvailabilityBudgetBurn', 'alerts/slo/SloLatencyBudgetBurn']) {
        expect(covered).toContain(`${stack} ${runbook}`);
      }
    }
    // 2 regions × (CPU + memory + 5xx + 2 SLOs × 4 rows × 2 windows)
    expect(paired).toHaveLength(2 * (3 + 16));
  });

  test('each paired alarm has the threshold and duration of its Prometheus rule (no drift)', () => {
    const drifted = paired.flatMap(({ alarm, rules }) => {
      const d = drift(alarm, rules);
      return d === undefined ? [] : [`${alarm.stack}/${alarm.id} (${alarm.runbook}): ${d}`];
    });
    expect(drifted).toEqual([]);
  });
});

describe('one runbookBaseUrl (-c runbookBaseUrl=...) reaches every engine', () => {
  const links = Object.values(templates).flatMap((t) => Object.values(t.Resources).flatMap((r) => {
    const p = r.Properties ?? {};
    if (typeof p.AlarmDescription === 'string') return [...p.AlarmDescription.matchAll(/Runbook: (\S+)$/g)].map((m) => ['alarm', m[1]]);
    if (r.Type === 'AWS::APS::RuleGroupsNamespace') return ampRules({ r }).map((rule) => ['amp', rule.annotations?.runbook_url ?? '']);
    if (r.Type === 'Custom::GrafanaDashboards') return [...(p.Dashboards as string).matchAll(/https?:\/\/[^"\s)]+\/runbooks\/[^"\s)]+\.md/g)].map((m) => ['grafana', m[0]]);
    return [];
  }));

  test.each(['alarm', 'amp', 'grafana'])('%s runbook links are under the configured base', (engine) => {
    const urls = links.filter(([e]) => e === engine).map(([, url]) => url);
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((url) => !url.startsWith(`${RUNBOOK_BASE}/runbooks/`) || url.startsWith(DEFAULT_RUNBOOK_BASE_URL))).toEqual([]);
  });
});
