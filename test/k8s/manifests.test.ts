import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { runbookPathFromUrl } from '../../constructs/core/runbooks';
import { Testing } from 'cdk8s';
import { ServiceChart } from '../../constructs/k8s';
import { referenceRuleGroups } from '../../stacks/objectives';
import { ruleFileDocument } from '../../constructs/core/observability/rule-file';
import { RUNBOOK_ROOT } from '../helpers/runbooks';
import { runTool, writeTempFiles } from '../core/observability/tools';
import { DATA_PATH, one, serviceProps, synthMonitoring, synthService, validateManifest } from './helpers';
import type { Manifest } from './helpers';

/**
 * Every manifest both charts render (reference props: a data path and the flags ConfigMap) and the synthesized app of
 * `npm run synth:k8s`.
 */
const service = synthService({ ...DATA_PATH, featureFlags: true });
const monitoring = synthMonitoring();
const all: Manifest[] = [...service, ...monitoring];
const rules = all.filter((m) => m.kind === 'PrometheusRule');
const alerts = rules.flatMap((r) => r.spec.groups.flatMap((g: { rules: Array<Record<string, unknown>> }) => g.rules.filter((x) => 'alert' in x)));

describe('every manifest validates against the Kubernetes and prometheus-operator schemas', () => {
  test.each(all.map((m) => [`${m.kind}/${m.metadata.name}`, m] as const))('%s', (_name, m) => {
    expect(() => validateManifest(m)).not.toThrow();
  });

  test('the validator rejects a bad object (it is not a no-op)', () => {
    const d = JSON.parse(JSON.stringify(one(service, 'Deployment')));
    d.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => validateManifest(d)).toThrow(/containerPort must be integer/);
  });
});

describe('Prometheus rules inside the PrometheusRules', () => {
  test('are the core rule groups of the AWS path, field for field', () => {
    const groups = [...one(service, 'PrometheusRule').spec.groups, ...one(monitoring, 'PrometheusRule').spec.groups];
    const { containerLimits } = new ServiceChart(Testing.app(), 'checkout', serviceProps());
    expect(groups).toEqual(ruleFileDocument(referenceRuleGroups({ containerLimits })).groups);
  });

  test('pass promtool check rules', () => {
    const files = Object.fromEntries(rules.map((r) => [`${r.metadata.name}.yaml`, stringify({ groups: r.spec.groups }, { lineWidth: 0 })]));
    const dir = writeTempFiles(files);
    const run = runTool('promtool', ['check', 'rules', ...Object.keys(files)], dir);
    expect(run.output).not.toMatch(/FAILED|error/i);
    expect(run.status).toBe(0);
  });

  test('every alert has a severity, summary, description and a runbook_url that resolves to a committed runbook', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(15);
    for (const a of alerts as Array<{ alert: string; labels: Record<string, string>; annotations: Record<string, string> }>) {
      expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
      expect(a.annotations.summary).toBeTruthy();
      expect(a.annotations.description).toBeTruthy();
      const path = runbookPathFromUrl(a.annotations.runbook_url);
      expect(path).toBeDefined();
      expect(existsSync(join(RUNBOOK_ROOT, `${path}.md`))).toBe(true);
    }
  });
});

test('the Alertmanager configuration in the Secret passes amtool check-config', () => {
  const dir = writeTempFiles({ 'alertmanager.yaml': one(monitoring, 'Secret').stringData['alertmanager.yaml'] });
  const run = runTool('amtool', ['check-config', 'alertmanager.yaml'], dir);
  expect(run.output).toContain('SUCCESS');
  expect(run.status).toBe(0);
});

describe('npm run synth:k8s (stacks/k8s/main.ts)', () => {
  test('writes every object to dist/k8s/, all valid', () => {
    const root = join(__dirname, '..', '..');
    const dir = mkdtempSync(join(tmpdir(), 'platform-stacks-k8s-'));
    // The data path's defaults, whatever the shell running the tests sets (stacks/k8s/reference-data-path.ts).
    const shell = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DB_|CACHE_|OTEL_)/.test(k)));
    const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['stacks/k8s/main.ts'], { cwd: root, encoding: 'utf8', env: { ...shell, CDK8S_OUTDIR: dir } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['checkout.k8s.yaml', 'monitoring.k8s.yaml']);
    const docs = readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort()
      .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Manifest));
    expect(docs.map((d) => d.kind).sort()).toEqual([...all.map((m) => m.kind)].sort());
    for (const d of docs) validateManifest(d);
    // The reference data path: PostgreSQL and Valkey in the service's namespace, passwords from Secrets (README).
    const container = one(docs, 'Deployment', 'checkout').spec.template.spec.containers[0];
    const env = Object.fromEntries((container.env as Array<{ name: string; value?: string; valueFrom?: unknown }>)
      .map((v) => [v.name, v.value ?? v.valueFrom]));
    expect(env).toMatchObject({
      DB_ENDPOINT: 'postgres.checkout.svc', DB_USER: 'checkout', DB_TLS: 'require', DB_PASSWORD: { secretKeyRef: { name: 'checkout-db', key: 'password' } },
      CACHE_L2_ENDPOINT: 'valkey.checkout.svc', CACHE_L2_TLS: 'true', CACHE_L2_PASSWORD: { secretKeyRef: { name: 'checkout-cache', key: 'password' } },
    });
  });
});
