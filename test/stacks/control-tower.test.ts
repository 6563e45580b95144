/**
 * The AWS Control Tower proactive controls (cfn-guard rules of `@cdklabs/cdk-validator-cfnguard`, run by the
 * binary the package ships) over the reference app: every failing control is fixed or acknowledged with a reason
 * on the construct that fails it (`acknowledgeControlTower`), and every acknowledgement is still needed.
 *
 * Two apps cover every acknowledgement's condition: pilot light without a domain (one serving origin, HTTP to an
 * internal load balancer, CloudFront's default certificate) and active-active with a domain (two origins,
 * certificates). Each synth plus cfn-guard takes about 30-60 s: the jest run does each once, ahead of this file
 * (test/helpers/synth-cache.ts).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONTROL_TOWER_PLUGIN_NAME, CONTROL_TOWER_RULES } from '../../constructs/aws/private/control-tower';
import { cfnGuardBinary } from '../../stacks/control-tower';
import { DOMAIN_CONTEXT, synthesizedReferenceApp } from '../helpers/reference-app';
import { PRODUCTION_CONTEXT } from '../helpers/reference-contexts';
import type { SynthesizedApp } from '../helpers/reference-app';

interface ReportedConstruct {
  readonly constructPath: string;
  readonly cloudFormationResource?: { readonly templatePath: string; readonly logicalId: string };
}
interface ReportedViolation { readonly ruleName: string; readonly description: string; readonly violatingConstructs: ReportedConstruct[] }
interface SuppressedViolation extends ReportedViolation { readonly acknowledgedId: string; readonly acknowledgedAt: string; readonly reason?: string }
interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: string;
  readonly metadata?: { readonly error?: string };
  readonly violations: ReportedViolation[];
  readonly suppressedViolations?: SuppressedViolation[];
}

const ACK_PREFIX = `${CONTROL_TOWER_PLUGIN_NAME}::`;

/** The app synthesized with the Control Tower plugin (once per jest run) and its part of the validation report. */
function controlTowerReport(context: Record<string, string>): { report: PluginReport | undefined; synth: SynthesizedApp } {
  const synth = synthesizedReferenceApp(context, 'control-tower');
  let reportFile: string;
  if (synth.error) {
    const found = /report can be found in: (\S+validation-report\.json)/.exec(synth.error.message);
    if (!found) throw synth.error;
    reportFile = found[1];
  } else {
    reportFile = join(synth.assembly.directory, 'validation-report.json');
  }
  const reports = (JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: PluginReport[] }).pluginReports;
  // aws-cdk-lib leaves out a plugin with nothing to say; the reference app always has acknowledged findings.
  return { report: reports.find((r) => r.pluginName === CONTROL_TOWER_PLUGIN_NAME), synth };
}

/** `path ack-id` of every Control Tower acknowledgement in the synthesized construct tree. */
function acknowledgements(synth: SynthesizedApp): string[] {
  return synth.acknowledgements.flatMap((a) => Object.keys(a.rules)
    .filter((id) => id.startsWith(ACK_PREFIX))
    .map((id) => `${a.path} ${id}`));
}

const where = (c: ReportedConstruct) => c.constructPath
  || `${c.cloudFormationResource?.templatePath ?? '?'}#${c.cloudFormationResource?.logicalId ?? '(no resource)'}`;

describe.each([
  ['pilot-light', { drTier: 'pilot-light' }],
  ['active-active+domain', { drTier: 'active-active', ...DOMAIN_CONTEXT }],
  ['warm-standby+domain+account baseline', PRODUCTION_CONTEXT],
])('AWS Control Tower proactive controls (%s)', (_name, context) => {
  const { report: reported, synth } = controlTowerReport(context);
  const report: PluginReport = reported ?? { pluginName: CONTROL_TOWER_PLUGIN_NAME, conclusion: 'missing', violations: [] };

  test('cfn-guard ran and reported (a failure to run is not a pass)', () => {
    expect(reported?.metadata?.error).toBeUndefined();
    expect(reported?.suppressedViolations?.length).toBeGreaterThan(0);
  });

  test('every failing control is fixed or acknowledged with a reason on the construct that fails it', () => {
    const open = report.violations.flatMap((v) => v.violatingConstructs.map((c) => `${where(c)} ${v.ruleName}: ${v.description.split('\n')[0]}`));
    expect(open).toEqual([]);
  });

  test('every acknowledgement is still needed (a control that passes again loses its acknowledgement)', () => {
    const used = new Set((report.suppressedViolations ?? []).map((s) => `${s.acknowledgedAt} ${s.acknowledgedId}`));
    expect(acknowledgements(synth).filter((a) => !used.has(a))).toEqual([]);
  });

  test('every acknowledgement carries a reason', () => {
    const bare = (report.suppressedViolations ?? []).filter((s) => (s.reason ?? '').length < 40).map((s) => `${s.acknowledgedAt} ${s.acknowledgedId}`);
    expect(bare).toEqual([]);
  });
});

describe('the Control Tower rules as shipped', () => {
  const binary = cfnGuardBinary();
  const rulesDir = join(dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

  test('the cfn-guard binary runs without an install script', () => {
    expect(statSync(binary).mode & 0o111).not.toBe(0);
    expect(execFileSync(binary, ['--version'], { encoding: 'utf8' })).toMatch(/cfn-guard \d+\.\d+/);
  });

  test('each control the library acknowledges is the rule of that name in the package', () => {
    const files = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.guard'));
    const controlOfRule = new Map<string, string>();
    for (const f of files) {
      const text = readFileSync(join(rulesDir, f), 'utf8');
      const rule = /^rule (\w+) when/m.exec(text)?.[1];
      const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(text)?.[1];
      if (rule && control) controlOfRule.set(rule, control);
    }
    const wrong = Object.entries(CONTROL_TOWER_RULES).filter(([control, rule]) => controlOfRule.get(rule) !== control)
      .map(([control, rule]) => `${control} ${rule} (package: ${controlOfRule.get(rule) ?? 'no such rule'})`);
    expect(wrong).toEqual([]);
  });
});
