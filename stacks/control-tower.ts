/**
 * The AWS Control Tower proactive controls (the cfn-guard rules `@cdklabs/cdk-validator-cfnguard` ships, with
 * the cfn-guard binary) as a CDK validation plugin. A finding fails the synth unless it is fixed or acknowledged
 * with a reason on the narrowest construct (`acknowledgeControlTower`), like a cdk-nag finding.
 */
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Validations } from 'aws-cdk-lib';
import type { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { CONTROL_TOWER_PLUGIN_NAME } from '../constructs/aws/private/control-tower';

/** The cfn-guard binary the package ships for this machine (the path `CfnGuardValidator` runs). */
export function cfnGuardBinary(): string {
  const pkg = dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
  const os = platform() === 'darwin' ? 'macos' : 'ubuntu';
  const cpu = arch() === 'arm64' ? 'aarch64' : 'x86_64';
  return join(pkg, 'bin', os, cpu, 'cfn-guard');
}

/** The shipped binary, made executable if the package manager dropped the mode (no install script needed). */
function ensureExecutable(binary: string): void {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    chmodSync(binary, 0o755);
  }
}

/**
 * What a CloudFormation hook (how Control Tower runs these controls) sees of a value read from another stack:
 * the resolved value, a string. The guard rules follow only references inside the template, so a subnet ID read
 * with `Fn::GetStackOutput` or `Fn::ImportValue` would otherwise count as missing.
 */
function asDeployed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asDeployed);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && (entries[0][0] === 'Fn::GetStackOutput' || entries[0][0] === 'Fn::ImportValue')) {
    return `resolved-at-deploy:${JSON.stringify(entries[0][1])}`;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, asDeployed(v)]));
}

/**
 * `CfnGuardValidator` with the Control Tower rules, run on the templates as CloudFormation resolves cross-stack
 * references (see `asDeployed`), reporting under the plugin's own name so acknowledgements match its findings.
 */
export class ControlTowerValidator implements IPolicyValidationPlugin {
  public readonly name = CONTROL_TOWER_PLUGIN_NAME;
  public readonly version?: string;
  public readonly ruleIds?: string[];
  private readonly guard: CfnGuardValidator;

  constructor() {
    ensureExecutable(cfnGuardBinary());
    // The structured output of a large template exceeds Node's 1 MiB default.
    this.guard = new CfnGuardValidator({ controlTowerRulesEnabled: true, maxBuffer: 512 * 1024 * 1024 });
    if (this.guard.name !== CONTROL_TOWER_PLUGIN_NAME) {
      throw new Error(`@cdklabs/cdk-validator-cfnguard reports as '${this.guard.name}', acknowledgements use '${CONTROL_TOWER_PLUGIN_NAME}'`);
    }
    this.version = this.guard.version;
    this.ruleIds = this.guard.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const dir = mkdtempSync(join(tmpdir(), 'control-tower-'));
    try {
      // Same file names: aws-cdk-lib maps a finding to its construct by template file name and logical ID.
      const originals = new Map<string, string>();
      for (const templatePath of context.templatePaths) {
        const copy = join(dir, basename(templatePath));
        writeFileSync(copy, JSON.stringify(asDeployed(JSON.parse(readFileSync(templatePath, 'utf8')))));
        originals.set(copy, templatePath);
      }
      const report = this.guard.validate({ templatePaths: [...originals.keys()], appConstruct: context.appConstruct });
      return {
        ...report,
        violations: report.violations.map((v) => ({
          ...v,
          violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath: originals.get(r.templatePath) ?? r.templatePath })),
        })),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Run the Control Tower proactive controls on every synth of `app`. */
export function addControlTowerControls(app: App): void {
  Validations.of(app).addPlugins(new ControlTowerValidator());
}
